// How many threads the wasm backend runs its kernels on. Pure, so the page (which reads the
// ?threads= link key) and the worker (which starts the backend) agree on the rules.

/** tfjs-backend-wasm starts a pool of 8 pthreads and never uses more. */
export const MAX_WASM_THREADS = 8;

/**
 * The default: one thread per logical core but one, left to the page (drawing, input), and no
 * more than 4 (docs/decisions/0014). One core, or an unknown count, means one thread.
 */
export function defaultWasmThreads(logicalCores: number | undefined): number {
  const cores = Number.isFinite(logicalCores) ? Math.floor(logicalCores!) : 1;
  return Math.max(1, Math.min(cores - 1, 4));
}

/** A `threads=N` link value: a whole number 1 to MAX_WASM_THREADS, else undefined. */
export function parseWasmThreads(raw: string | null | undefined): number | undefined {
  if (raw == null || !/^\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= MAX_WASM_THREADS ? n : undefined;
}
