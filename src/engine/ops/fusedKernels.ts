// Kernels of our own for the GPU step, each one program where stock ops take several: on WebGPU
// and WebGL a step costs per program dispatched (dispatchCount.ts). The GPU programs are in
// wgslPrograms.ts and glslPrograms.ts; the implementations here, registered for the cpu backend,
// are the formulas themselves: the unit tests run the GPU path on them (tests/unit/gpuPath.test.ts
// and fusedKernels.test.ts check them against the stock ops), and the benchmark page checks the
// GPU programs against the cpu backend in the browser (engine/gpuCheck.ts).
//
// The kernels see flat or 2-D tensors only; the ops below reshape, which is free on both GPUs.

import * as tf from '@tensorflow/tfjs';

export const RELU_MASK = 'CpReluMask';
export const ADAM_MOMENTS = 'CpAdamMoments';
export const ADAM_APPLY = 'CpAdamApply';
export const ROW_LSE = 'CpNtXentRowLse';
export const NTXENT_VALUE = 'CpNtXentValue';
export const NTXENT_GRAD = 'CpNtXentGrad';
export const ROW_NORMALIZE = 'CpRowNormalize';
export const ROW_NORMALIZE_GRAD = 'CpRowNormalizeGrad';

/** Inputs one Adam moments program may read besides its state: WebGPU's default limit is 8
 *  storage buffers per shader, the output and the state taking two. */
export const ADAM_GROUP = 6;

function run(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, number>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
const flat = (t: tf.Tensor) => tf.reshape(t, [-1]);

/** dL/d(pre-activation) of a ReLU from dL/dy and its output y: dy where y > 0, else 0. */
export function reluMask(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.reshape(run(RELU_MASK, { dy: flat(dy), y: flat(y) }, {}), dy.shape);
}

export interface MomentRates {
  beta1: number;
  beta2: number;
}

/** Adam's moments [m; v] ([2, P]) updated from the gradients, concatenated flat in order. */
export function adamMoments(mv: tf.Tensor2D, grads: tf.Tensor[], r: MomentRates): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = { mv };
  grads.forEach((g, i) => (inputs[`g${i}`] = flat(g)));
  return run(ADAM_MOMENTS, inputs, {
    count: grads.length,
    beta1: r.beta1,
    oneMinusBeta1: 1 - r.beta1,
    beta2: r.beta2,
    oneMinusBeta2: 1 - r.beta2,
  }) as tf.Tensor2D;
}

/** x - stepSize m / (sqrt(v) + epsilon), x's moments starting at `offset` in each row of mv. */
export function adamApply(x: tf.Tensor, mv: tf.Tensor2D, offset: number, stepSize: number, epsilon: number): tf.Tensor {
  return tf.reshape(run(ADAM_APPLY, { x: flat(x), mv }, { offset, stepSize, epsilon }), x.shape);
}

/** Each row of z ([M, D]) over its L2 norm, the squared norm floored at `eps`. */
export function rowNormalize(z: tf.Tensor2D, eps: number): tf.Tensor2D {
  return run(ROW_NORMALIZE, { z }, { eps }) as tf.Tensor2D;
}

/** dL/dz of rowNormalize from dL/dzn: (dy - zn <zn, dy>) / |z|, per row. */
export function rowNormalizeGrad(z: tf.Tensor2D, dy: tf.Tensor, eps: number): tf.Tensor2D {
  return run(ROW_NORMALIZE_GRAD, { z, dy }, { eps }) as tf.Tensor2D;
}

/** The NT-Xent logits' terms: L = S invTau - selfMask I, partner(i) = (i + M/2) mod M. */
export interface NtXentTerms {
  invTau: number;
  selfMask: number;
}

/** logsumexp of each row of the logits, from S = zn zn^T ([M, M]) -> [M]. */
export function rowLogSumExp(s: tf.Tensor2D, t: NtXentTerms): tf.Tensor1D {
  return run(ROW_LSE, { s }, { ...t }) as tf.Tensor1D;
}

/** mean_i (lse_i - L_{i,partner(i)}): the loss. */
export function ntXentValue(s: tf.Tensor2D, lse: tf.Tensor1D, t: NtXentTerms): tf.Scalar {
  return tf.reshape(run(NTXENT_VALUE, { s, lse }, { ...t }), []) as tf.Scalar;
}

/** G + G^T with G = (softmax rows of L - partner one-hot) dy / (M tau): dL/dzn = (G + G^T) zn. */
export function ntXentGrad(s: tf.Tensor2D, lse: tf.Tensor1D, dy: tf.Tensor, t: NtXentTerms): tf.Tensor2D {
  return run(NTXENT_GRAD, { s, lse, dy: tf.reshape(dy, [1]) }, { ...t }) as tf.Tensor2D;
}

// The formulas, on plain arrays: the GPU programs compute exactly these, element by element.

export function reluMaskOf(dy: Float32Array, y: Float32Array): Float32Array {
  return dy.map((d, i) => (y[i] > 0 ? d : 0));
}

export function adamMomentsOf(mv: Float32Array, grads: Float32Array[], a: Record<string, number>): Float32Array {
  const p = mv.length / 2;
  const out = new Float32Array(2 * p);
  let o = 0;
  for (const g of grads) {
    for (let k = 0; k < g.length; k++) {
      out[o + k] = a.beta1 * mv[o + k] + a.oneMinusBeta1 * g[k];
      out[p + o + k] = a.beta2 * mv[p + o + k] + a.oneMinusBeta2 * g[k] * g[k];
    }
    o += g.length;
  }
  return out;
}

export function adamApplyOf(x: Float32Array, mv: Float32Array, a: Record<string, number>): Float32Array {
  const p = mv.length / 2;
  return x.map((v, k) => v - (mv[a.offset + k] / (Math.sqrt(mv[p + a.offset + k]) + a.epsilon)) * a.stepSize);
}

/** 1 / |row i of z| (the squared norm floored at eps), rows of length d. */
function invNorm(z: Float32Array, d: number, i: number, eps: number): number {
  let ss = 0;
  for (let k = 0; k < d; k++) ss += z[i * d + k] * z[i * d + k];
  return 1 / Math.sqrt(Math.max(ss, eps));
}

export function rowNormalizeOf(z: Float32Array, d: number, eps: number): Float32Array {
  return z.map((v, j) => v * invNorm(z, d, Math.floor(j / d), eps));
}

export function rowNormalizeGradOf(z: Float32Array, dy: Float32Array, d: number, eps: number): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length / d; i++) {
    const r = invNorm(z, d, i, eps);
    let dot = 0;
    for (let k = 0; k < d; k++) dot += z[i * d + k] * r * dy[i * d + k];
    for (let k = 0; k < d; k++) out[i * d + k] = (dy[i * d + k] - z[i * d + k] * r * dot) * r;
  }
  return out;
}

const logit = (s: Float32Array, m: number, i: number, j: number, t: NtXentTerms) =>
  s[i * m + j] * t.invTau - (i === j ? t.selfMask : 0);

export function rowLogSumExpOf(s: Float32Array, m: number, t: NtXentTerms): Float32Array {
  const out = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    let max = -Infinity;
    for (let j = 0; j < m; j++) max = Math.max(max, logit(s, m, i, j, t));
    let sum = 0;
    for (let j = 0; j < m; j++) sum += Math.exp(logit(s, m, i, j, t) - max);
    out[i] = Math.log(sum) + max;
  }
  return out;
}

export function ntXentValueOf(s: Float32Array, lse: Float32Array, t: NtXentTerms): number {
  const m = lse.length;
  let acc = 0;
  for (let i = 0; i < m; i++) acc += lse[i] - logit(s, m, i, (i + m / 2) % m, t);
  return acc / m;
}

export function ntXentGradOf(s: Float32Array, lse: Float32Array, dy: number, t: NtXentTerms): Float32Array {
  const m = lse.length;
  const g = (i: number, j: number) => Math.exp(logit(s, m, i, j, t) - lse[i]) - (j === (i + m / 2) % m ? 1 : 0);
  const scale = (dy * t.invTau) / m;
  const out = new Float32Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[i * m + j] = (g(i, j) + g(j, i)) * scale;
  return out;
}

// Registered for cpu, where the unit tests run them (and the GPU path on cpu kernels). Not a path
// the app takes on cpu or wasm: those use the stock ops (stockGradients.ts).
type Backend = {
  readSync(id: unknown): unknown;
  makeTensorInfo(shape: number[], dtype: string, v: Float32Array): unknown;
};
export function cpuKernel(
  name: string,
  f: (
    ins: tf.TensorInfo[],
    read: (t: tf.TensorInfo) => Float32Array,
    a: Record<string, number>,
  ) => [number[], Float32Array],
) {
  tf.registerKernel({
    kernelName: name,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as Backend;
      const read = (t: tf.TensorInfo) => b.readSync(t.dataId) as Float32Array;
      const [shape, values] = f(
        Object.values(inputs) as tf.TensorInfo[],
        read,
        attrs as unknown as Record<string, number>,
      );
      return b.makeTensorInfo(shape, 'float32', values) as tf.TensorInfo;
    },
  });
}

function registerCpuKernels(): void {
  if (tf.getKernel(RELU_MASK, 'cpu')) return;
  cpuKernel(RELU_MASK, ([dy, y], read) => [dy.shape, reluMaskOf(read(dy), read(y))]);
  cpuKernel(ADAM_MOMENTS, ([mv, ...gs], read, a) => [mv.shape, adamMomentsOf(read(mv), gs.map(read), a)]);
  cpuKernel(ADAM_APPLY, ([x, mv], read, a) => [x.shape, adamApplyOf(read(x), read(mv), a)]);
  cpuKernel(ROW_NORMALIZE, ([z], read, a) => [z.shape, rowNormalizeOf(read(z), z.shape[1], a.eps)]);
  cpuKernel(ROW_NORMALIZE_GRAD, ([z, dy], read, a) => [
    z.shape,
    rowNormalizeGradOf(read(z), read(dy), z.shape[1], a.eps),
  ]);
  const terms = (a: Record<string, number>): NtXentTerms => ({ invTau: a.invTau, selfMask: a.selfMask });
  cpuKernel(ROW_LSE, ([s], read, a) => [[s.shape[0]], rowLogSumExpOf(read(s), s.shape[0], terms(a))]);
  cpuKernel(NTXENT_VALUE, ([s, lse], read, a) => [[1], Float32Array.of(ntXentValueOf(read(s), read(lse), terms(a)))]);
  cpuKernel(NTXENT_GRAD, ([s, lse, dy], read, a) => [s.shape, ntXentGradOf(read(s), read(lse), read(dy)[0], terms(a))]);
}
registerCpuKernels();
