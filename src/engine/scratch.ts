// The honest supervised baseline for a probe: the same encoder architecture, freshly
// initialised (same seed as the contrastive run), plus a linear head, trained with
// cross-entropy on the same few labelled images, with the dataset's augmentations, for as many
// images as the pre-training has put through the encoder (scratchSteps). If pre-training plus a
// linear probe does not beat this, pre-training bought nothing.

import * as tf from '@tensorflow/tfjs';
import { augmentParams } from '../core/augmentSettings';
import type { Dataset } from '../core/dataset';
import { deriveSeed, Rng } from '../core/rng';
import type { Settings } from '../core/settings';
import { matMul } from './ops/matmul';
import { imagesTensor } from './eval';
import { buildEncoder } from './model';
import { augmentBatch } from './augmentBatch';
import { SCRATCH_BUDGET } from '../protocol';

/**
 * The budget, in steps of SCRATCH_BUDGET.batch images: the same number of images through the
 * network as the contrastive run has used (`contrastiveViews`: two views of every image it has
 * seen), so the two are compared at equal compute, within SCRATCH_BUDGET's bounds (the most:
 * a few minutes of a paused wasm worker). With augmentations a few-label CNN keeps improving
 * long after it fits its labels, so a short fixed budget would flatter pre-training
 * (docs/decisions/0007).
 */
export function scratchSteps(contrastiveViews: number): { steps: number; matched: number } {
  const { batch, minSteps, maxSteps } = SCRATCH_BUDGET;
  const matched = Math.ceil(contrastiveViews / batch);
  return { steps: Math.min(maxSteps, Math.max(minSteps, matched)), matched };
}

/** Adam's usual step size for a supervised CNN of this size. */
const SCRATCH_LR = 1e-3;
const EVAL_CHUNK = 500;

/**
 * Trains, yielding its progress (0..1) after every step so the worker can interleave its own
 * training, and returns held-out accuracy. All tensors, variables and optimizer slots are
 * freed when it ends, also when it throws or the caller abandons it (return()).
 */
export async function* supervisedFromScratch(
  data: Dataset, labelled: Int32Array, test: Int32Array, settings: Settings, steps: number,
): AsyncGenerator<number, number> {
  const numClasses = data.classNames.length;
  const encoder = buildEncoder(settings.model, {
    height: data.height, width: data.width, channels: data.channels, embeddingDim: settings.embeddingDim,
  }, settings.seed);
  const [w, b] = tf.tidy(() => {
    const lim = Math.sqrt(6 / (encoder.hDim + numClasses));
    return [
      tf.variable(tf.randomUniform([encoder.hDim, numClasses], -lim, lim, 'float32', deriveSeed(settings.seed, 4242))) as tf.Variable<tf.Rank.R2>,
      tf.variable(tf.zeros([numClasses])) as tf.Variable<tf.Rank.R1>,
    ];
  });
  const opt = tf.train.adam(SCRATCH_LR);
  const params = augmentParams(settings.augments);
  const rng = new Rng(deriveSeed(settings.seed, 5151));
  // A full batch even when fewer images are labelled (8 with one per class on Shapes): each then
  // comes several times per batch, in different augmented views, and the images through the
  // network still match pre-training's.
  const batch = SCRATCH_BUDGET.batch;
  let order: Int32Array = Int32Array.from(labelled), cursor = order.length;
  try {
    for (let step = 0; step < steps; step++) {
      const idx = new Int32Array(batch);
      for (let i = 0; i < batch; i++) {
        if (cursor >= order.length) { order = rng.shuffle(order) as Int32Array; cursor = 0; }
        idx[i] = order[cursor++];
      }
      const y = Int32Array.from(idx, (i) => data.labels[i]);
      tf.tidy(() => {
        const x = augmentBatch(imagesTensor(data, idx), params, deriveSeed(settings.seed, 900_000 + step));
        const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), numClasses);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(onehot, tf.add(matMul(encoder.encode(x), w), b)) as tf.Scalar,
          false, [...encoder.variables, w, b] as tf.Variable[]);
      });
      yield (step + 1) / steps;
    }
    let correct = 0;
    for (let s = 0; s < test.length; s += EVAL_CHUNK) {
      const part = test.subarray(s, s + EVAL_CHUNK);
      const p = tf.tidy(() => tf.argMax(tf.add(matMul(encoder.encode(imagesTensor(data, part)), w), b), 1));
      const pred = (await p.data()) as Int32Array;
      p.dispose();
      for (let i = 0; i < part.length; i++) if (pred[i] === data.labels[part[i]]) correct++;
    }
    return correct / test.length;
  } finally {
    opt.dispose();
    encoder.dispose();
    tf.dispose([w, b]);
  }
}
