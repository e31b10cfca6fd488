// Matrix product with gradients that stay on the fast path of every backend.
//
// tfjs-backend-wasm 4.22 multiplies transposed operands in a slow scalar loop, many times
// slower than an explicit transpose followed by the plain product, and autodiff of tf.matMul
// produces exactly those transposed products (dense layers, the similarity matrix z z^T). This
// op transposes explicitly, forward and backward. On wasm the product itself runs as a 1x1
// convolution on XNNPACK, which makes the whole training step faster even though wasm's conv
// re-packs every new right operand. docs/decisions/0002 has the measurements.

import * as tf from '@tensorflow/tfjs';
import { stockGradients } from './stockGradients';

/** a times b on the backend's fastest path, with no gradient of its own (for use inside gradients). */
export function product(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b);
  const [m, k] = a.shape;
  const n = b.shape[1];
  const y = tf.conv2d(
    tf.reshape(a, [1, m, 1, k]) as tf.Tensor4D,
    tf.reshape(b, [1, 1, k, n]) as tf.Tensor4D,
    1,
    'valid',
  );
  return tf.reshape(y, [m, n]);
}

const mm = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: product(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      return [product(g, tf.transpose(sb)), product(tf.transpose(sa), g)];
    },
  };
}) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** a (m x k) times b (k x n), optionally transposing either first. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  if (stockGradients()) return tf.matMul(a, b, transposeA, transposeB);
  return tf.tidy(() => mm(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b));
}

/**
 * x + b, b broadcast along the last axis. Its gradient for b is a sum over every other axis,
 * which wasm's Sum kernel does slowly for feature maps. For a feature map it is a global
 * average pool (XNNPACK) and a small sum. Not a product with a row of ones: wasm re-packs a
 * product's right operand whenever it is a new tensor, as dy always is (docs/decisions/0002).
 */
const biasAddOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, b] = args as [tf.Tensor, tf.Tensor1D];
  return {
    value: tf.add(x, b),
    gradFunc: (dy: tf.Tensor) => {
      const c = b.shape[0];
      if (dy.rank === 4) {
        const [n, h, w] = dy.shape;
        const means = tf.reshape(tf.avgPool(dy as tf.Tensor4D, [h, w], 1, 'valid'), [n, c]);
        return [dy, tf.mul(tf.sum(means, 0), h * w)];
      }
      return [dy, tf.sum(tf.reshape(dy, [-1, c]), 0)];
    },
  };
}) as unknown as <T extends tf.Tensor>(x: T, b: tf.Tensor1D) => T;

export function biasAdd<T extends tf.Tensor>(x: T, b: tf.Tensor1D): T {
  if (stockGradients()) return tf.add(x, b);
  return biasAddOp(x, b);
}
