// The wasm backend in Node, as the unit tests use it: tfjs-backend-wasm reads its .wasm files
// from a directory path (with a trailing slash), and runs single-threaded (its threaded build
// needs browser workers).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import { shareIdentityOnWasm } from '../../../src/engine/kernels/sharedIdentity';

const WASM_DIR = path.resolve(__dirname, '../../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep;

/** Points tfjs-backend-wasm at its files; call before the first tf.setBackend('wasm'). */
export function configureWasm(): void {
  setWasmPaths(WASM_DIR);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // As the worker runs it (engine/backend.ts).
  shareIdentityOnWasm();
}

/** Switches to `backend` and reports whether it started (wasm is configured first). */
export async function useBackend(backend: 'cpu' | 'wasm'): Promise<boolean> {
  if (backend === 'wasm') configureWasm();
  const ok = await tf.setBackend(backend);
  await tf.ready();
  return ok && tf.getBackend() === backend;
}
