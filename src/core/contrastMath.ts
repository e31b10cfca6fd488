// The contrastive math for the views, in plain typed-array code (docs/science.md, "Losses"
// and "Gradients and forces"). The worker trains with the tfjs losses in engine/ops/losses.ts;
// this file recomputes the same quantities on the page from the last snapshot's batch, so the
// temperature slider can re-weight the negatives at once, even while training is paused. Tests
// hold the two together.
//
// Layout: z is 2N unit rows of length dim; rows 0..N-1 are view 1, N..2N-1 view 2, and the
// positive of row i is (i + N) mod 2N. Sums are accumulated in float64.

export interface ContrastBatch {
  /** 2N * dim, rows L2-normalised. */
  z: Float32Array;
  /** N: images in the batch (2N views). */
  n: number;
  dim: number;
  /** Class label per row (length 2N), used only to mark false negatives. */
  labels?: Int32Array;
}

/** The other view of the same image. */
export const partnerOf = (i: number, n: number) => (i + n) % (2 * n);

/** Cosine similarities s_ij = z_i . z_j, an M x M row-major matrix (rows are unit vectors). */
export function similarityMatrix(z: Float32Array, m: number, dim: number): Float64Array {
  const s = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let acc = 0;
      for (let d = 0; d < dim; d++) acc += z[i * dim + d] * z[j * dim + d];
      s[i * m + j] = acc;
      s[j * m + i] = acc;
    }
  }
  return s;
}

/** One row's similarities to every other row (the anchor's own entry included, unused). */
export function similarityRow(z: Float32Array, m: number, dim: number, i: number): Float64Array {
  const row = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let d = 0; d < dim; d++) acc += z[i * dim + d] * z[j * dim + d];
    row[j] = acc;
  }
  return row;
}

/**
 * Softmax over k != i of s_ik / tau, as logsumexp (exp(1/0.01) = e^100 would overflow float32;
 * float64 copes, but subtracting the max keeps every term <= 1 anyway). Returns p (p_i = 0)
 * and the log-normaliser, so -log p_k = lse - s_k / tau without ever forming a ratio.
 */
export function softmaxExcluding(row: ArrayLike<number>, self: number, tau: number): { p: Float64Array; lse: number } {
  const m = row.length;
  let max = -Infinity;
  for (let k = 0; k < m; k++) if (k !== self && row[k] / tau > max) max = row[k] / tau;
  const p = new Float64Array(m);
  let sum = 0;
  for (let k = 0; k < m; k++) {
    if (k === self) continue;
    p[k] = Math.exp(row[k] / tau - max);
    sum += p[k];
  }
  for (let k = 0; k < m; k++) p[k] /= sum;
  return { p, lse: max + Math.log(sum) };
}

/** exp(entropy) of weights proportional to w (need not sum to 1): how many of them count. */
export function perplexity(w: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < w.length; k++) total += w[k];
  if (!(total > 0)) return 0;
  let h = 0;
  for (let k = 0; k < w.length; k++) {
    const q = w[k] / total;
    if (q > 0) h -= q * Math.log(q);
  }
  return Math.exp(h);
}

/** Effective number of negatives for similarities s_j at temperature tau: exp(H(softmax(s/tau))). */
export function effectiveNegatives(sims: ArrayLike<number>, tau: number): number {
  let max = -Infinity;
  for (let k = 0; k < sims.length; k++) max = Math.max(max, sims[k] / tau);
  const w = Float64Array.from(sims as ArrayLike<number>, (s) => Math.exp(s / tau - max));
  return perplexity(w);
}

/** (I - z z^T) v: the part of v that moves z along the sphere (the rest only changes its norm,
 *  which the L2 normalisation throws away). */
export function tangent(z: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  let dot = 0;
  for (let d = 0; d < v.length; d++) dot += z[d] * v[d];
  return Float64Array.from(v as ArrayLike<number>, (x, d) => x - dot * z[d]);
}

export interface Negative {
  /** Row in the batch (0..2N-1). */
  index: number;
  /** Cosine similarity to the anchor. */
  sim: number;
  /** Softmax weight in the anchor's denominator (its share of the push). */
  p: number;
  /** Same class as the anchor: the loss pushes it away although it should not. */
  falseNegative: boolean;
  /** This negative's tangent push on the anchor, -(p_j / tau)(I - z z^T) z_j (points away from z_j). */
  push: Float64Array;
}

export interface AnchorAnalysis {
  anchor: number;
  positive: number;
  tau: number;
  /** s_{i,i+}. */
  posSim: number;
  /** p+: the positive's probability among the 2N - 1 candidates. */
  pPos: number;
  /** l_i = -log p+ = logsumexp_{k != i}(s_ik / tau) - s_{i,i+} / tau. */
  loss: number;
  /** log of the softmax denominator, logsumexp_{k != i}(s_ik / tau). */
  lse: number;
  /** The 2N - 2 negatives, most similar (hardest) first. */
  negatives: Negative[];
  /** exp(H) of the weights over the negatives, renormalised to sum to 1. */
  effectiveNegatives: number;
  /** F_i = (1/tau)[(1 - p+) z+ - sum_j p_j z_j]: minus the gradient of l_i w.r.t. z_i. */
  force: Float64Array;
  /** (I - z_i z_i^T) F_i: the arrow drawn on the sphere. */
  forceTangent: Float64Array;
  /** The positive's tangent pull, ((1 - p+)/tau)(I - z z^T) z+. Pull + sum of pushes = forceTangent. */
  pull: Float64Array;
}

/** Everything the views show about one anchor at temperature tau (which need not be the
 *  temperature the batch was trained at: the slider re-weights the last snapshot). */
export function analyseAnchor(batch: ContrastBatch, anchor: number, tau: number): AnchorAnalysis {
  const { z, n, dim, labels } = batch;
  const m = 2 * n;
  const pos = partnerOf(anchor, n);
  const row = similarityRow(z, m, dim, anchor);
  const { p, lse } = softmaxExcluding(row, anchor, tau);
  const zi = z.subarray(anchor * dim, (anchor + 1) * dim);
  const pPos = p[pos];

  const force = new Float64Array(dim);
  for (let d = 0; d < dim; d++) force[d] = ((1 - pPos) / tau) * z[pos * dim + d];
  const negatives: Negative[] = [];
  const negWeights: number[] = [];
  for (let j = 0; j < m; j++) {
    if (j === anchor || j === pos) continue;
    const zj = z.subarray(j * dim, (j + 1) * dim);
    for (let d = 0; d < dim; d++) force[d] -= (p[j] / tau) * zj[d];
    const push = tangent(zi, zj);
    for (let d = 0; d < dim; d++) push[d] *= -p[j] / tau;
    negatives.push({
      index: j,
      sim: row[j],
      p: p[j],
      falseNegative: labels ? labels[j] === labels[anchor] : false,
      push,
    });
    negWeights.push(p[j]);
  }
  negatives.sort((a, b) => b.sim - a.sim || a.index - b.index);
  const pull = tangent(zi, z.subarray(pos * dim, (pos + 1) * dim));
  for (let d = 0; d < dim; d++) pull[d] *= (1 - pPos) / tau;
  return {
    anchor,
    positive: pos,
    tau,
    posSim: row[pos],
    pPos,
    loss: lse - row[pos] / tau,
    lse,
    negatives,
    effectiveNegatives: perplexity(negWeights),
    force,
    forceTangent: tangent(zi, force),
    pull,
  };
}

/** Per-anchor loss terms l_i for every row; their mean is the NT-Xent loss. */
export function lossTerms(batch: ContrastBatch, tau: number): Float64Array {
  const m = 2 * batch.n;
  const s = similarityMatrix(batch.z, m, batch.dim);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const { lse } = softmaxExcluding(s.subarray(i * m, (i + 1) * m), i, tau);
    out[i] = lse - s[i * m + partnerOf(i, batch.n)] / tau;
  }
  return out;
}

export function ntXent(batch: ContrastBatch, tau: number): number {
  const l = lossTerms(batch, tau);
  let sum = 0;
  for (const v of l) sum += v;
  return sum / l.length;
}

/**
 * Full-batch gradient of L = mean_i l_i w.r.t. each z_i (z treated as free vectors):
 * dL/dz_i = (1/(2N tau)) sum_k [(P - Y)_ik + (P - Y)_ki] z_k. The first term is i's own
 * anchor loss; the second is i appearing in every other anchor's denominator (and as k's
 * positive). Returns 2N * dim.
 */
export function batchGradient(batch: ContrastBatch, tau: number): Float64Array {
  const { z, n, dim } = batch;
  const m = 2 * n;
  const s = similarityMatrix(z, m, dim);
  // A = P - Y, row-major.
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const { p } = softmaxExcluding(s.subarray(i * m, (i + 1) * m), i, tau);
    a.set(p, i * m);
    a[i * m + partnerOf(i, n)] -= 1;
  }
  const g = new Float64Array(m * dim);
  const scale = 1 / (m * tau);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const c = (a[i * m + k] + a[k * m + i]) * scale;
      if (c === 0) continue;
      for (let d = 0; d < dim; d++) g[i * dim + d] += c * z[k * dim + d];
    }
  }
  return g;
}

/** The force on every batch point under the full loss: -(I - z z^T) dL/dz_i, 2N * dim. */
export function batchForces(batch: ContrastBatch, tau: number): Float64Array {
  const { z, dim } = batch;
  const g = batchGradient(batch, tau);
  const m = 2 * batch.n;
  const out = new Float64Array(m * dim);
  for (let i = 0; i < m; i++) {
    const t = tangent(z.subarray(i * dim, (i + 1) * dim), g.subarray(i * dim, (i + 1) * dim));
    for (let d = 0; d < dim; d++) out[i * dim + d] = -t[d];
  }
  return out;
}

/**
 * The force on every batch point under the alignment-only loss (1/N) sum ||z_i - z_i+||^2:
 * -(I - z z^T) dL/dz_i = (2/N)(I - z_i z_i^T) z_i+, a pull toward the partner and nothing else.
 */
export function alignmentForces(batch: ContrastBatch): Float64Array {
  const { z, n, dim } = batch;
  const out = new Float64Array(2 * n * dim);
  for (let i = 0; i < 2 * n; i++) {
    const p = partnerOf(i, n);
    const t = tangent(z.subarray(i * dim, (i + 1) * dim), z.subarray(p * dim, (p + 1) * dim));
    for (let d = 0; d < dim; d++) out[i * dim + d] = (2 / n) * t[d];
  }
  return out;
}
