// Layers as one fused program each on the GPU backends: convolution or product, bias and ReLU in
// tfjs's FusedConv2D / _FusedMatMul kernels (on WebGL, a product of our own: gpuMatMul.ts).
// tfjs fuses an activation only outside gradient recording (its fused ops fall back to separate
// kernels while a tape is on), so the kernels are called directly inside a customGrad and the
// gradient is written here: the ReLU mask from the
// saved output (one program of our own, fusedKernels.ts, where stock ops take Step and Mul), the
// bias gradient a sum, and the stock backprop kernels, which the GPU backends all have
// (stockGradients.ts).

import * as tf from '@tensorflow/tfjs';
import { reluMask } from './fusedKernels';
import { gpuMatMul } from './gpuMatMul';

type Activation = 'relu' | 'linear';

/** dL/d(pre-activation) from dL/dy: zero where the ReLU was off (y = 0). */
function preActivationGrad(dy: tf.Tensor, y: tf.Tensor, activation: Activation): tf.Tensor {
  return activation === 'relu' ? reluMask(dy, y) : dy;
}

/**
 * activation(conv2d(x, w, stride, 'same') + b) in one program. inputGrad false: the input is
 * data (the first layer), so dL/dx is not computed; a free stand-in of x's shape is returned.
 */
export function convBiasAct(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  b: tf.Tensor1D,
  stride: 1 | 2,
  activation: Activation,
  inputGrad: boolean,
): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, ws, bs, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    const y = tf.engine().runKernel('FusedConv2D', { x: xs, filter: ws, bias: bs }, {
      strides: [stride, stride],
      pad: 'same',
      dataFormat: 'NHWC',
      dilations: [1, 1],
      activation,
    } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    save([xs, ws, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as tf.Tensor4D[];
        const d = preActivationGrad(dy, sy, activation) as tf.Tensor4D;
        const dFilter = tf.engine().runKernel('Conv2DBackpropFilter', { x: sx, dy: d }, {
          strides: [stride, stride],
          pad: 'same',
          dataFormat: 'NHWC',
          filterShape: sw.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
        const dx = inputGrad
          ? (tf.engine().runKernel('Conv2DBackpropInput', { dy: d, filter: sw }, {
              strides: [stride, stride],
              pad: 'same',
              dataFormat: 'NHWC',
              inputShape: sx.shape,
            } as unknown as tf.NamedAttrMap) as tf.Tensor4D)
          : tf.reshape(sx, sx.shape);
        return [dx, dFilter, tf.sum(d, [0, 1, 2])];
      },
    };
  }) as unknown as (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;
  return op(x, w, b);
}

/** activation(x w + b) in one program. */
export function denseBiasAct(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, ws, bs, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const y = gpuMatMul(xs, ws, { bias: bs, activation });
    save([xs, ws, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as tf.Tensor2D[];
        const d = preActivationGrad(dy, sy, activation) as tf.Tensor2D;
        return [gpuMatMul(d, sw, { transposeB: true }), gpuMatMul(sx, d, { transposeA: true }), tf.sum(d, 0)];
      },
    };
  }) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
  return op(x, w, b);
}
