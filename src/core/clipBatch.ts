// The CLIP batch as the page shows it: N images (rows 0..N-1 of the snapshot's batch) against
// their N captions (rows N..2N-1), the N x N image-caption similarities, and one anchor's
// softmax in either direction (an image choosing among the captions, or a caption among the
// images), recomputed here so the temperature slider changes them at once.

/** Cosine similarities, image i (row) x caption j (column), N x N row-major; rows are unit vectors. */
export function imageTextSimilarity(batch: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      const a = i * dim,
        b = (n + j) * dim;
      for (let k = 0; k < dim; k++) s += batch[a + k] * batch[b + k];
      out[i * n + j] = s;
    }
  }
  return out;
}

export type ClipDirection = 'imageToText' | 'textToImage';

export interface ClipChoice {
  /** Index of the candidate (a caption for imageToText, an image for textToImage). */
  index: number;
  similarity: number;
  /** Softmax weight at the temperature: the share of the anchor's choice it takes. */
  weight: number;
  positive: boolean;
}

/**
 * Anchor `a`'s candidates, most similar first: an image's N captions or a caption's N images,
 * each with its similarity and its softmax weight sim / temperature (what the loss's
 * cross-entropy for that anchor sees; the positive is candidate a).
 */
export function anchorChoices(
  sim: Float64Array,
  n: number,
  a: number,
  dir: ClipDirection,
  temperature: number,
): ClipChoice[] {
  const s = Array.from({ length: n }, (_, j) => (dir === 'imageToText' ? sim[a * n + j] : sim[j * n + a]));
  const max = Math.max(...s.map((v) => v / temperature));
  const e = s.map((v) => Math.exp(v / temperature - max));
  const z = e.reduce((x, y) => x + y, 0);
  return s
    .map((v, j) => ({ index: j, similarity: v, weight: e[j] / z, positive: j === a }))
    .sort((x, y) => y.similarity - x.similarity || x.index - y.index);
}
