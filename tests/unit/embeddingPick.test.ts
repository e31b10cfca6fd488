import { describe, expect, it } from 'vitest';
import { pickRow } from '../../src/ui/embeddingPick';
import { glideAt } from '../../src/ui/useGlide';

// The unit disk centred at (100, 100), 50 pixels per unit: (x, y) lands at (100 + 50x, 100 - 50y).
const at = { cx: 100, cy: 100, r: 50 };

describe('picking a batch point', () => {
  it('finds the row nearest the pointer, within reach only', () => {
    const xy = Float32Array.of(0, 0, 1, 1, 0, 1, 0, 1, 1);
    expect(pickRow(xy, at, 101, 99, false)).toBe(0);
    expect(pickRow(xy, at, 148, 102, false)).toBe(1);
    expect(pickRow(xy, at, 100, 52, false)).toBe(2);
    expect(pickRow(xy, at, 125, 75, false)).toBe(-1);
    expect(pickRow(new Float32Array(0), at, 100, 100, false)).toBe(-1);
  });

  it('prefers the front of the sphere when two points overlap, and only on the sphere', () => {
    // Row 0 on the far side is a little nearer the pointer than row 1 in front.
    const xy = Float32Array.of(0, 0, -1, 0.04, 0, 1);
    expect(pickRow(xy, at, 100.5, 100, true)).toBe(1);
    expect(pickRow(xy, at, 100.5, 100, false)).toBe(0);
  });

  it('reaches outliers at the clamped rim, where they are drawn', () => {
    const xy = Float32Array.of(3, 0, 1);
    expect(pickRow(xy, at, 100 + 1.1 * 50, 100, false)).toBe(0);
  });
});

describe('the glide between two snapshots', () => {
  const from = Float32Array.of(0, 0, 1, 1);
  const to = Float32Array.of(1, 2, 1, -1);

  it('starts where the points were, eases out and arrives', () => {
    expect(Array.from(glideAt(from, to, 1000, 1000, 300).cur)).toEqual([0, 0, 1, 1]);
    const mid = glideAt(from, to, 1000, 1150, 300);
    expect(mid.e).toBeCloseTo(0.75, 6);
    expect(mid.done).toBe(false);
    expect(Array.from(mid.cur)).toEqual([0.75, 1.5, 1, -0.5]);
    const end = glideAt(from, to, 1000, 5000, 300);
    expect(end.done).toBe(true);
    expect(Array.from(end.cur)).toEqual(Array.from(to));
  });

  it('shows the new points at once when there is nothing of their size to come from', () => {
    expect(Array.from(glideAt(null, to, 0, 0).cur)).toEqual(Array.from(to));
    expect(Array.from(glideAt(Float32Array.of(5, 5), to, 0, 0).cur)).toEqual(Array.from(to));
  });
});
