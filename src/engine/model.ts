// The encoder f (image -> representation h) and the projection head g (h -> z), SimCLR style,
// written with raw variables rather than tf.layers: the whole model is visible in one screen,
// every convolution goes through our conv2d (whose gradients run on every backend: wasm has no
// Conv2DBackpropFilter kernel) and every dense layer through our matMul (wasm's transposed
// products are slow).

import * as tf from '@tensorflow/tfjs';
import { conv2d, maxPool2 } from './ops/conv';
import { biasAdd, matMul } from './ops/matmul';
import { convBiasAct, denseBiasAct } from './ops/gpuLayers';
import { stockGradients } from './ops/stockGradients';
import type { ModelId } from '../core/settings';

export interface ModelShape {
  height: number;
  width: number;
  channels: number;
  embeddingDim: number;
}

/** One conv layer: kernel size, output channels, and how it halves the resolution. */
interface ConvSpec {
  k: 3 | 5;
  out: number;
  down: 'pool' | 'stride';
}

interface Architecture {
  convs: ConvSpec[];
  /** Width of h, the representation. */
  h: number;
  /** Hidden widths of the projection head; its output is the embedding dimension. */
  head: number[];
  /** Fixed embedding dimension (the reference model's is 32), else the setting's. */
  zDim?: number;
  /** How the last feature map becomes a vector: flattened (keeps where), or averaged over space (forgets where). */
  pool?: 'flatten' | 'mean';
}

/**
 * default: conv3x3-16 stride 2, conv3x3-32 stride 2, dense 128 (= h), projection 128-relu-D.
 *   Strided convolutions instead of conv + max-pool: far less CPU per step on wasm, so a
 *   class without GPUs still trains at a lively pace (docs/decisions/0004).
 * reference: the small CNN of the PyTorch benchmark that the step times are compared with:
 *   conv3x3-16, pool, conv3x3-32, pool, dense 64 (= h), dense 32 (= z, so the embedding
 *   dimension is fixed at 32).
 */
export const ARCHITECTURES: Record<ModelId, Architecture> = {
  default: {
    convs: [
      { k: 3, out: 16, down: 'stride' },
      { k: 3, out: 32, down: 'stride' },
    ],
    h: 128,
    head: [128],
  },
  reference: {
    convs: [
      { k: 3, out: 16, down: 'pool' },
      { k: 3, out: 32, down: 'pool' },
    ],
    h: 64,
    head: [],
    zDim: 32,
  },
};

/**
 * The default model on colour images (Shapes): three conv + max-pool layers and an average over
 * space instead of flattening, because there the object's position is a nuisance the flattened
 * map keeps, and strided convolutions lose the few pixels that tell one outline from another.
 * It runs at about half the steps per second of the strided form but is still ahead per second
 * of training (docs/decisions/0004).
 */
const DEFAULT_RGB: Architecture = {
  convs: [
    { k: 3, out: 16, down: 'pool' },
    { k: 3, out: 32, down: 'pool' },
    { k: 3, out: 64, down: 'pool' },
  ],
  h: 128,
  head: [128],
  pool: 'mean',
};

export function architectureFor(id: ModelId, shape: ModelShape): Architecture {
  return id === 'default' && shape.channels === 3 ? DEFAULT_RGB : ARCHITECTURES[id];
}

interface ConvLayer {
  spec: ConvSpec;
  w: tf.Variable<tf.Rank.R4>;
  b: tf.Variable<tf.Rank.R1>;
}
interface DenseLayer {
  w: tf.Variable<tf.Rank.R2>;
  b: tf.Variable<tf.Rank.R1>;
  relu: boolean;
}

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

export function buildEncoder(
  id: ModelId,
  shape: ModelShape,
  seed: number,
  arch: Architecture = architectureFor(id, shape),
): Encoder {
  let seedCounter = seed * 1000;
  const nextSeed = () => seedCounter++;
  const zDim = arch.zDim ?? shape.embeddingDim;
  const convs: ConvLayer[] = [];
  const body: DenseLayer[] = [];
  const head: DenseLayer[] = [];
  // Variables survive tf.tidy; the random tensors that initialise them do not (no set-up leak).
  tf.tidy(() => {
    // He-uniform for ReLU layers, Glorot-uniform for the linear output; biases zero.
    const dense = (fin: number, fout: number, relu: boolean): DenseLayer => {
      const lim = relu ? Math.sqrt(6 / fin) : Math.sqrt(6 / (fin + fout));
      return {
        w: tf.variable(tf.randomUniform([fin, fout], -lim, lim, 'float32', nextSeed()) as tf.Tensor2D),
        b: tf.variable(tf.zeros([fout]) as tf.Tensor1D),
        relu,
      };
    };
    let cin = shape.channels,
      h = shape.height,
      w = shape.width;
    for (const spec of arch.convs) {
      const lim = Math.sqrt(6 / (spec.k * spec.k * cin));
      convs.push({
        spec,
        w: tf.variable(
          tf.randomUniform([spec.k, spec.k, cin, spec.out], -lim, lim, 'float32', nextSeed()) as tf.Tensor4D,
        ),
        b: tf.variable(tf.zeros([spec.out]) as tf.Tensor1D),
      });
      cin = spec.out;
      h = spec.down === 'pool' ? Math.floor(h / 2) : Math.ceil(h / 2);
      w = spec.down === 'pool' ? Math.floor(w / 2) : Math.ceil(w / 2);
    }
    body.push(dense(arch.pool === 'mean' ? cin : h * w * cin, arch.h, true));
    let fin = arch.h;
    for (const width of arch.head) {
      head.push(dense(fin, width, true));
      fin = width;
    }
    head.push(dense(fin, zDim, false));
  });
  const variables: tf.Variable[] = [...convs, ...body, ...head].flatMap((l) => [l.w, l.b] as tf.Variable[]);
  const applyDense = (x: tf.Tensor2D, l: DenseLayer) => {
    // GPU backends: product, bias and ReLU as one program (ops/gpuLayers.ts).
    if (stockGradients()) return denseBiasAct(x, l.w, l.b, l.relu ? 'relu' : 'linear');
    const y = biasAdd(matMul(x, l.w), l.b);
    return l.relu ? tf.relu(y) : y;
  };
  return {
    id,
    hDim: arch.h,
    zDim,
    variables,
    parameterCount: variables.reduce((s, v) => s + v.size, 0),
    encode(x: tf.Tensor4D) {
      let y: tf.Tensor4D = x;
      for (const [i, c] of convs.entries()) {
        const stride = c.spec.down === 'stride' ? 2 : 1;
        if (stockGradients()) {
          // GPU backends: convolution, bias and ReLU as one program, then the pool (same
          // function as below: both commute with a max).
          y = convBiasAct(y, c.w, c.b, stride, 'relu', i > 0);
          if (c.spec.down === 'pool') y = tf.maxPool(y, 2, 2, 'valid');
          continue;
        }
        // The first layer's input is the images: no gradient is needed there.
        let a = conv2d(y, c.w, stride, { inputGrad: i > 0 });
        // Pooling first, then bias and ReLU, on a map 4x smaller: the same function as
        // pool(relu(a + b)), exactly, since adding a per-channel constant and ReLU are both
        // monotonic (float rounding included) and so commute with a max.
        if (c.spec.down === 'pool') a = maxPool2(a);
        y = tf.relu(biasAdd(a, c.b));
      }
      let h = (arch.pool === 'mean' ? tf.mean(y, [1, 2]) : tf.reshape(y, [y.shape[0], -1])) as tf.Tensor2D;
      for (const l of body) h = applyDense(h, l);
      return h;
    },
    project(h: tf.Tensor2D) {
      let z = h;
      for (const l of head) z = applyDense(z, l);
      return z;
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
