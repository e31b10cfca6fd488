import { describe, expect, it } from 'vitest';
import { fromLogPosition, LOG_STEPS, toLogPosition } from '../../src/core/logScale';

describe('log-scale sliders', () => {
  for (const [lo, hi] of [
    [0.01, 2],
    [1e-5, 0.1],
  ]) {
    it(`every position round-trips and moves the value (${lo}..${hi})`, () => {
      let prev = -Infinity;
      for (let p = 0; p <= LOG_STEPS; p++) {
        const v = fromLogPosition(p, lo, hi);
        expect(toLogPosition(v, lo, hi)).toBe(p);
        expect(v).toBeGreaterThan(prev);
        prev = v;
      }
      expect(fromLogPosition(0, lo, hi)).toBe(lo);
      expect(fromLogPosition(LOG_STEPS, lo, hi)).toBe(hi);
    });
  }
  it('a default that is not on the grid still maps to the nearest position', () => {
    const p = toLogPosition(0.2, 0.01, 2);
    expect(Math.abs(fromLogPosition(p, 0.01, 2) - 0.2) / 0.2).toBeLessThan(0.02);
  });
});
