import { describe, expect, it } from 'vitest';
import { filterGradBlocks, splitRange } from '../../src/core/workSplit';

describe('splitRange', () => {
  it('covers 0..total with contiguous ranges on tile bounds, as even as the tiles allow', () => {
    for (const total of [1, 7, 9, 16, 27, 64, 288]) {
      for (const parts of [1, 2, 3, 4, 8]) {
        for (const tile of [1, 4, 8]) {
          const r = splitRange(total, parts, tile);
          expect(r[0][0]).toBe(0);
          expect(r[r.length - 1][1]).toBe(total);
          r.forEach(([b, e], i) => {
            expect(e).toBeGreaterThan(b);
            expect(b % tile).toBe(0);
            if (i > 0) expect(b).toBe(r[i - 1][1]);
          });
          const tiles = r.map(([b, e]) => Math.ceil((e - b) / tile));
          expect(Math.max(...tiles) - Math.min(...tiles)).toBeLessThanOrEqual(1);
          expect(r.length).toBe(Math.min(parts, Math.ceil(total / tile)));
        }
      }
    }
  });
  it('gives nothing to cut for no work', () => expect(splitRange(0, 4)).toEqual([]));
});

describe('filterGradBlocks', () => {
  it('cuts the taps of a deep layer and the channels of a first layer with few taps', () => {
    // 3x3x16 taps (36 tiles of four) into 2: by taps
    expect(filterGradBlocks(144, 32, 2)).toEqual([
      { taps: [0, 72], channels: [0, 32] },
      { taps: [72, 144], channels: [0, 32] },
    ]);
    // 3x3x1 taps (3 tiles: 2 + 1) against 16 channels (2 tiles: 1 + 1): by channels
    expect(filterGradBlocks(9, 16, 2)).toEqual([
      { taps: [0, 9], channels: [0, 8] },
      { taps: [0, 9], channels: [8, 16] },
    ]);
  });
  it('one part is the whole', () => expect(filterGradBlocks(27, 8, 1)).toEqual([{ taps: [0, 27], channels: [0, 8] }]));
});
