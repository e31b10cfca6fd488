// tfjs's Identity on the wasm backend copies its input into new memory. tfjs calls it for every
// tensor a gradient keeps for the backward pass (its engine clones what a kernel or a custom
// gradient saves): on the reference model at N = 64, 54 copies a step, among them every
// layer's activations (about 18 MB). The cpu and WebGL backends share the data instead and
// count a reference, as wasm's own Reshape does; no tfjs kernel writes into its inputs, so a
// shared buffer is never changed under a tensor that holds it. This Identity does the same.

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function sharedIdentity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Replaces wasm's copying Identity with one that shares the data (once; later calls do nothing). */
export function shareIdentityOnWasm(): void {
  if (tf.getKernel('Identity', 'wasm')?.kernelFunc === sharedIdentity) return;
  if (tf.getKernel('Identity', 'wasm')) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity as tf.KernelFunc });
}
