// What the similarity-matrix view needs beyond contrastMath.ts: the whole matrix's row softmax
// (recomputed on the page whenever the temperature slider moves, also while paused) and which
// rows to draw when the batch is too large to show every cell.

import { softmaxExcluding } from './contrastMath';

/** P_ik = softmax over k != i of s_ik / tau for every row of an M x M matrix; P_ii = 0. */
export function rowSoftmaxMatrix(sim: Float64Array, m: number, tau: number): Float64Array {
  const p = new Float64Array(m * m);
  for (let i = 0; i < m; i++) p.set(softmaxExcluding(sim.subarray(i * m, (i + 1) * m), i, tau).p, i * m);
  return p;
}

/**
 * Rows of a 2N batch to draw: all of them up to `maxImages` images, else the first `maxImages`
 * images' two views (rows i and i + N), so every drawn row still shows its positive.
 */
export function sampleRows(n: number, maxImages: number): Int32Array {
  const m = Math.min(n, maxImages);
  const rows = new Int32Array(2 * m);
  for (let i = 0; i < m; i++) {
    rows[i] = i;
    rows[i + m] = i + n;
  }
  return rows;
}

/** The cells of an m x m matrix at the given rows and the same columns. */
export function subMatrix(full: Float64Array, m: number, rows: Int32Array): Float64Array {
  const k = rows.length;
  const out = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) out[r * k + c] = full[rows[r] * m + rows[c]];
  return out;
}

/** Mean of the positive cells (i, i+) and of the negative cells (neither diagonal nor positive). */
export function positiveNegativeMeans(full: Float64Array, n: number): { positive: number; negative: number } {
  const m = 2 * n;
  let pos = 0,
    neg = 0;
  for (let i = 0; i < m; i++) {
    const p = (i + n) % m;
    for (let k = 0; k < m; k++) {
      if (k === i) continue;
      if (k === p) pos += full[i * m + k];
      else neg += full[i * m + k];
    }
  }
  return { positive: pos / m, negative: m > 2 ? neg / (m * (m - 2)) : 0 };
}
