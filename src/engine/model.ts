// The encoder f (image -> representation h) and the projection head g (h -> z), SimCLR style,
// written with raw variables rather than tf.layers: the whole model is visible in one screen,
// and every convolution goes through our conv2d, whose gradients run on every backend (wasm
// has no Conv2DBackpropFilter kernel).

import * as tf from '@tensorflow/tfjs';
import { conv2d, maxPool2 } from './conv';
import { matMul } from '../core/matmul';
import type { ModelId } from '../core/settings';

export interface ModelShape {
  height: number;
  width: number;
  channels: number;
  embeddingDim: number;
}

interface ConvLayer { kind: 'conv'; w: tf.Variable<tf.Rank.R4>; b: tf.Variable<tf.Rank.R1>; pool: boolean }
interface DenseLayer { kind: 'dense'; w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1>; relu: boolean }

export interface Encoder {
  id: ModelId;
  /** Image -> h (the representation used by kNN and probes). */
  encode(x: tf.Tensor4D): tf.Tensor2D;
  /** h -> z (not yet normalised; the losses normalise). */
  project(h: tf.Tensor2D): tf.Tensor2D;
  variables: tf.Variable[];
  hDim: number;
  zDim: number;
  parameterCount: number;
  dispose(): void;
}

/**
 * default: conv3x3-16, pool, conv3x3-32, pool, dense 128 (= h), projection 128-relu-D.
 *   Small enough to train live on the CPU, big enough to separate digits.
 * reference: exactly shared/peer/bench_torch.py: conv3x3-16, pool, conv3x3-32, pool,
 *   dense 64 (= h), dense 32 (= z, so the embedding dimension is fixed at 32).
 */
export function buildEncoder(id: ModelId, shape: ModelShape, seed: number): Encoder {
  let seedCounter = seed * 1000;
  const nextSeed = () => seedCounter++;
  // Variables survive tf.tidy; the random tensors that initialise them do not (no set-up leak).
  let convs: ConvLayer[] = [], body: DenseLayer[] = [], head: DenseLayer[] = [];
  const hDim = id === 'reference' ? 64 : 128;
  tf.tidy(() => {
    // He-uniform for ReLU layers, Glorot-uniform for the linear output; biases zero.
    const convLayer = (k: number, cin: number, cout: number): ConvLayer => {
      const lim = Math.sqrt(6 / (k * k * cin));
      return {
        kind: 'conv',
        w: tf.variable(tf.randomUniform([k, k, cin, cout], -lim, lim, 'float32', nextSeed()) as tf.Tensor4D),
        b: tf.variable(tf.zeros([cout]) as tf.Tensor1D),
        pool: true,
      };
    };
    const denseLayer = (fin: number, fout: number, relu: boolean): DenseLayer => {
      const lim = relu ? Math.sqrt(6 / fin) : Math.sqrt(6 / (fin + fout));
      return {
        kind: 'dense',
        w: tf.variable(tf.randomUniform([fin, fout], -lim, lim, 'float32', nextSeed()) as tf.Tensor2D),
        b: tf.variable(tf.zeros([fout]) as tf.Tensor1D),
        relu,
      };
    };
    const flat = Math.floor(shape.height / 4) * Math.floor(shape.width / 4) * 32;
    convs = [convLayer(3, shape.channels, 16), convLayer(3, 16, 32)];
    body = [denseLayer(flat, hDim, true)];
    head = id === 'reference'
      ? [denseLayer(hDim, 32, false)]
      : [denseLayer(hDim, 128, true), denseLayer(128, shape.embeddingDim, false)];
  });
  {
    const all = [...convs, ...body, ...head];
    const variables: tf.Variable[] = all.flatMap((l) => [l.w, l.b] as tf.Variable[]);

    const dense = (x: tf.Tensor2D, l: DenseLayer) => {
      const y = tf.add(matMul(x, l.w), l.b) as tf.Tensor2D;
      return l.relu ? tf.relu(y) : y;
    };
    return {
      id,
      hDim,
      zDim: id === 'reference' ? 32 : shape.embeddingDim,
      variables,
      parameterCount: variables.reduce((s, v) => s + v.size, 0),
      encode(x: tf.Tensor4D) {
        let y: tf.Tensor4D = x;
        for (const [i, c] of convs.entries()) {
          // The first layer's input is the images: no gradient is needed there.
          y = tf.relu(tf.add(conv2d(y, c.w, 1, { inputGrad: i > 0 }), c.b)) as tf.Tensor4D;
          if (c.pool) y = maxPool2(y);
        }
        let h = tf.reshape(y, [y.shape[0], -1]) as tf.Tensor2D;
        for (const l of body) h = dense(h, l);
        return h;
      },
      project(h: tf.Tensor2D) {
        let z = h;
        for (const l of head) z = dense(z, l);
        return z;
      },
      dispose() {
        for (const v of variables) v.dispose();
      },
    };
  }
}
