// Matrix products of the GPU step, with the bias and ReLU of a dense layer fused. On WebGL,
// tfjs's only product is a packed program: with packing off (backend.ts) it packs both inputs
// and unpacks its output, three extra programs around each of the step's products. So WebGL runs
// a product of our own, one value per texel (glslPrograms.ts), where the product is small enough
// that its arithmetic costs less than those programs: unpacked, it reads four times the texels
// a packed product reads, which doubled the step on the first dense layer's products
// (docs/decisions/0015). WebGPU keeps tfjs's products, which dispatch one program each.

import * as tf from '@tensorflow/tfjs';
import { cpuKernel } from './fusedKernels';

export const MAT_MUL = 'CpMatMul';

/** Multiply-adds up to which WebGL runs our product: the projection head's at N = 64, not the
 *  first dense layer's (2N x 1568 x 128). */
export const OWN_MAT_MUL_MAX = 1 << 22;

export interface MatMulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  /** Added to each row (a dense layer's bias). */
  bias?: tf.Tensor1D;
  activation?: 'relu' | 'linear';
}

/** op(a) op(b) (+ bias), through ReLU when asked. */
export function gpuMatMul(a: tf.Tensor2D, b: tf.Tensor2D, o: MatMulOptions = {}): tf.Tensor2D {
  const { transposeA = false, transposeB = false, bias, activation = 'linear' } = o;
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const n = transposeB ? b.shape[0] : b.shape[1];
  if (tf.getBackend() === 'webgl' && m * n * k <= OWN_MAT_MUL_MAX) {
    const attrs = { transposeA: +transposeA, transposeB: +transposeB, relu: +(activation === 'relu') };
    return tf
      .engine()
      .runKernel(MAT_MUL, bias ? { a, b, bias } : { a, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  if (!bias && activation === 'linear') return tf.matMul(a, b, transposeA, transposeB);
  return tf.engine().runKernel('_FusedMatMul', bias ? { a, b, bias } : { a, b }, {
    transposeA,
    transposeB,
    activation,
  } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/** The product on plain row-major arrays: the formula the GLSL program computes per output. */
export function matMulOf(
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
  bias: Float32Array | null,
  o: Record<string, number>,
): [number[], Float32Array] {
  const [m, k] = o.transposeA ? [aShape[1], aShape[0]] : aShape;
  const n = o.transposeB ? bShape[0] : bShape[1];
  const at = (i: number, p: number) => (o.transposeA ? a[p * m + i] : a[i * k + p]);
  const bt = (p: number, j: number) => (o.transposeB ? b[j * k + p] : b[p * n + j]);
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += at(i, p) * bt(p, j);
      if (bias) acc += bias[j];
      out[i * n + j] = o.relu && acc < 0 ? 0 : acc;
    }
  return [[m, n], out];
}

// For the unit tests (tests/unit/gpuMatMul.test.ts); the app calls it on WebGL only.
if (!tf.getKernel(MAT_MUL, 'cpu'))
  cpuKernel(MAT_MUL, ([a, b, bias], read, o) =>
    matMulOf(read(a), a.shape, read(b), b.shape, bias ? read(bias) : null, o),
  );
