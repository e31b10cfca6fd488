import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed } from '../../src/core/rng';

describe('Rng', () => {
  it('same seed, same stream; different seed, different stream', () => {
    const a = new Rng(42),
      b = new Rng(42),
      c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.random());
    const xb = Array.from({ length: 5 }, () => b.random());
    const xc = Array.from({ length: 5 }, () => c.random());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });
  it('uniform in [0,1) with the right mean; normal has unit variance', () => {
    const r = new Rng(1);
    let s = 0,
      s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.random();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      s += u;
    }
    expect(s / n).toBeCloseTo(0.5, 1);
    s = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
  });
  it('deriveSeed separates streams', () => {
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
    expect(deriveSeed(1, 5)).toBe(deriveSeed(1, 5));
    // No symmetric or shifted collisions between (seed, stream) pairs.
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    expect(deriveSeed(42, 5)).not.toBe(deriveSeed(43, 4));
    const seen = new Set<number>();
    for (let s = 0; s < 50; s++) for (let t = 0; t < 200; t++) seen.add(deriveSeed(s, t));
    expect(seen.size).toBe(50 * 200);
  });
});
