// Evaluation at scale with tfjs: embedding many images in chunks, and cosine kNN as a matMul
// of normalised embeddings plus tf.topk, a chunk of queries at a time (2,000 x 8,000 in one
// go would be a 64 MB similarity matrix). The vote is src/core/knn.ts's, so this agrees with
// the plain version there (tests/unit/knn.test.ts checks it).

import * as tf from '@tensorflow/tfjs';
import { type Dataset, gatherImages } from '../core/dataset';
import { normalizeRows, vote } from '../core/knn';
import { l2Normalize } from './ops/losses';
import type { Encoder } from './model';

/** Images as a [n, H, W, C] tensor in [0, 1]. */
export function imagesTensor(data: Dataset, indices: ArrayLike<number>): tf.Tensor4D {
  return tf.tensor4d(gatherImages(data, indices), [indices.length, data.height, data.width, data.channels]);
}

/** h and z (z L2-normalised) of some images, read back to the CPU; nothing stays on the backend. */
export async function embed(
  encoder: Encoder,
  data: Dataset,
  indices: ArrayLike<number>,
): Promise<{ h: Float32Array; z: Float32Array }> {
  const [h, z] = tf.tidy(() => {
    const hh = encoder.encode(imagesTensor(data, indices));
    return [hh, l2Normalize(encoder.project(hh))];
  });
  try {
    const [hd, zd] = await Promise.all([h.data(), z.data()]);
    return { h: hd as Float32Array, z: zd as Float32Array };
  } finally {
    tf.dispose([h, z]);
  }
}

/**
 * The reference set as kNN wants it: rows normalised, then transposed to dim x n, so each
 * query chunk is one plain matMul (no transposed operand: on wasm that path was far slower
 * for Shapes' 3,072-pixel rows). Done once per evaluation on the CPU.
 */
export function prepareReference(ref: Float32Array, dim: number): Float32Array {
  const n = ref.length / dim;
  const unit = normalizeRows(ref, n, dim);
  const t = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) t[d * n + i] = unit[i * dim + d];
  return t;
}

/**
 * Predictions of cosine kNN for queries[qStart, qEnd) against every reference row, for one
 * or more label sets over the same references (e.g. Shapes' shape and colour: one topk, two
 * votes). refT comes from prepareReference. Tensors live only inside this call.
 */
export async function knnChunk(
  refT: Float32Array,
  queries: Float32Array,
  dim: number,
  qStart: number,
  qEnd: number,
  k: number,
  labelSets: { labels: ArrayLike<number>; numClasses: number }[],
): Promise<Int32Array[]> {
  const n = refT.length / dim;
  const kk = Math.min(k, n);
  const { indices, values } = tf.tidy(() => {
    const r = tf.tensor2d(refT, [dim, n]);
    const q = l2Normalize(tf.tensor2d(queries.subarray(qStart * dim, qEnd * dim), [qEnd - qStart, dim]));
    return tf.topk(tf.matMul(q, r), kk, true);
  });
  let idx: Int32Array, sim: Float32Array;
  try {
    [idx, sim] = (await Promise.all([indices.data(), values.data()])) as [Int32Array, Float32Array];
  } finally {
    tf.dispose([indices, values]);
  }
  const m = qEnd - qStart;
  return labelSets.map(({ labels, numClasses }) => {
    const out = new Int32Array(m);
    for (let i = 0; i < m; i++)
      out[i] = vote(idx.subarray(i * kk, (i + 1) * kk), sim.subarray(i * kk, (i + 1) * kk), labels, numClasses);
    return out;
  });
}

/** All queries at once, in chunks: the tfjs counterpart of core/knn.ts's knnPredict. */
export async function knnPredictTf(
  ref: Float32Array,
  refLabels: ArrayLike<number>,
  queries: Float32Array,
  dim: number,
  k: number,
  numClasses: number,
  chunk = 256,
): Promise<Int32Array> {
  const m = queries.length / dim;
  const out = new Int32Array(m);
  const refT = prepareReference(ref, dim);
  for (let s = 0; s < m; s += chunk) {
    const e = Math.min(m, s + chunk);
    const [p] = await knnChunk(refT, queries, dim, s, e, k, [{ labels: refLabels, numClasses }]);
    out.set(p, s);
  }
  return out;
}

/** Something that lends an encoder for one chunk of work and takes it back after. */
export type EncoderLoan = () => { encoder: Encoder; done: () => void };

/**
 * The encoder's weights as they are now, kept as plain arrays, lent as a fresh encoder per
 * chunk. An evaluation spread over many chunks (with training steps between them) then embeds
 * every image with the same weights: with the live encoder, the first training images would be
 * embedded several steps before the last ones and the held-out set, and kNN would compare
 * points from different models. No tensor outlives a chunk.
 */
export async function frozenEncoder(live: Encoder, build: () => Encoder): Promise<EncoderLoan> {
  const weights = await readWeights(live);
  return builtPerChunk(() => {
    const encoder = build();
    tf.tidy(() => encoder.variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
    return encoder;
  });
}

/** A copy of an encoder's weights as plain arrays, one per variable. */
export function readWeights(encoder: Encoder): Promise<Float32Array[]> {
  return Promise.all(encoder.variables.map((v) => v.data() as Promise<Float32Array>));
}

/** An encoder built anew for each chunk and disposed after it (nothing stays alive between chunks). */
export function builtPerChunk(build: () => Encoder): EncoderLoan {
  return () => {
    const encoder = build();
    return { encoder, done: () => encoder.dispose() };
  };
}
