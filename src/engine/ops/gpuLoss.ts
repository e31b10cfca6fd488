// NT-Xent for the GPU backends, with its gradient written out. On WebGPU and WebGL a step costs
// per program dispatched, and autodiff of losses.ts's form (normalise, split, concat, mask,
// one-hot, logsumexp through its max) spends about seventy programs on a scalar; here the
// forward and backward take about thirty. Same function as ntXentLoss (tests/unit/gpuLoss.test.ts
// checks values and gradients against it):
//   zn = z / |z|, L = S / tau - SELF_MASK I with S = zn zn^T, P = softmax over each row of L,
//   loss = mean_i (logsumexp_i(L) - L_{i,partner(i)}),
//   dL/dL = (P - Y) / M with Y the partner one-hot, dL/dzn = (G + G^T) zn / tau,
//   dL/dz = (dzn - zn <zn, dzn>) / |z|.

import * as tf from '@tensorflow/tfjs';
import { SELF_MASK } from './losses';

/** Floor on the squared row norm, as in l2Normalize: a zero row stays zero. */
const NORM_EPS = 1e-12;

/** Row-wise L2 normalisation with its gradient in five programs instead of autodiff's ten. */
export const normalizeRows = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [z, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const r = tf.rsqrt(tf.maximum(tf.sum(tf.square(z), 1, true), NORM_EPS));
  const zn = tf.mul(z, r);
  save([zn, r]);
  return {
    value: zn,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [s, rs] = saved;
      return [tf.mul(tf.sub(dy, tf.mul(s, tf.sum(tf.mul(s, dy), 1, true))), rs)];
    },
  };
}) as unknown as (z: tf.Tensor2D) => tf.Tensor2D;

/** The self mask and the partner one-hot over M, built on the host once per M and backend. */
interface Constants {
  key: string;
  selfMask: tf.Tensor2D;
  partnerOverM: tf.Tensor2D;
}
let constants: Constants | null = null;

function constantsFor(m: number): Constants {
  const key = `${tf.getBackend()}:${m}`;
  if (constants?.key === key) return constants;
  if (constants) tf.dispose([constants.selfMask, constants.partnerOverM]);
  const mask = new Float32Array(m * m);
  const partner = new Float32Array(m * m);
  const n = m / 2;
  for (let i = 0; i < m; i++) {
    mask[i * m + i] = -SELF_MASK;
    partner[i * m + ((i + n) % m)] = 1 / m;
  }
  // Kept out of every tidy: they live as long as the batch size and backend stay.
  constants = {
    key,
    selfMask: tf.keep(tf.tensor2d(mask, [m, m])),
    partnerOverM: tf.keep(tf.tensor2d(partner, [m, m])),
  };
  return constants;
}

/** Releases the cached constants (a rebuilt run, a test's clean-up). */
export function disposeGpuLossConstants(): void {
  if (constants) tf.dispose([constants.selfMask, constants.partnerOverM]);
  constants = null;
}

function ntXentOfNormalized(temperature: number) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zn, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const m = zn.shape[0];
    const c = constantsFor(m);
    const logits = tf.add(tf.mul(tf.matMul(zn, zn, false, true), 1 / temperature), c.selfMask);
    const max = tf.max(logits, 1, true);
    const e = tf.exp(tf.sub(logits, max));
    const sums = tf.sum(e, 1, true);
    const lse = tf.add(tf.log(sums), max);
    // mean_i (lse_i - L_{i,p(i)}) = sum_ij (lse_i - L_ij) Y_ij / M
    const value = tf.sum(tf.mul(tf.sub(lse, logits), c.partnerOverM)) as tf.Scalar;
    save([zn, e, sums]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [s, ex, sm] = saved as tf.Tensor2D[];
        // G = (P - Y) dy / (M tau); the 1/M is in partnerOverM, so P is scaled by 1/M too.
        const g = tf.mul(tf.sub(tf.div(ex, tf.mul(sm, m)), constantsFor(m).partnerOverM), tf.div(dy, temperature));
        return [tf.add(tf.matMul(g, s), tf.matMul(g, s, true, false))];
      },
    };
  }) as unknown as (zn: tf.Tensor2D) => tf.Scalar;
}

/** NT-Xent of 2N normalised projections (view 1 rows, then view 2 rows), as ntXentLoss. */
export function ntXentNormalized(zn: tf.Tensor2D, temperature: number): tf.Scalar {
  if (zn.shape[0] % 2 !== 0) throw new Error(`NT-Xent needs an even number of rows, got ${zn.shape[0]}`);
  return ntXentOfNormalized(temperature)(zn);
}
