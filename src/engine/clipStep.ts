// One CLIP model (image encoder + text encoder + optional learned temperature) and its
// training step: images and their captions through the two encoders, clipLoss, gradients,
// and one Adam update over every parameter, the temperature's included.

import * as tf from '@tensorflow/tfjs';
import type { ModelId } from '../core/settings';
import type { TokenBatch } from '../core/tokenizer';
import { FlatAdam } from './adam';
import { buildEncoder, type Encoder, type ModelShape } from './model';
import { clipLoss, LearnedTemperature } from './ops/clipLoss';
import { l2Normalize } from './ops/losses';
import { buildTextEncoder, type TextEncoder, type TextEncoderId, type TextEncoderShape } from './textEncoder';

export interface ClipModelOptions {
  imageModel: ModelId;
  /** The images' shape and the shared embedding dimension. */
  shape: ModelShape;
  text: TextEncoderId;
  textShape: Omit<TextEncoderShape, 'outDim'>;
  learnTemperature: boolean;
  seed: number;
}

export interface ClipModel {
  image: Encoder;
  text: TextEncoder;
  /** Null when the temperature is a fixed setting. */
  temperature: LearnedTemperature | null;
  /** Every trainable variable, in a fixed order (the optimizer's). */
  variables: tf.Variable[];
  dispose(): void;
}

export function buildClipModel(o: ClipModelOptions): ClipModel {
  const image = buildEncoder(o.imageModel, o.shape, o.seed);
  const text = buildTextEncoder(o.text, { ...o.textShape, outDim: image.zDim }, o.seed);
  const temperature = o.learnTemperature ? new LearnedTemperature() : null;
  return {
    image,
    text,
    temperature,
    variables: [...image.variables, ...text.variables, ...(temperature ? [temperature.logScale] : [])],
    dispose() {
      image.dispose();
      text.dispose();
      temperature?.dispose();
    },
  };
}

/** Image embeddings z, L2-normalised: N x D. */
export function embedImages(m: ClipModel, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => l2Normalize(m.image.project(m.image.encode(images))));
}

/** Caption embeddings, L2-normalised: N x D. */
export function embedTexts(m: ClipModel, tokens: TokenBatch): tf.Tensor2D {
  return tf.tidy(() => l2Normalize(m.text.encode(tokens)));
}

export interface ClipStepOptions {
  /** The fixed temperature, used when the model does not learn its own. */
  temperature: number;
  /** Hard-negative captions (NegCLIP), added to the image-to-text choices; any number of rows. */
  negatives?: TokenBatch;
  /** Fault injection: make the loss NaN (tests the divergence path). */
  poison?: boolean;
}

export interface ClipStepTensors {
  value: tf.Scalar;
  grads: tf.NamedTensorMap;
  /** Both embeddings before the update, L2-normalised (the caller disposes them). */
  img: tf.Tensor2D;
  txt: tf.Tensor2D;
}

/** Loss and gradients of one batch: row i of images is captioned by row i of tokens. */
export function clipLossAndGrads(
  m: ClipModel,
  images: tf.Tensor4D,
  tokens: TokenBatch,
  o: ClipStepOptions,
): ClipStepTensors {
  if (images.shape[0] !== tokens.count)
    throw new Error(`CLIP step: ${images.shape[0]} images, ${tokens.count} captions`);
  let img: tf.Tensor2D | null = null;
  let txt: tf.Tensor2D | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const zi = m.image.project(m.image.encode(images));
    const zt = m.text.encode(tokens);
    img = tf.keep(l2Normalize(zi));
    txt = tf.keep(l2Normalize(zt));
    const zn = o.negatives ? m.text.encode(o.negatives) : undefined;
    const loss = clipLoss(zi, zt, m.temperature ? m.temperature.temperature() : o.temperature, zn);
    return o.poison ? tf.mul(loss, NaN) : loss;
  }, m.variables);
  return { value, grads, img: img as unknown as tf.Tensor2D, txt: txt as unknown as tf.Tensor2D };
}

export interface ClipStepResult {
  loss: number;
  /** The temperature the step used (the learned one, or the setting). */
  temperature: number;
  /** False when the loss was not finite and the weights were left alone. */
  applied: boolean;
}

/**
 * One training step. A non-finite loss leaves every weight (and the optimizer) untouched.
 * The optimizer must have been built over m.variables.
 */
export async function clipStep(
  m: ClipModel,
  optimizer: FlatAdam,
  images: tf.Tensor4D,
  tokens: TokenBatch,
  o: ClipStepOptions,
): Promise<ClipStepResult> {
  const temperature = m.temperature ? await m.temperature.value() : o.temperature;
  const { value, grads, img, txt } = clipLossAndGrads(m, images, tokens, o);
  try {
    const loss = (await value.data())[0];
    const applied = Number.isFinite(loss);
    if (applied) {
      optimizer.applyGradients(grads);
      m.temperature?.clamp();
    }
    return { loss, temperature, applied };
  } finally {
    tf.dispose([value, img, txt, ...Object.values(grads)]);
  }
}

export function clipOptimizer(m: ClipModel, learningRate: number): FlatAdam {
  return new FlatAdam(m.variables, learningRate);
}
