// Counts the GPU programs a piece of work dispatches. On WebGPU and WebGL a training step costs
// per program dispatched far more than per value computed, and tf.profile's kernel list is not
// that count: a reshape is a kernel that dispatches nothing, while one WebGL kernel can run
// several programs (packing, unpacking, a packed reshape). So the backend's own entry point is
// wrapped for the duration: WebGPU's recordAndSubmit (one dispatchWorkgroups each) and WebGL's
// runWebGLProgram (one draw each, including the packing it runs for itself). Each program is
// named with the kernel that ran it ("UnpackProgram@BatchMatMul"): kernel names survive
// minification, program class names do not.

import * as tf from '@tensorflow/tfjs';

type Method = (...args: unknown[]) => unknown;

const ENTRY: Record<string, string> = { webgpu: 'recordAndSubmit', webgl: 'runWebGLProgram' };

export interface DispatchCount<T> {
  result: T;
  /** GPU programs dispatched; null on backends without programs (wasm, cpu). */
  dispatches: number | null;
  /** Program count by program class and kernel ("Class@Kernel"), largest first (empty without programs). */
  byProgram: { name: string; count: number }[];
}

/** Runs `fn` and counts the programs the current backend dispatched meanwhile. */
export async function countDispatches<T>(fn: () => Promise<T> | T): Promise<DispatchCount<T>> {
  const entry = ENTRY[tf.getBackend()];
  const backend = tf.backend() as unknown as Record<string, Method>;
  if (!entry || typeof backend[entry] !== 'function') return { result: await fn(), dispatches: null, byProgram: [] };
  const original = backend[entry];
  const engine = tf.engine() as unknown as Record<string, Method>;
  const runKernel = engine.runKernel;
  const kernels: string[] = [];
  engine.runKernel = function (this: unknown, ...args: unknown[]) {
    kernels.push(String(args[0]));
    try {
      return runKernel.apply(this, args);
    } finally {
      kernels.pop();
    }
  };
  const byName = new Map<string, number>();
  let count = 0;
  backend[entry] = function (this: unknown, ...args: unknown[]) {
    count++;
    const program = (args[0] as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? 'unknown';
    const name = `${program}@${kernels[kernels.length - 1] ?? 'none'}`;
    byName.set(name, (byName.get(name) ?? 0) + 1);
    return original.apply(this, args);
  };
  try {
    const result = await fn();
    const byProgram = [...byName].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, count: n }));
    return { result, dispatches: count, byProgram };
  } finally {
    // Only the wrappers' own properties go: the prototypes' methods show through again.
    delete engine.runKernel;
    if (engine.runKernel !== runKernel) engine.runKernel = runKernel;
    delete backend[entry];
    if (backend[entry] !== original) backend[entry] = original;
  }
}
