// The GPU backends' code path, run on the cpu backend in Node: the cpu kernels registered again
// under the name 'webgpu', so every op that asks which backend it is on (stockGradients) takes
// the path it takes on a GPU. tf.profile then lists the kernels a GPU step runs; what each
// kernel costs in dispatches is the browser test's business (tests/e2e/dispatches.spec.ts).
import * as tf from '@tensorflow/tfjs';

const NAME = 'webgpu';

/** Switches to the cpu backend under the name 'webgpu' (registered on first use). */
export async function useGpuPathOnCpu(): Promise<void> {
  if (!tf.findBackendFactory(NAME)) {
    await tf.setBackend('cpu');
    const cpu = tf.findBackend('cpu')!;
    const Ctor = cpu.constructor as new () => tf.KernelBackend;
    for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: NAME });
    tf.registerBackend(NAME, () => new Ctor(), -1);
  }
  await tf.setBackend(NAME);
  await tf.ready();
}
