// Search by example in the worker: one image (a drawing, a user's picture, a dataset image)
// through the current encoder, its nearest held-out images in h and in z, and, when it is to
// be the triples panel's anchor, a batch built around it. The held-out set's embeddings are
// kept until the weights change, so a drawing embedded again while paused costs one image.

import * as tf from '@tensorflow/tfjs';
import { augmentParams } from '../core/augmentSettings';
import { gatherImages, imageSize } from '../core/dataset';
import { toDatasetFormat } from '../core/queryImage';
import { deriveSeed } from '../core/rng';
import { imageLabel, nearestByCosine } from '../core/searchByExample';
import type { Settings } from '../core/settings';
import type { QueryCommand, QueryNeighbours, QueryResult } from '../protocol';
import { BATCH_VIEW_MAX } from '../protocol';
import { makeViews } from './augmentBatch';
import { l2Normalize } from './ops/losses';
import type { Trainer } from './trainer';

/** deriveSeed stream of a query anchor's views, apart from the training steps'. */
const QUERY_STREAM = 0x71756572;

let cache: { trainer: Trainer; step: number; h: Float32Array; z: Float32Array } | null = null;

async function reference(t: Trainer): Promise<{ h: Float32Array; z: Float32Array }> {
  if (cache && cache.trainer === t && cache.step === t.step) return cache;
  const { h, z } = await t.embedDisplayBoth();
  cache = { trainer: t, step: t.step, h, z };
  return cache;
}

function queryPixels(t: Trainer, cmd: QueryCommand): Uint8Array {
  const d = t.data;
  const size = imageSize(d);
  if (cmd.source.kind === 'index') {
    const i = cmd.source.index;
    if (!Number.isInteger(i) || i < 0 || i >= d.count) throw new Error(`no image ${i} in this dataset`);
    return d.pixels.slice(i * size, (i + 1) * size);
  }
  return toDatasetFormat(cmd.source, d);
}

export async function runQuery(
  t: Trainer,
  cmd: QueryCommand,
  settings: Settings,
): Promise<{ result: QueryResult; transfer: Transferable[] }> {
  const d = t.data;
  const size = imageSize(d);
  const pixels = queryPixels(t, cmd);
  const x = Float32Array.from(pixels, (v) => v / 255);
  const [hq, zq] = tf.tidy(() => {
    const h = t.encoder.encode(tf.tensor4d(x, [1, d.height, d.width, d.channels]));
    return [h, l2Normalize(t.encoder.project(h))];
  });
  let qh: Float32Array, qz: Float32Array;
  try {
    [qh, qz] = (await Promise.all([hq.data(), zq.data()])) as [Float32Array, Float32Array];
  } finally {
    tf.dispose([hq, zq]);
  }
  const ref = await reference(t);
  const display = t.displayIndices;
  const exclude = cmd.source.kind === 'index' ? display.indexOf(cmd.source.index) : -1;
  const neighbours = (q: Float32Array, refs: Float32Array, dim: number): QueryNeighbours => {
    const near = nearestByCosine(q, refs, dim, undefined, exclude);
    const indices = Int32Array.from(near, (n) => display[n.row]);
    const out = new Uint8Array(indices.length * size);
    indices.forEach((idx, k) => out.set(d.pixels.subarray(idx * size, (idx + 1) * size), k * size));
    return {
      indices,
      similarities: Float32Array.from(near, (n) => n.similarity),
      labels: Array.from(indices, (idx) => imageLabel(d, idx)),
      pixels: out,
    };
  };
  const h = neighbours(qh, ref.h, t.encoder.hDim);
  const zNeighbours = neighbours(qz, ref.z, t.encoder.zDim);
  const anchor = cmd.anchor ? await anchorBatch(t, x, settings) : null;
  const result: QueryResult = {
    type: 'queryResult',
    id: cmd.id,
    step: t.step,
    height: d.height,
    width: d.width,
    channels: d.channels,
    query: pixels,
    z: qz,
    h,
    zNeighbours,
    anchor,
  };
  const transfer: Transferable[] = [pixels.buffer, qz.buffer, h.pixels.buffer, zNeighbours.pixels.buffer];
  if (anchor) transfer.push(anchor.batch.embeddings.buffer, anchor.views.pixels.buffer);
  return { result, transfer };
}

/**
 * The last training batch (or the first images of the training order) with the query in place
 * of its first image, augmented with the current settings and embedded with the current
 * weights: the query's two views are the anchor and its positive, the batch its negatives.
 */
async function anchorBatch(t: Trainer, query: Float32Array, settings: Settings): Promise<QueryResult['anchor']> {
  const d = t.data;
  const n = Math.min(t.batchSize, BATCH_VIEW_MAX);
  const source = t.lastIndices ?? t.train;
  const indices = Int32Array.from({ length: n }, (_, i) => source[i % source.length]);
  indices[0] = -1;
  const imgs = gatherImages(
    d,
    indices.map((i) => Math.max(0, i)),
  );
  imgs.set(query, 0);
  const x = tf.tensor4d(imgs, [n, d.height, d.width, d.channels]);
  const [v1, v2] = makeViews(x, augmentParams(settings.augments), deriveSeed(settings.seed, QUERY_STREAM));
  x.dispose();
  const z = tf.tidy(() => l2Normalize(t.encoder.project(t.encoder.encode(tf.concat([v1, v2], 0)))));
  try {
    const [embeddings, views] = await Promise.all([z.data() as Promise<Float32Array>, t.viewPixels(v1, v2, indices)]);
    const labels = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) labels[i] = labels[i + n] = i === 0 ? -1 : d.labels[indices[i]];
    return { batch: { embeddings, labels, indices, n }, views };
  } finally {
    tf.dispose([z, v1, v2]);
  }
}
