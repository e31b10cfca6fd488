// Compiling a step's WebGPU programs all at once, before the step runs. Unprepared, the backend
// compiles a pipeline the first time it meets it, one after the other, and the GPU waits for
// each (the pass below took two thirds of the first step on SwiftShader). tfjs can instead run ops in
// "compile only" mode: every pipeline is handed to the driver to compile in parallel
// (createComputePipelineAsync) and nothing is executed. The outputs of that pass hold no
// values, so whatever it assigned (the weights and Adam's moments, after an update) is put back
// afterwards. tfjs's WebGL backend has the same mode, but there it made the first step slower
// (bench-results/first-step-precompile-ab.json), so it is not used.

import * as tf from '@tensorflow/tfjs';
import { keepingState, type Assigned } from './savedState';

interface CompilingBackend {
  checkCompileCompletionAsync(): Promise<unknown>;
  pipelineCache: Record<string, unknown>;
}

const FLAG = 'WEBGPU_ENGINE_COMPILE_ONLY';

export interface Precompiled {
  /** Programs compiled by this call (those already cached are not counted). */
  programs: number;
  ms: number;
}

/**
 * Runs `work` in compile-only mode on WebGPU and waits until every pipeline it met is compiled;
 * disposes what it returns and puts back the `assigned` variables and optimizers' state. On
 * the other backends it does nothing and returns null. A compile that fails is left to the
 * real run, which compiles it again and reports it there.
 */
export async function precompile(work: () => tf.TensorContainer, assigned: Assigned): Promise<Precompiled | null> {
  if (!precompiles()) return null;
  const backend = tf.backend() as unknown as CompilingBackend;
  const cache = backend.pipelineCache;
  const t = performance.now();
  const before = new Set(Object.keys(cache));
  keepingState(assigned, () => {
    tf.env().set(FLAG, true);
    try {
      tf.dispose(tf.tidy(work));
    } finally {
      tf.env().set(FLAG, false);
    }
  });
  try {
    await backend.checkCompileCompletionAsync();
  } catch {
    // A pipeline that failed stays in the cache as a rejected promise, which the backend refuses
    // to run: forgetting this pass's pipelines makes the real run compile them the usual way,
    // and report the failure there.
    for (const key of Object.keys(cache)) if (!before.has(key)) delete cache[key];
  }
  return { programs: Object.keys(cache).length - before.size, ms: performance.now() - t };
}

/** Whether precompile does anything on the backend in use. */
export function precompiles(): boolean {
  return tf.getBackend() === 'webgpu';
}
