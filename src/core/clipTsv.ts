// The Projector export of a CLIP run: the display images and, after them, one caption point
// per image in the same space, with a modality column (image or caption) and the caption's
// text, so the projector can colour or search by either.

import type { MetadataColumn } from './embeddingTsv';

export interface ClipExportInput {
  /** Image points: dataset index, z (count * dim) and the factor columns. */
  indices: ArrayLike<number>;
  z: Float32Array;
  dim: number;
  factors: MetadataColumn[];
  /** One caption per image, in the same order, and its embedding (count * dim). */
  captions: { texts: string[]; z: Float32Array };
}

export function clipProjectorRows(e: ClipExportInput): {
  vectors: Float32Array;
  count: number;
  indices: Int32Array;
  columns: MetadataColumn[];
} {
  const n = e.indices.length;
  if (e.captions.texts.length !== n || e.captions.z.length !== n * e.dim)
    throw new Error('clipProjectorRows: one caption per image point is needed');
  const vectors = new Float32Array(2 * n * e.dim);
  vectors.set(e.z.subarray(0, n * e.dim));
  vectors.set(e.captions.z, n * e.dim);
  const indices = Int32Array.from({ length: 2 * n }, (_, r) => e.indices[r % n]);
  const twice = (v: ArrayLike<number>) => Int32Array.from({ length: 2 * n }, (_, r) => v[r % n]);
  const texts = [...new Set(e.captions.texts)];
  const textId = new Map(texts.map((t, k) => [t, k]));
  const columns: MetadataColumn[] = [
    ...e.factors.map((f) => ({ name: f.name, classes: f.classes, values: twice(f.values) })),
    {
      name: 'modality',
      classes: ['image', 'caption'],
      values: Int32Array.from({ length: 2 * n }, (_, r) => (r < n ? 0 : 1)),
    },
    // Each row's caption: an image point carries its own caption too, so the two are easy to match.
    {
      name: 'caption',
      classes: texts,
      values: Int32Array.from({ length: 2 * n }, (_, r) => textId.get(e.captions.texts[r % n])!),
    },
  ];
  return { vectors, count: 2 * n, indices, columns };
}
