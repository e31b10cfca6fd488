// Augmented views and display-set projections read back from the backend for the page: the
// batch strip, the augmentation preview, the embedding view.

import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../core/dataset';
import type { ViewPairs } from '../protocol';
import { imagesTensor } from './eval';
import type { Encoder } from './model';
import { l2Normalize } from './ops/losses';

/** The first indices.length images of both views as bytes, interleaved [a0, b0, a1, b1, ...]. */
export async function viewPixels(
  d: Dataset,
  v1: tf.Tensor4D,
  v2: tf.Tensor4D,
  indices: Int32Array,
): Promise<ViewPairs> {
  const k = indices.length;
  const t = tf.tidy(() => {
    const both = tf.reshape(tf.stack([tf.slice(v1, 0, k), tf.slice(v2, 0, k)], 1), [
      2 * k,
      d.height,
      d.width,
      d.channels,
    ]);
    return tf.cast(tf.round(tf.mul(tf.clipByValue(both, 0, 1), 255)), 'int32');
  });
  const pixels = Uint8Array.from((await t.data()) as Int32Array);
  t.dispose();
  return { count: k, height: d.height, width: d.width, channels: d.channels, pixels, indices };
}

/** Projections z (L2-normalised) of some images, without augmentation, in chunks of 250. */
export async function embedProjections(encoder: Encoder, data: Dataset, indices: Int32Array): Promise<Float32Array> {
  const chunk = 250;
  const dim = encoder.zDim;
  const out = new Float32Array(indices.length * dim);
  for (let start = 0; start < indices.length; start += chunk) {
    const idx = indices.subarray(start, start + chunk);
    const z = tf.tidy(() => {
      const x = imagesTensor(data, idx);
      const p = encoder.project(encoder.encode(x));
      return l2Normalize(p);
    });
    out.set((await z.data()) as Float32Array, start * dim);
    z.dispose();
  }
  return out;
}
