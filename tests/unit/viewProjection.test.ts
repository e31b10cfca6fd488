import { describe, expect, it } from 'vitest';
import {
  circleAffine,
  lerpAffine,
  pcaAffine,
  projectPoints,
  projectVector,
  sphereAffine,
} from '../../src/core/viewProjection';

describe('viewProjection', () => {
  it('the sphere view is a rotation: unit vectors stay on the unit disc, depth completes them', () => {
    const a = sphereAffine(0.7, -0.4);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const d = a.rows[i].reduce((s, v, k) => s + v * a.rows[j][k], 0);
        expect(d).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    const p = projectPoints(a, [0.6, 0, 0.8], 1, 3);
    expect(p[0] ** 2 + p[1] ** 2 + p[2] ** 2).toBeCloseTo(1, 6);
  });

  it('vectors are projected by the linear part: the arrow equals the difference of nearby projected points', () => {
    const pts = new Float32Array(
      Array.from({ length: 40 * 5 }, (_, k) => Math.sin(k * 1.3) + (k % 5 === 0 ? 2 * Math.cos(k) : 0)),
    );
    const { affine } = pcaAffine(pts, 40, 5, null);
    const z = [0.3, -0.2, 0.5, 0.1, 0.7],
      v = [0.01, 0.02, -0.01, 0.005, 0];
    const p0 = projectPoints(affine, z, 1, 5);
    const p1 = projectPoints(
      affine,
      z.map((x, d) => x + v[d]),
      1,
      5,
    );
    const [vx, vy] = projectVector(affine, v);
    expect(vx).toBeCloseTo(p1[0] - p0[0], 6);
    expect(vy).toBeCloseTo(p1[1] - p0[1], 6);
  });

  it('the circle view is the identity, and lerp ends at its targets', () => {
    const p = projectPoints(circleAffine(), [0.6, -0.8], 1, 2);
    expect([p[0], p[1]]).toEqual([Math.fround(0.6), Math.fround(-0.8)]);
    const a = sphereAffine(0, 0),
      b = sphereAffine(1, 0.5);
    expect(Array.from(lerpAffine(a, b, 1).rows[1])).toEqual(Array.from(b.rows[1]));
  });

  it('a collapsed cloud is not zoomed up past the radius floor', () => {
    const n = 50,
      dim = 8;
    const pts = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      pts[i * dim] = 1;
      pts[i * dim + 1] = 0.01 * Math.sin(i);
      pts[i * dim + 2] = 0.01 * Math.cos(3 * i);
    }
    const free = pcaAffine(pts, n, dim, null).affine;
    const floored = pcaAffine(pts, n, dim, null, 0.15).affine;
    expect(free.scale).toBeGreaterThan(50); // without the floor the tiny cloud fills the disk
    expect(floored.scale).toBeCloseTo(1 / 0.15, 6);
    const p = projectPoints(floored, pts, n, dim);
    for (let i = 0; i < n; i++) expect(Math.hypot(p[3 * i], p[3 * i + 1])).toBeLessThan(0.1);
  });
});
