// The app's engine in Node, as the experiment scripts (clip-node, simclr-node) use it: tfjs on
// wasm, one thread (the threaded build needs browser workers), and the TypeScript sources loaded
// through Vite's SSR loader, so the scripts run the very modules the worker runs.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
import { createServer } from 'vite';

/** Starts wasm and a Vite loader; `load(path)` imports a source module, `close()` stops the loader. */
export async function nodeEngine() {
  setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend unavailable');
  const vite = await createServer({
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
    logLevel: 'error',
    optimizeDeps: { noDiscovery: true },
  });
  return { load: (p) => vite.ssrLoadModule(p), close: () => vite.close() };
}
