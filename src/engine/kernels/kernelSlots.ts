// The shared control block between the kernel pool (kernelPool.ts, on the training worker) and
// its threads (kernelThread.ts): one slot of Int32 words per thread. The caller writes a call
// into a slot and raises its sequence number; the thread runs it, then sets `done` to that
// number. Atomics order both ways, and wait/notify put the idle side to sleep.

export const KERNEL_NAMES = ['filterGrad', 'inputGrad', 'pad', 'maxPool2Grad'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export const SLOT = {
  /** raised by the caller for each call */
  seq: 0,
  /** set by the thread to seq once the call has run */
  done: 1,
  /** 1 once the thread has linked its module to the memory */
  ready: 2,
  /** 1 if the call threw (the thread keeps serving) */
  failed: 3,
  /** index into KERNEL_NAMES */
  kernel: 4,
  argCount: 5,
  args: 6,
  maxArgs: 18,
  words: 24,
} as const;

/** What the pool posts to a thread once, as it starts. */
export interface ThreadStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
}
