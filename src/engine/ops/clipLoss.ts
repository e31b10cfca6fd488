// CLIP's loss: symmetric cross-entropy over the N x N image-text logits, each image's own
// caption the right answer among the batch's captions and each caption's own image among the
// batch's images. Written as logsumexp minus the matching logit, like losses.ts, so it stays
// finite at temperature 0.01 (logits up to 100).

import * as tf from '@tensorflow/tfjs';
import { l2Normalize, rowLogSumExp } from './losses';
import { matMul } from './matmul';

/** CLIP's initial temperature, and the cap on the logit scale 1 / temperature. */
export const CLIP_INIT_TEMPERATURE = 0.07;
export const CLIP_MAX_LOGIT_SCALE = 100;

/** Image-text logits img_i . txt_j / temperature, rows normalised: N x N. */
export function clipLogits(img: tf.Tensor2D, txt: tf.Tensor2D, temperature: number | tf.Scalar): tf.Tensor2D {
  return tf.tidy(() => tf.div(matMul(l2Normalize(img), l2Normalize(txt), false, true), temperature) as tf.Tensor2D);
}

/**
 * img, txt: N x D, row i of img pairs with row i of txt. Returns the mean of the image-to-text
 * and text-to-image cross-entropies (each a mean over its N rows); log N when nothing is learned.
 * negatives (M x D, optional): extra captions that describe none of the images (NegCLIP's hard
 * negatives, e.g. each caption with its colours swapped), added to every image's choices in the
 * image-to-text direction only. Without them a batch almost never holds two images whose
 * captions differ only in word order, so nothing in the loss rewards reading the order.
 */
export function clipLoss(
  img: tf.Tensor2D,
  txt: tf.Tensor2D,
  temperature: number | tf.Scalar,
  negatives?: tf.Tensor2D,
): tf.Scalar {
  if (img.shape[0] !== txt.shape[0] || img.shape[1] !== txt.shape[1]) {
    throw new Error(`clipLoss: image rows ${img.shape} and text rows ${txt.shape} differ in shape`);
  }
  if (negatives && negatives.shape[1] !== img.shape[1]) {
    throw new Error(`clipLoss: negatives have ${negatives.shape[1]} columns, the embeddings ${img.shape[1]}`);
  }
  return tf.tidy(() => {
    const n = img.shape[0];
    const logits = clipLogits(img, txt, temperature);
    const matching = tf.sum(tf.mul(logits, tf.eye(n)), 1);
    const choices = negatives
      ? (tf.concat([logits, clipLogits(img, negatives, temperature)], 1) as tf.Tensor2D)
      : logits;
    const imageToText = tf.sub(tf.reshape(rowLogSumExp(choices), [n]), matching);
    const textToImage = tf.sub(tf.reshape(rowLogSumExp(tf.transpose(logits) as tf.Tensor2D), [n]), matching);
    return tf.mul(tf.add(tf.mean(imageToText), tf.mean(textToImage)), 0.5) as tf.Scalar;
  });
}

/**
 * CLIP's learned temperature: a trainable log logit scale, initialised at temperature 0.07.
 * The scale is capped at 100 both ways: the value used is min(exp(s), 100), and after each
 * update clamp() pulls s back to log 100 so it cannot drift far past the cap unseen.
 */
export class LearnedTemperature {
  readonly logScale: tf.Variable<tf.Rank.R0>;

  constructor(initial = CLIP_INIT_TEMPERATURE) {
    this.logScale = tf.tidy(() => tf.variable(tf.scalar(Math.log(1 / initial))));
  }

  /** The temperature as a differentiable scalar, 1 / min(exp(s), 100). */
  temperature(): tf.Scalar {
    return tf.tidy(() => tf.div(1, tf.minimum(tf.exp(this.logScale), CLIP_MAX_LOGIT_SCALE)) as tf.Scalar);
  }

  /** The temperature now, read from the device. */
  async value(): Promise<number> {
    const s = (await this.logScale.data())[0];
    return 1 / Math.min(Math.exp(s), CLIP_MAX_LOGIT_SCALE);
  }

  clamp(): void {
    tf.tidy(() => this.logScale.assign(tf.minimum(this.logScale, Math.log(CLIP_MAX_LOGIT_SCALE)) as tf.Scalar));
  }

  dispose(): void {
    this.logScale.dispose();
  }
}
