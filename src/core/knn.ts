// Cosine k-nearest-neighbour classification, the standard quick read-out of what an encoder
// has learned (no training, no hyper-parameters beyond k). This plain version is exact and
// slow (O(queries x references x dim)): it serves small cases and is the reference the tfjs
// version in src/engine/eval.ts is tested against. Both share `vote`.

/** Rows scaled to unit length (zero rows stay zero), as a new array. */
export function normalizeRows(x: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += x[i * dim + k] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dim; k++) out[i * dim + k] = x[i * dim + k] * inv;
  }
  return out;
}

/**
 * Majority vote among one query's neighbours. Ties are broken by the summed similarity of the
 * tied classes' neighbours, so the nearer group wins (and k = 1 is plain nearest neighbour).
 */
export function vote(
  neighbours: ArrayLike<number>,
  sims: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): number {
  const count = new Float64Array(numClasses);
  const simSum = new Float64Array(numClasses);
  for (let j = 0; j < neighbours.length; j++) {
    const c = labels[neighbours[j]];
    count[c]++;
    simSum[c] += sims[j];
  }
  let best = 0;
  for (let c = 1; c < numClasses; c++) {
    if (count[c] > count[best] || (count[c] === count[best] && simSum[c] > simSum[best])) best = c;
  }
  return best;
}

/** Indices and values of the k largest entries of row (descending; lower index first on ties). */
export function topK(row: ArrayLike<number>, k: number): { indices: Int32Array; values: Float32Array } {
  const order = Array.from({ length: row.length }, (_, i) => i);
  order.sort((a, b) => row[b] - row[a] || a - b);
  const kk = Math.min(k, row.length);
  return { indices: Int32Array.from(order.slice(0, kk)), values: Float32Array.from(order.slice(0, kk), (i) => row[i]) };
}

export interface KnnInput {
  /** Reference (training) features, n x dim, any scale: they are normalised here. */
  train: Float32Array;
  trainLabels: ArrayLike<number>;
  /** Query (held-out) features, m x dim. */
  test: Float32Array;
  dim: number;
  k: number;
  numClasses: number;
}

/** Predicted class of every query. */
export function knnPredict({ train, trainLabels, test, dim, k, numClasses }: KnnInput): Int32Array {
  const n = train.length / dim,
    m = test.length / dim;
  const a = normalizeRows(train, n, dim),
    q = normalizeRows(test, m, dim);
  const out = new Int32Array(m);
  const row = new Float32Array(n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += q[i * dim + d] * a[j * dim + d];
      row[j] = s;
    }
    const t = topK(row, k);
    out[i] = vote(t.indices, t.values, trainLabels, numClasses);
  }
  return out;
}

/** Share of predictions equal to the truth, in [0, 1]. */
export function accuracy(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) ok++;
  return pred.length ? ok / pred.length : NaN;
}
