// Which gradient path an op takes. On the GPU backends every gradient kernel we need exists
// (Conv2DBackpropFilter/Input, MaxPoolGrad, transposed matMul) and a step costs per kernel
// dispatched, so the stock ops, with fewer kernels, win there. The rewrites built from forward
// ops (conv.ts, matmul.ts) are for wasm, which lacks or crawls through those kernels, and for
// cpu, where the unit tests check them against the stock gradients.

import * as tf from '@tensorflow/tfjs';

export function stockGradients(): boolean {
  const b = tf.getBackend();
  return b === 'webgpu' || b === 'webgl';
}
