// A 2-D projection of high-dimensional embeddings for display: the top two principal axes,
// found by power iteration on the D x D covariance. Seeded from the previous frame's axes and
// sign-aligned to them, so the picture turns smoothly as training moves it and never flips.

export interface Projection {
  /** Two unit axes, each of length dim. */
  axes: [Float64Array, Float64Array];
  mean: Float64Array;
}

export function covariance(points: Float32Array, n: number, dim: number): { cov: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d] += points[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= Math.max(1, n);
  const cov = new Float64Array(dim * dim);
  const c = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) c[d] = points[i * dim + d] - mean[d];
    for (let a = 0; a < dim; a++) {
      const ca = c[a];
      if (ca === 0) continue;
      for (let b = a; b < dim; b++) cov[a * dim + b] += ca * c[b];
    }
  }
  for (let a = 0; a < dim; a++)
    for (let b = a; b < dim; b++) {
      cov[a * dim + b] /= Math.max(1, n - 1);
      cov[b * dim + a] = cov[a * dim + b];
    }
  return { cov, mean };
}

function matVec(m: Float64Array, v: Float64Array, dim: number, out: Float64Array): void {
  for (let a = 0; a < dim; a++) {
    let s = 0;
    for (let b = 0; b < dim; b++) s += m[a * dim + b] * v[b];
    out[a] = s;
  }
}

function normalize(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return n;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Top eigenvector of a symmetric matrix, orthogonal to `against` if given. */
function powerIteration(
  m: Float64Array,
  dim: number,
  start: Float64Array,
  against: Float64Array | null,
  iters: number,
): Float64Array {
  const v = Float64Array.from(start);
  const tmp = new Float64Array(dim);
  const deflate = (x: Float64Array) => {
    if (!against) return;
    const p = dot(x, against);
    for (let i = 0; i < dim; i++) x[i] -= p * against[i];
  };
  deflate(v);
  if (normalize(v) === 0) {
    for (let i = 0; i < dim; i++) v[i] = Math.cos(i + 1);
    deflate(v);
    normalize(v);
  }
  for (let k = 0; k < iters; k++) {
    matVec(m, v, dim, tmp);
    deflate(tmp);
    if (normalize(tmp) === 0) break;
    v.set(tmp);
  }
  return v;
}

/** Principal axes of the points, continuing from `prev` (same dim) when given. */
export function pca2(points: Float32Array, n: number, dim: number, prev?: Projection | null): Projection {
  const { cov, mean } = covariance(points, n, dim);
  const init0 =
    prev && prev.mean.length === dim
      ? prev.axes[0]
      : Float64Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0.01 * (i + 1)));
  const init1 =
    prev && prev.mean.length === dim
      ? prev.axes[1]
      : Float64Array.from({ length: dim }, (_, i) => (i === 1 ? 1 : 0.01 * (dim - i)));
  // A warm start converges in a few iterations; a cold one needs more.
  const iters = prev ? 30 : 200;
  const a0 = powerIteration(cov, dim, init0, null, iters);
  const a1 = powerIteration(cov, dim, init1, a0, iters);
  if (prev && prev.mean.length === dim) {
    // Eigenvectors are defined up to sign: keep the one closest to last frame's axis.
    if (dot(a0, prev.axes[0]) < 0) for (let i = 0; i < dim; i++) a0[i] = -a0[i];
    if (dot(a1, prev.axes[1]) < 0) for (let i = 0; i < dim; i++) a1[i] = -a1[i];
  }
  return { axes: [a0, a1], mean };
}

/** Projects the points onto the axes: returns n * 2 coordinates. */
export function project(points: Float32Array, n: number, dim: number, p: Projection): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let x = 0,
      y = 0;
    for (let d = 0; d < dim; d++) {
      const c = points[i * dim + d] - p.mean[d];
      x += c * p.axes[0][d];
      y += c * p.axes[1][d];
    }
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}
