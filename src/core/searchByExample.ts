// Search by example: a query's nearest neighbours by cosine similarity among a set of
// embedded images (the held-out set), and how each neighbour is named for people ("digit 1",
// "red star", a user's class). Plain loops: one query against a few thousand rows is well
// under a millisecond, so neither a tfjs kernel nor a worker round trip is worth it.

import type { Dataset } from './dataset';
import { topK } from './knn';

export const NEIGHBOURS = 12;

export interface Neighbour {
  /** Row of the reference set. */
  row: number;
  /** Cosine similarity to the query, in [-1, 1]. */
  similarity: number;
}

/**
 * The k rows of refs (n x dim) most similar to query (dim) by cosine, most similar first; the
 * row `exclude` (the query itself, when it is one of the references) is left out. A zero
 * query has no direction and gives no neighbours.
 */
export function nearestByCosine(
  query: Float32Array,
  refs: Float32Array,
  dim: number,
  k = NEIGHBOURS,
  exclude = -1,
): Neighbour[] {
  const n = Math.floor(refs.length / dim);
  let qn = 0;
  for (let d = 0; d < dim; d++) qn += query[d] * query[d];
  if (qn === 0 || n === 0) return [];
  qn = Math.sqrt(qn);
  const sims = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let dot = 0,
      rn = 0;
    for (let d = 0; d < dim; d++) {
      const r = refs[j * dim + d];
      dot += query[d] * r;
      rn += r * r;
    }
    sims[j] = j === exclude ? -Infinity : rn > 0 ? dot / (qn * Math.sqrt(rn)) : 0;
  }
  const top = topK(sims, Math.min(k, exclude >= 0 && exclude < n ? n - 1 : n));
  return Array.from(top.indices, (row, i) => ({ row, similarity: top.values[i] }));
}

/**
 * An image's name for alt text and captions: MNIST "digit 7", Shapes "red star" (its colour
 * and shape factors), any other dataset its class name.
 */
export function imageLabel(d: Pick<Dataset, 'id' | 'labels' | 'classNames' | 'factors'>, index: number): string {
  const cls = d.classNames[d.labels[index]];
  if (d.id === 'mnist') return `digit ${cls}`;
  const colour = d.factors.find((f) => f.name === 'colour');
  return colour ? `${colour.classes[colour.values[index]]} ${cls}` : cls;
}
