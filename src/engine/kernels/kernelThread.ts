// One thread of the kernel pool (kernelPool.ts): it links the gradient kernels to tfjs's shared
// memory, then sleeps on its slot until the training worker hands it a block of a kernel's work.
// It never returns to its event loop: its one job is that loop, and the pool ends it by
// terminating the worker.

import { KERNEL_NAMES, SLOT, type ThreadStart } from './kernelSlots';

type Kernel = (...args: number[]) => void;

self.onmessage = ({ data }: MessageEvent<ThreadStart>) => {
  const { module, memory, control, slot } = data;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, Kernel>;
  const c = new Int32Array(control, slot * SLOT.words * 4, SLOT.words);
  const kernels = KERNEL_NAMES.map((name) => exports[name]);
  Atomics.store(c, SLOT.ready, 1);
  postMessage('ready');
  let seen = Atomics.load(c, SLOT.seq);
  for (;;) {
    Atomics.wait(c, SLOT.seq, seen);
    seen = Atomics.load(c, SLOT.seq);
    const args = Array.from(c.subarray(SLOT.args, SLOT.args + c[SLOT.argCount]));
    try {
      kernels[c[SLOT.kernel]](...args);
      c[SLOT.failed] = 0;
    } catch {
      c[SLOT.failed] = 1;
    }
    Atomics.store(c, SLOT.done, seen);
    Atomics.notify(c, SLOT.done);
  }
};
