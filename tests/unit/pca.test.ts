import { describe, expect, it } from 'vitest';
import { pca2, project } from '../../src/core/pca';
import { Rng } from '../../src/core/rng';

function cloud(n: number, dim: number, scales: number[], seed: number): Float32Array {
  const r = new Rng(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) out[i * dim + d] = r.normal() * (scales[d] ?? 0.1) + 1;
  return out;
}

describe('pca2', () => {
  it('finds the two axes of largest variance', () => {
    const dim = 6;
    const pts = cloud(2000, dim, [0.1, 3, 0.1, 2, 0.1, 0.1], 3);
    const p = pca2(pts, 2000, dim);
    expect(Math.abs(p.axes[0][1])).toBeGreaterThan(0.99);
    expect(Math.abs(p.axes[1][3])).toBeGreaterThan(0.99);
    const xy = project(pts, 2000, dim, p);
    let vx = 0,
      vy = 0;
    for (let i = 0; i < 2000; i++) {
      vx += xy[2 * i] ** 2;
      vy += xy[2 * i + 1] ** 2;
    }
    expect(Math.sqrt(vx / 2000)).toBeCloseTo(3, 0);
    expect(Math.sqrt(vy / 2000)).toBeCloseTo(2, 0);
  });
  it('is orientation-stable: a warm start keeps the signs of the last frame', () => {
    const dim = 8;
    const a = cloud(500, dim, [2, 1.5, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1], 5);
    const p0 = pca2(a, 500, dim);
    // A slightly changed cloud: the axes must stay close and never flip.
    const b = a.map((v, i) => v + 0.01 * Math.sin(i));
    const p1 = pca2(b, 500, dim, p0);
    const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(dot(p0.axes[0], p1.axes[0])).toBeGreaterThan(0.99);
    expect(dot(p0.axes[1], p1.axes[1])).toBeGreaterThan(0.99);
    // Flipping the previous axes flips the new ones to match (sign follows the previous frame).
    const flipped = { ...p0, axes: [p0.axes[0].map((v) => -v), p0.axes[1]] as [Float64Array, Float64Array] };
    const p2 = pca2(b, 500, dim, flipped);
    expect(dot(flipped.axes[0], p2.axes[0])).toBeGreaterThan(0.99);
  });
  it('axes are orthonormal', () => {
    const dim = 5;
    const p = pca2(cloud(300, dim, [1, 1, 1, 1, 1], 9), 300, dim);
    const n0 = p.axes[0].reduce((s, v) => s + v * v, 0);
    const n1 = p.axes[1].reduce((s, v) => s + v * v, 0);
    const d = p.axes[0].reduce((s, v, i) => s + v * p.axes[1][i], 0);
    expect(n0).toBeCloseTo(1, 6);
    expect(n1).toBeCloseTo(1, 6);
    expect(d).toBeCloseTo(0, 6);
  });
});
