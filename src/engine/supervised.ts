// A network trained on labels: the encoder plus a linear head, cross-entropy, the dataset's
// augmentations. From scratch it starts at the seeded initialisation; fine-tuning starts from
// a copy of the pre-trained weights (the training encoder is never touched) with a smaller
// step for the encoder than for the head. Given a validation split it picks its own stopping
// point there (the best evaluation's weights, patience-limited, capped); without one it runs
// the steps it was given. Held-out images are looked at once, at the end.

import * as tf from '@tensorflow/tfjs';
import { augmentParams } from '../core/augmentSettings';
import type { Dataset } from '../core/dataset';
import { SUPERVISED_BUDGET } from '../core/labelRecipe';
import { deriveSeed, Rng } from '../core/rng';
import type { Settings } from '../core/settings';
import { augmentBatch } from './augmentBatch';
import { imagesTensor } from './eval';
import type { Encoder } from './model';
import { matMul } from './ops/matmul';

const EVAL_CHUNK = 500;

export interface SupervisedRun {
  data: Dataset;
  /** The network to train; this run owns it and disposes it. */
  encoder: Encoder;
  fit: Int32Array;
  /** Validation images (empty: train exactly `steps`). */
  val: Int32Array;
  test: Int32Array;
  settings: Settings;
  /** Steps without validation; the cap with it. */
  steps: number;
  encoderLr: number;
  headLr: number;
  /** Validation cadence and patience, in steps and evaluations (SUPERVISED_BUDGET's by default). */
  evalEvery?: number;
  patience?: number;
}

export interface SupervisedResult {
  testAccuracy: number;
  /** Steps whose weights were tested (the best validation point when there was one). */
  steps: number;
  /** Steps actually run (compute spent). */
  ran: number;
}

/** A fresh encoder of `build`'s architecture holding `weights` (a copy: the source is not touched). */
export function encoderFrom(build: () => Encoder, weights: Float32Array[]): Encoder {
  const e = build();
  tf.tidy(() => e.variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
  return e;
}

/** Accuracy and mean cross-entropy of encoder + head on `indices`, a chunk at a time; nothing
 *  stays on the backend. */
async function evaluate(
  data: Dataset,
  encoder: Encoder,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  indices: Int32Array,
): Promise<{ accuracy: number; loss: number }> {
  const numClasses = data.classNames.length;
  let correct = 0,
    loss = 0;
  for (let s = 0; s < indices.length; s += EVAL_CHUNK) {
    const part = indices.subarray(s, s + EVAL_CHUNK);
    const y = Int32Array.from(part, (i) => data.labels[i]);
    const [p, l] = tf.tidy(() => {
      const logits = tf.add(matMul(encoder.encode(imagesTensor(data, part)), w), b);
      return [
        tf.argMax(logits, 1),
        tf.sum(
          tf.losses.softmaxCrossEntropy(
            tf.oneHot(tf.tensor1d(y, 'int32'), numClasses),
            logits,
            undefined,
            undefined,
            tf.Reduction.NONE,
          ),
        ),
      ];
    });
    const [pred, sum] = (await Promise.all([p.data(), l.data()])) as [Int32Array, Float32Array];
    tf.dispose([p, l]);
    for (let i = 0; i < part.length; i++) if (pred[i] === y[i]) correct++;
    loss += sum[0];
  }
  const n = Math.max(1, indices.length);
  return { accuracy: correct / n, loss: loss / n };
}

/** Better on validation: more accurate, or as accurate with a lower loss (a few validation
 *  images tie often; the loss still tells whether the network is getting surer or worse). */
const better = (a: { accuracy: number; loss: number }, b: { accuracy: number; loss: number }) =>
  a.accuracy > b.accuracy || (a.accuracy === b.accuracy && a.loss < b.loss);

/**
 * Trains, yielding its progress (0..1) after every step so the worker can interleave other
 * work, and returns held-out accuracy. Everything it made (the network, head, optimizer slots,
 * the best weights kept) is freed when it ends, throws or is abandoned.
 */
export async function* trainSupervised(r: SupervisedRun): AsyncGenerator<number, SupervisedResult> {
  const { data, encoder, settings } = r;
  const numClasses = data.classNames.length;
  const evalEvery = r.evalEvery ?? SUPERVISED_BUDGET.evalEvery;
  const patience = r.patience ?? SUPERVISED_BUDGET.patience;
  const validate = r.val.length > 0;
  const [w, b] = tf.tidy(() => {
    const lim = Math.sqrt(6 / (encoder.hDim + numClasses));
    return [
      tf.variable(
        tf.randomUniform([encoder.hDim, numClasses], -lim, lim, 'float32', deriveSeed(settings.seed, 4242)),
      ) as tf.Variable<tf.Rank.R2>,
      tf.variable(tf.zeros([numClasses])) as tf.Variable<tf.Rank.R1>,
    ];
  });
  const headOpt = tf.train.adam(r.headLr);
  const encOpt = r.encoderLr === r.headLr ? headOpt : tf.train.adam(r.encoderLr);
  const vars = [...encoder.variables, w, b] as tf.Variable[];
  let best: { score: { accuracy: number; loss: number }; step: number; weights: tf.Tensor[] } | null = null;
  const params = augmentParams(settings.augments);
  const rng = new Rng(deriveSeed(settings.seed, 5151));
  // A full batch even when fewer images are labelled (8 with one per class on Shapes): each then
  // comes several times per batch, in different augmented views.
  const batch = SUPERVISED_BUDGET.batch;
  let order: Int32Array = Int32Array.from(r.fit),
    cursor = order.length;
  let step = 0,
    sinceBest = 0;
  try {
    while (step < r.steps) {
      const idx = new Int32Array(batch);
      for (let i = 0; i < batch; i++) {
        if (cursor >= order.length) {
          order = rng.shuffle(order) as Int32Array;
          cursor = 0;
        }
        idx[i] = order[cursor++];
      }
      const y = Int32Array.from(idx, (i) => data.labels[i]);
      tf.tidy(() => {
        const x = augmentBatch(imagesTensor(data, idx), params, deriveSeed(settings.seed, 900_000 + step));
        const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), numClasses);
        const loss = () => tf.losses.softmaxCrossEntropy(onehot, tf.add(matMul(encoder.encode(x), w), b)) as tf.Scalar;
        if (encOpt === headOpt) {
          headOpt.minimize(loss, false, vars);
        } else {
          const { grads } = tf.variableGrads(loss, vars);
          encOpt.applyGradients(encoder.variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
          headOpt.applyGradients([
            { name: w.name, tensor: grads[w.name] },
            { name: b.name, tensor: grads[b.name] },
          ]);
        }
      });
      step++;
      if (validate && (step % evalEvery === 0 || step === r.steps)) {
        const score = await evaluate(data, encoder, w, b, r.val);
        if (!best || better(score, best.score)) {
          if (best) tf.dispose(best.weights);
          best = { score, step, weights: vars.map((v) => tf.clone(v)) };
          sinceBest = 0;
        } else if (++sinceBest >= patience) {
          break;
        }
      }
      yield step / r.steps;
    }
    const ran = step;
    if (best) {
      const kept = best.weights;
      vars.forEach((v, i) => v.assign(kept[i]));
      step = best.step;
    }
    return { testAccuracy: (await evaluate(data, encoder, w, b, r.test)).accuracy, steps: step, ran };
  } finally {
    if (best) tf.dispose(best.weights);
    headOpt.dispose();
    if (encOpt !== headOpt) encOpt.dispose();
    encoder.dispose();
    tf.dispose([w, b]);
  }
}
