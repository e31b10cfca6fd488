// Threads for our own gradient kernels. tfjs-backend-wasm's threaded build splits its own
// kernels across its pthreads, but ours (gradients.ts) ran on the calling thread alone: at
// N = 256 on two threads the filter and pool gradients were a third of a step
// (docs/decisions/0017). The pool starts threads of its own (kernelThread.ts), each linking the
// same module to tfjs's shared memory, and runs the blocks of one kernel call side by side: the
// first on the calling thread, one on each thread that is ready, and any left over on the caller.
//
// The calling thread blocks in Atomics.wait until its threads are done, as a tfjs kernel must
// return its output: it is the training worker, where waiting is allowed. A thread still
// starting is simply not used yet.

import { KERNEL_NAMES, SLOT, type KernelName, type ThreadStart } from './kernelSlots';

/** One block of a kernel's work: the kernel and its arguments (byte offsets and sizes). */
export interface KernelCall {
  kernel: KernelName;
  args: number[];
}

type Run = (call: KernelCall) => void;

/** A thread that has not finished its block by then has failed; the pool stops using threads. */
const BLOCK_TIMEOUT_MS = 20_000;

export class KernelPool {
  private readonly control: Int32Array;
  private workers: Worker[] = [];
  private broken: string | null = null;
  private readonly started: Promise<void>;

  private constructor(
    readonly threads: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
  ) {
    const buffer = new SharedArrayBuffer(threads * SLOT.words * 4);
    this.control = new Int32Array(buffer);
    const starts: Promise<void>[] = [];
    for (let slot = 0; slot < threads; slot++) {
      const worker = new Worker(new URL('./kernelThread.ts', import.meta.url), { type: 'module' });
      starts.push(
        new Promise((resolve) => {
          worker.onmessage = () => resolve();
          worker.onerror = (e) => {
            e.preventDefault();
            this.broken = `a kernel thread failed to start: ${e.message || 'no message'}`;
            resolve();
          };
        }),
      );
      worker.postMessage({ module, memory, control: buffer, slot } satisfies ThreadStart);
      this.workers.push(worker);
    }
    this.started = Promise.all(starts).then(() => undefined);
  }

  /**
   * Resolves once every thread has linked or failed, or after `ms`. A thread starts only while
   * the worker that made it returns to its event loop, which a training loop seldom does, so
   * the backend waits for this before the first step.
   */
  whenStarted(ms: number): Promise<void> {
    return Promise.race([this.started, new Promise<void>((r) => setTimeout(r, ms))]);
  }

  /** A pool of `threads` helpers (the caller is one more), or null where threads cannot share memory here. */
  static start(threads: number, module: WebAssembly.Module, memory: WebAssembly.Memory): KernelPool | null {
    if (threads < 1 || typeof Worker === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) return null;
    return new KernelPool(threads, module, memory);
  }

  /** How many threads are linked and may take a block now. */
  ready(): number {
    if (this.broken) return 0;
    let n = 0;
    for (let slot = 0; slot < this.threads; slot++) n += Atomics.load(this.control, slot * SLOT.words + SLOT.ready);
    return n;
  }

  /** Why the pool stopped taking work, if it did. */
  get failure(): string | null {
    return this.broken;
  }

  /**
   * Runs the blocks, the first on the calling thread (`runHere`), and returns once all are done,
   * with how many ran on threads. Blocks must not write where another reads or writes.
   */
  run(blocks: KernelCall[], runHere: Run): number {
    const sent: Array<{ slot: number; seq: number }> = [];
    if (!this.broken) {
      for (let slot = 0; slot < this.threads && sent.length < blocks.length - 1; slot++) {
        const base = slot * SLOT.words;
        if (Atomics.load(this.control, base + SLOT.ready) !== 1) continue;
        const { kernel, args } = blocks[sent.length + 1];
        if (args.length > SLOT.maxArgs)
          throw new Error(`${kernel}: ${args.length} arguments, the slot holds ${SLOT.maxArgs}`);
        this.control[base + SLOT.kernel] = KERNEL_NAMES.indexOf(kernel);
        this.control[base + SLOT.argCount] = args.length;
        this.control.set(args, base + SLOT.args);
        const seq = (this.control[base + SLOT.seq] + 1) | 0;
        Atomics.store(this.control, base + SLOT.seq, seq);
        Atomics.notify(this.control, base + SLOT.seq);
        sent.push({ slot, seq });
      }
    }
    runHere(blocks[0]);
    for (const block of blocks.slice(sent.length + 1)) runHere(block);
    sent.forEach(({ slot, seq }, i) => {
      // A block that threw is run again here: it has stopped, and a block writes all it owns.
      if (!this.await(slot, seq)) runHere(blocks[i + 1]);
    });
    return sent.length;
  }

  /** Waits for a thread's block: true once it ran, false if it threw. */
  private await(slot: number, seq: number): boolean {
    const base = slot * SLOT.words;
    const deadline = performance.now() + BLOCK_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.control, base + SLOT.done);
      if (done === seq) break;
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.control, base + SLOT.done, done, left) === 'timed-out') {
        this.broken = `a kernel thread did not finish its block within ${BLOCK_TIMEOUT_MS / 1000} s`;
        throw new Error(this.broken);
      }
    }
    if (this.control[base + SLOT.failed]) {
      this.broken = 'a kernel thread failed on its block';
      return false;
    }
    return true;
  }

  dispose(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.broken = 'disposed';
  }
}
