// tfjs-backend-wasm on one thread or several. The threaded build needs a cross-origin isolated
// page (serve.mjs sends COOP/COEP) and our build patch (scripts/lib/wasmThreadsPlugin.mjs) to
// start its pthreads; it takes its thread count once, when it starts (docs/decisions/0014).

import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { defaultWasmThreads, MAX_WASM_THREADS } from '../core/wasmThreads';

/** A threaded start that has neither finished nor failed by then is given up for one thread. */
const THREADED_START_MS = 30_000;

/** Whether this context may share memory with its threads (COOP/COEP sent, as serve.mjs does). */
export function crossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

function logicalCores(): number | undefined {
  return (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency;
}

let threadsWanted = defaultWasmThreads(logicalCores());
let threadsAsked = false;
let threadedFailed = false;
// Until wasm starts: the plain SIMD build, which needs no shared memory and starts no workers.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

/**
 * Asks for `n` threads instead of the default (the page's ?threads=, the benchmark's --threads).
 * Only the first start of the wasm backend takes it.
 */
export function setWasmThreads(n: number): void {
  threadsWanted = Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(n)));
  threadsAsked = true;
}

/** Picks the build, just before wasm starts: threaded only for more than one thread, when isolated. */
function prepare(threads: number): number {
  const n = crossOriginIsolated() ? threads : 1;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', n > 1);
  if (n > 1) setThreadsCount(n);
  return n;
}

/**
 * tfjs caps its threads at half the logical cores (it assumes two hyperthreads per core), read
 * once as its module starts. The count is chosen here, so for that moment only the worker's
 * navigator reports enough cores for it.
 */
async function withCoresFor<T>(threads: number, run: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav || (logicalCores() ?? 0) >= 2 * threads) return run();
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await run();
  } finally {
    // The own property goes; the prototype's getter (the real count) shows through again.
    delete (nav as unknown as Record<string, unknown>).hardwareConcurrency;
  }
}

/** A pthread's script: the asset our build plugin emits, or tfjs's own blob where it did not run. */
const PTHREAD_SCRIPT = /^blob:|tfjs-backend-wasm-pthread-[\w-]+\.js$/;

/**
 * A pthread that fails to load does not fail tfjs's start: it leaves it waiting, and its error
 * reaches this worker's scope (from the pthread's script, or rethrown by Emscripten as the
 * ErrorEvent itself). While the threads start, those errors are the start's to report, not the
 * page's. Returns the function that stops the watch.
 */
function watchThreadErrors(onError: (message: string) => void): () => void {
  const listener = (e: ErrorEvent) => {
    if (!(PTHREAD_SCRIPT.test(e.filename ?? '') || e.error instanceof ErrorEvent)) return;
    e.preventDefault();
    onError(e.message || (e.error as ErrorEvent | undefined)?.message || 'a wasm thread failed to start');
  };
  self.addEventListener('error', listener);
  return () => self.removeEventListener('error', listener);
}

async function startThreaded(n: number, start: () => Promise<void>): Promise<void> {
  let fail: (why: string) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = (why) => reject(new Error(why))));
  const stopWatching = watchThreadErrors((why) => fail(why));
  const timer = setTimeout(() => fail(`not started after ${THREADED_START_MS / 1000} s`), THREADED_START_MS);
  try {
    await Promise.race([withCoresFor(n, start), failed]);
    // Started: a thread's error from now on is a real failure, for the page to see.
    stopWatching();
  } finally {
    clearTimeout(timer);
    // Given up: the watch stays, since the rest of the abandoned pool fails later.
    fail = () => {};
  }
}

/** Starts wasm with the threads wanted; should the threaded build fail, on one thread. */
export async function startWasm(start: () => Promise<void>, failures: string[]): Promise<void> {
  if (tf.findBackend('wasm')) return start();
  const n = prepare(threadsWanted);
  if (n === 1) return start();
  try {
    await startThreaded(n, start);
  } catch (e) {
    threadedFailed = true;
    failures.push(`wasm on ${n} threads: ${e instanceof Error ? e.message : String(e)}`);
    prepare(1);
    await start();
  }
}

/** The threads wasm's kernels run on, once it has started. */
export function wasmThreadsRunning(): number {
  return tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? Math.max(1, getThreadsCount()) : 1;
}

/** What the readout says of wasm: SIMD or not, the threads, and why only one. */
export function wasmDescription(): string {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const n = wasmThreadsRunning();
  const cores = logicalCores();
  const why =
    n > 1
      ? ''
      : !crossOriginIsolated()
        ? ' (the page is not cross-origin isolated)'
        : threadedFailed
          ? " (tfjs's threaded build did not start)"
          : threadsAsked
            ? ' (as asked)'
            : ` (${cores ?? 'unknown'} logical core${cores === 1 ? '' : 's'}: one is kept for the page)`;
  return `WebAssembly${simd ? ' SIMD' : ''}, ${n} thread${n > 1 ? 's' : ''}${why}`;
}
