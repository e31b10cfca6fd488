// The embedding view without a mouse, and without motion: the keys that walk the anchor through
// the batch, and a glide of no duration (reduced motion) that lands at once.
import { describe, expect, it } from 'vitest';
import { anchorAfterKey, anchorAnnouncement } from '../../src/ui/embeddingKeys';
import { GLIDE_MS, glideAt } from '../../src/ui/useGlide';

describe('anchor keys', () => {
  it('walk through the 2N rows and wrap at both ends', () => {
    expect(anchorAfterKey('ArrowRight', 0, 8)).toBe(1);
    expect(anchorAfterKey(']', 7, 8)).toBe(0);
    expect(anchorAfterKey('ArrowLeft', 0, 8)).toBe(7);
    expect(anchorAfterKey('[', 3, 8)).toBe(2);
    expect(anchorAfterKey('ArrowUp', 3, 8)).toBe(2);
    expect(anchorAfterKey('ArrowDown', 3, 8)).toBe(4);
    expect(anchorAfterKey('Home', 5, 8)).toBe(0);
    expect(anchorAfterKey('End', 2, 8)).toBe(7);
  });

  it('jump to the positive (the other view of the same image) with P', () => {
    expect(anchorAfterKey('p', 1, 8)).toBe(5);
    expect(anchorAfterKey('P', 5, 8)).toBe(1);
  });

  it('leave other keys (and an empty batch) to the page', () => {
    expect(anchorAfterKey(' ', 1, 8)).toBeNull();
    expect(anchorAfterKey('n', 1, 8)).toBeNull();
    expect(anchorAfterKey('ArrowRight', 0, 0)).toBeNull();
  });

  it('announce the row, the view, the image and its class', () => {
    const labels = Int32Array.from([3, 1, 3, 1]);
    expect(anchorAnnouncement(3, 2, labels, ['zero', 'one', 'two', 'three'])).toBe(
      'Anchor: row 4 of 4, view 2 of image 2, one.',
    );
  });
});

describe('glide', () => {
  const from = Float32Array.from([0, 0]),
    to = Float32Array.from([1, 2]);
  it('moves part of the way mid-glide', () => {
    const g = glideAt(from, to, 0, GLIDE_MS / 2);
    expect(g.done).toBe(false);
    expect(g.cur[0]).toBeGreaterThan(0);
    expect(g.cur[0]).toBeLessThan(1);
  });
  it('of no duration lands at once, even at its first instant', () => {
    const g = glideAt(from, to, 100, 100, 0);
    expect(g.done).toBe(true);
    expect(Array.from(g.cur)).toEqual([1, 2]);
  });
});
