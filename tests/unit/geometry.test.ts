import { describe, expect, it } from 'vitest';
import { alignment, falseNegativeShare, uniformity, uniformityOptimum } from '../../src/core/geometry';
import { Rng } from '../../src/core/rng';

const circle = (n: number) =>
  Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? Math.sin : Math.cos)((2 * Math.PI * Math.floor(i / 2)) / n));

describe('alignment', () => {
  it('is 0 for identical views and 4 for antipodal ones', () => {
    const a = circle(10);
    expect(alignment(a, a, 10, 2)).toBe(0);
    expect(
      alignment(
        a,
        a.map((v) => -v),
        10,
        2,
      ),
    ).toBeCloseTo(4, 5);
  });
  it('is 2 for orthogonal views', () => {
    expect(alignment(new Float32Array([1, 0, 0, 1]), new Float32Array([0, 1, 1, 0]), 2, 2)).toBeCloseTo(2, 6);
  });
});

describe('uniformity', () => {
  it('is 0 at full collapse', () => {
    const z = new Float32Array(20 * 3).map((_, i) => (i % 3 === 0 ? 1 : 0));
    expect(uniformity(z, 20, 3)).toBe(0);
  });
  it('approaches the circle optimum -1.575 for many evenly spaced points', () => {
    const n = 1000;
    // Pairs i<j exclude the zero distance, so a finite set sits slightly below the limit.
    expect(uniformity(circle(n), n, 2)).toBeCloseTo(-1.575, 2);
  });
  it('of random points on S^31 is near the d=32 optimum, never below it by much', () => {
    const rng = new Rng(3),
      n = 600,
      d = 32;
    const z = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const u = Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
        z[i * d + k] = u;
        s += u * u;
      }
      for (let k = 0; k < d; k++) z[i * d + k] /= Math.sqrt(s);
    }
    expect(Math.abs(uniformity(z, n, d) - uniformityOptimum(d))).toBeLessThan(0.05);
  });
  it('stays finite when all pairs are far apart (no log(0))', () => {
    const z = new Float32Array([1, 0, -1, 0]);
    expect(uniformity(z, 2, 2)).toBeCloseTo(-8, 5);
  });
});

describe('uniformityOptimum', () => {
  it('reproduces the table of docs/science.md', () => {
    expect(uniformityOptimum(2)).toBeCloseTo(-1.575, 2);
    expect(uniformityOptimum(3)).toBeCloseTo(-2.08, 2);
    expect(uniformityOptimum(8)).toBeCloseTo(-3.08, 1);
    expect(uniformityOptimum(32)).toBeCloseTo(-3.75, 2);
    expect(uniformityOptimum(128)).toBeCloseTo(-3.94, 2);
    expect(uniformityOptimum(100_000)).toBeCloseTo(-4, 2);
  });
  it('falls monotonically between the table entries (16 and 64 included)', () => {
    const dims = [2, 3, 8, 16, 32, 64, 128];
    const v = dims.map(uniformityOptimum);
    for (let i = 1; i < v.length; i++) expect(v[i]).toBeLessThan(v[i - 1]);
    expect(v[3]).toBeLessThan(-3.08);
    expect(v[3]).toBeGreaterThan(-3.75);
    expect(v[5]).toBeLessThan(-3.75);
    expect(v[5]).toBeGreaterThan(-3.94);
  });
});

describe('falseNegativeShare', () => {
  it('is 0 when every image has its own class and 1 when all share one', () => {
    expect(falseNegativeShare([0, 1, 2, 3, 0, 1, 2, 3], 4)).toBe(0);
    expect(falseNegativeShare([5, 5, 5, 5, 5, 5], 3)).toBe(1);
  });
  it('matches a brute-force count over anchors and their 2N-2 negatives', () => {
    const n = 7,
      rng = new Rng(9);
    const img = Array.from({ length: n }, () => Math.floor(rng.random() * 3));
    const labels = [...img, ...img];
    let same = 0,
      all = 0;
    for (let i = 0; i < 2 * n; i++)
      for (let j = 0; j < 2 * n; j++) {
        if (j === i || j === (i + n) % (2 * n)) continue;
        all++;
        if (labels[i] === labels[j]) same++;
      }
    expect(falseNegativeShare(labels, n)).toBeCloseTo(same / all, 12);
  });
});
