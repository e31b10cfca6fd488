// How the embedding view turns a dim-D unit vector into a point on the screen. Every mode is
// one affine map, screen = scale * A (z - offset), so a force vector is projected with the
// linear part alone (scale * A v): the arrow drawn is the projection of the vector, not the
// line between two projected end points (which would bend for PCA and the sphere's rim).
//   circle (dim 2): A = I, the unit circle as it is;
//   sphere (dim 3): A = a rotation, orthographic; the third row is the depth (toward viewer > 0);
//   pca (dim > 3):  A = the top two principal axes of the display set, offset = its mean.

import { pca2, type Projection } from './pca';

export type ViewMode = 'circle' | 'sphere' | 'pca';

export interface Affine {
  mode: ViewMode;
  /** 2 rows (x, y) or 3 (x, y, depth), each of length dim. */
  rows: Float64Array[];
  offset: Float64Array | null;
  scale: number;
}

export const viewModeFor = (dim: number): ViewMode => (dim === 2 ? 'circle' : dim === 3 ? 'sphere' : 'pca');

export function circleAffine(): Affine {
  return { mode: 'circle', rows: [Float64Array.of(1, 0), Float64Array.of(0, 1)], offset: null, scale: 1 };
}

/** Rotation about the vertical axis by yaw, then tilting toward the viewer by pitch (radians). */
export function sphereAffine(yaw: number, pitch: number): Affine {
  const cy = Math.cos(yaw),
    sy = Math.sin(yaw),
    cp = Math.cos(pitch),
    sp = Math.sin(pitch);
  // R = Rx(pitch) * Ry(yaw); the rows are the screen's x, y and depth directions in z-space.
  return {
    mode: 'sphere',
    rows: [Float64Array.of(cy, 0, -sy), Float64Array.of(sp * sy, cp, sp * cy), Float64Array.of(cp * sy, -sp, cp * cy)],
    offset: null,
    scale: 1,
  };
}

/**
 * PCA of the display set, continuing from `prev` so the picture turns smoothly and never flips,
 * scaled so the bulk of the cloud (97% of points) fills the unit disk whatever its spread,
 * but never zoomed in beyond `minRadius` (in the points' own units): without that floor a
 * collapsing embedding would be blown up to fill the disk and look as spread as ever.
 */
export function pcaAffine(
  points: Float32Array,
  n: number,
  dim: number,
  prev: Projection | null,
  minRadius = 0,
): { affine: Affine; projection: Projection } {
  const projection = pca2(points, n, dim, prev && prev.mean.length === dim ? prev : null);
  const radii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = 0,
      y = 0;
    for (let d = 0; d < dim; d++) {
      const c = points[i * dim + d] - projection.mean[d];
      x += c * projection.axes[0][d];
      y += c * projection.axes[1][d];
    }
    radii[i] = Math.hypot(x, y);
  }
  radii.sort();
  const r = Math.max(1e-6, minRadius, radii[Math.floor(0.97 * Math.max(0, n - 1))] ?? 1);
  return {
    affine: { mode: 'pca', rows: [projection.axes[0], projection.axes[1]], offset: projection.mean, scale: 1 / r },
    projection,
  };
}

/** Projects `count` rows of `data` (dim wide): out holds x, y, depth per row (depth 1 without a depth row). */
export function projectPoints(
  a: Affine,
  data: ArrayLike<number>,
  count: number,
  dim: number,
  out = new Float32Array(count * 3),
): Float32Array {
  const [rx, ry, rz] = a.rows;
  for (let i = 0; i < count; i++) {
    let x = 0,
      y = 0,
      z = 0;
    for (let d = 0; d < dim; d++) {
      const c = data[i * dim + d] - (a.offset ? a.offset[d] : 0);
      x += c * rx[d];
      y += c * ry[d];
      if (rz) z += c * rz[d];
    }
    out[3 * i] = x * a.scale;
    out[3 * i + 1] = y * a.scale;
    out[3 * i + 2] = rz ? z : 1;
  }
  return out;
}

/** The linear part only: where a tangent vector v at some point points on the screen. */
export function projectVector(a: Affine, v: ArrayLike<number>): [number, number] {
  let x = 0,
    y = 0;
  for (let d = 0; d < v.length; d++) {
    x += v[d] * a.rows[0][d];
    y += v[d] * a.rows[1][d];
  }
  return [x * a.scale, y * a.scale];
}

/** Blend of two affines of the same shape (PCA axes are sign-aligned frame to frame, so this is
 *  a smooth turn); used to glide between snapshots. */
export function lerpAffine(a: Affine, b: Affine, t: number): Affine {
  if (a.mode !== b.mode || a.rows.length !== b.rows.length || a.rows[0].length !== b.rows[0].length) return b;
  const mix = (u: Float64Array, v: Float64Array) => Float64Array.from(u, (x, k) => x + (v[k] - x) * t);
  return {
    mode: b.mode,
    rows: a.rows.map((r, k) => mix(r, b.rows[k])),
    offset: a.offset && b.offset ? mix(a.offset, b.offset) : b.offset,
    scale: a.scale + (b.scale - a.scale) * t,
  };
}
