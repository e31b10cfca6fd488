// NT-Xent for the GPU backends, with its gradient written out. On WebGPU and WebGL a step costs
// per program dispatched, and autodiff of losses.ts's form (normalise, split, concat, mask,
// one-hot, logsumexp through its max) spends about seventy programs on a scalar; here the
// forward and backward of the loss take five (two products and three programs of our own,
// fusedKernels.ts), the normalisation two. Same function as ntXentLoss (tests/unit/gpuPath.test.ts
// checks values and gradients against it):
//   zn = z / |z|, L = S / tau - SELF_MASK I with S = zn zn^T, P = softmax over each row of L,
//   loss = mean_i (logsumexp_i(L) - L_{i,partner(i)}),
//   G = (P - Y) / (M tau) with Y the partner one-hot, dL/dzn = (G + G^T) zn,
//   dL/dz = (dzn - zn <zn, dzn>) / |z|.

import * as tf from '@tensorflow/tfjs';
import { ntXentGrad, ntXentValue, rowLogSumExp, rowNormalize, rowNormalizeGrad } from './fusedKernels';
import { gpuMatMul } from './gpuMatMul';
import { SELF_MASK } from './losses';

/** Floor on the squared row norm, as in l2Normalize: a zero row stays zero. */
const NORM_EPS = 1e-12;

/** Row-wise L2 normalisation with its gradient, one program each way (autodiff: ten). */
export const normalizeRows = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [z, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  save([z]);
  return {
    value: rowNormalize(z, NORM_EPS),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [rowNormalizeGrad(saved[0] as tf.Tensor2D, dy, NORM_EPS)],
  };
}) as unknown as (z: tf.Tensor2D) => tf.Tensor2D;

function ntXentOfNormalized(temperature: number) {
  const terms = { invTau: 1 / temperature, selfMask: SELF_MASK };
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zn, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const s = gpuMatMul(zn, zn, { transposeB: true });
    // The row softmax's statistics, the loss and its gradient matrix: one program each.
    const lse = rowLogSumExp(s, terms);
    const value = ntXentValue(s, lse, terms);
    save([zn, s, lse]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, ss, ls] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        return [gpuMatMul(ntXentGrad(ss, ls, dy, terms), zs)];
      },
    };
  }) as unknown as (zn: tf.Tensor2D) => tf.Scalar;
}

/** NT-Xent of 2N normalised projections (view 1 rows, then view 2 rows), as ntXentLoss. */
export function ntXentNormalized(zn: tf.Tensor2D, temperature: number): tf.Scalar {
  if (zn.shape[0] % 2 !== 0) throw new Error(`NT-Xent needs an even number of rows, got ${zn.shape[0]}`);
  return ntXentOfNormalized(temperature)(zn);
}
