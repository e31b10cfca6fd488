// Geometry of an embedding on the unit sphere (Wang & Isola 2020): how close positive pairs
// sit (alignment) and how evenly the points spread (uniformity), plus the share of a batch's
// negatives that are secretly of the anchor's own class. Plain typed arrays, no tfjs: these
// run on a few hundred points, where a loop is faster than a round trip to the backend.

/** Mean over positive pairs of ||a_i - b_i||^2; rows already L2-normalised. 0 is perfect, 4 opposite. */
export function alignment(a: Float32Array, b: Float32Array, n: number, dim: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let k = 0; k < dim; k++) {
      const d = a[i * dim + k] - b[i * dim + k];
      d2 += d * d;
    }
    sum += d2;
  }
  return n > 0 ? sum / n : NaN;
}

/**
 * log mean over pairs i < j of exp(-2 ||z_i - z_j||^2), rows L2-normalised. 0 at collapse.
 * Summed as exp(e - max) so a spread-out set (tiny terms) does not round to log(0).
 */
export function uniformity(z: Float32Array, n: number, dim: number): number {
  if (n < 2) return NaN;
  const e = new Float64Array((n * (n - 1)) / 2);
  let p = 0,
    max = -Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let k = 0; k < dim; k++) {
        const d = z[i * dim + k] - z[j * dim + k];
        d2 += d * d;
      }
      const v = -2 * d2;
      e[p++] = v;
      if (v > max) max = v;
    }
  }
  let s = 0;
  for (let q = 0; q < p; q++) s += Math.exp(e[q] - max);
  return max + Math.log(s / p);
}

/**
 * The best uniformity reachable in `dim` dimensions: that of the uniform distribution on the
 * sphere S^(dim-1), which is the minimiser as the number of points grows (Wang & Isola, Thm 1).
 * For unit vectors ||x - y||^2 = 2 - 2t with t = x.y, so the value is -4 + log E[exp(4t)],
 * where t has density proportional to (1 - t^2)^((dim-3)/2) on [-1, 1]. It is integrated
 * numerically rather than interpolated from a table of known values (docs/science.md lists
 * them; tests/unit/geometry.test.ts holds this to them), so every dimension the settings offer
 * gets its exact value rather than a guessed curve.
 */
export function uniformityOptimum(dim: number): number {
  if (dim < 2) return NaN;
  // Substitute t = cos(theta): density proportional to sin(theta)^(dim-2) on [0, pi], smooth
  // at both ends for every dim >= 2 (the t form is singular at +-1 for dim = 2).
  const steps = 4000;
  let num = 0,
    den = 0,
    logMax = -Infinity;
  const logs: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const th = (Math.PI * s) / steps;
    const sin = Math.sin(th);
    const w = s === 0 || s === steps ? 0.5 : 1; // trapezoid weights
    const lw = dim === 2 ? 0 : (dim - 2) * Math.log(Math.max(sin, 1e-300));
    logs.push(lw + Math.log(w));
    logMax = Math.max(logMax, lw + Math.log(w) + 4 * Math.cos(th));
  }
  for (let s = 0; s <= steps; s++) {
    const th = (Math.PI * s) / steps;
    num += Math.exp(logs[s] + 4 * Math.cos(th) - logMax);
    den += Math.exp(logs[s] - logMax);
  }
  return -4 + Math.log(num / den);
}

/**
 * Share of the negatives in a 2N-view batch (rows 0..N-1 view 1, N..2N-1 view 2) that carry
 * the anchor's own label: NT-Xent pushes them away although they are the same class. Each
 * anchor has 2N - 2 negatives (itself and its partner excluded).
 */
export function falseNegativeShare(labels: ArrayLike<number>, n: number): number {
  const m = 2 * n;
  if (n < 2) return 0;
  // Count same-label pairs among the N images, then scale: every other image of the same
  // class is two negatives (both its views) for each of the anchor's two views.
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  let sameOrdered = 0; // ordered pairs (i, j), i != j, same label, among the N images
  for (const c of counts.values()) sameOrdered += c * (c - 1);
  return (4 * sameOrdered) / (m * (m - 2));
}
