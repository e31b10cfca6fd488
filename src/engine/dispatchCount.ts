// Counts the GPU programs a piece of work dispatches. On WebGPU and WebGL a training step costs
// per program dispatched far more than per value computed, and tf.profile's kernel list is not
// that count: a reshape is a kernel that dispatches nothing, while one WebGL kernel can run
// several programs (packing, unpacking, a packed reshape). So the backend's own entry point is
// wrapped for the duration: WebGPU's recordAndSubmit (one dispatchWorkgroups each) and WebGL's
// runWebGLProgram (one draw each, including the packing it runs for itself).

import * as tf from '@tensorflow/tfjs';

type Method = (...args: unknown[]) => unknown;

const ENTRY: Record<string, string> = { webgpu: 'recordAndSubmit', webgl: 'runWebGLProgram' };

export interface DispatchCount<T> {
  result: T;
  /** GPU programs dispatched; null on backends without programs (wasm, cpu). */
  dispatches: number | null;
  /** Program count by the program's class name, largest first (empty without programs). */
  byProgram: { name: string; count: number }[];
}

/** Runs `fn` and counts the programs the current backend dispatched meanwhile. */
export async function countDispatches<T>(fn: () => Promise<T> | T): Promise<DispatchCount<T>> {
  const entry = ENTRY[tf.getBackend()];
  const backend = tf.backend() as unknown as Record<string, Method>;
  if (!entry || typeof backend[entry] !== 'function') return { result: await fn(), dispatches: null, byProgram: [] };
  const original = backend[entry];
  const byName = new Map<string, number>();
  let count = 0;
  backend[entry] = function (this: unknown, ...args: unknown[]) {
    count++;
    const name = (args[0] as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? 'unknown';
    byName.set(name, (byName.get(name) ?? 0) + 1);
    return original.apply(this, args);
  };
  try {
    const result = await fn();
    const byProgram = [...byName].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, count: n }));
    return { result, dispatches: count, byProgram };
  } finally {
    // Only this wrapper's own property goes: the prototype's method shows through again.
    delete backend[entry];
    if (backend[entry] !== original) backend[entry] = original;
  }
}
