// A Vite build plugin that lets tfjs-backend-wasm's threaded SIMD build start its pthreads from
// our bundle (docs/decisions/0014, "wasm threads").
//
// tfjs hands each pthread its emscripten factory as a blob of `factory.toString()`. Once the
// factory is bundled and minified, that text names variables of the bundle's scope which the
// pthread never sees ("e is not defined", tfjs #4107), and a blob script would need `blob:` in
// script-src besides. So the factory file, unminified and self-contained, is emitted as an asset
// of its own, and tfjs is told to load that URL instead: the pthread's importScripts then fetches
// a same-origin script, which `script-src 'self'` already allows. The pthread's own script, which
// tfjs also starts from a blob, becomes an asset too, so workers need no `blob:` either.

import { createRequire } from 'node:module';

const TARGET = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/;
const FACTORY_BLOB =
  /new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\],\s*\{ type: 'text\/javascript' \}\)/;
const WORKER_BLOB =
  /const response = wasmWorkerContents\.replace\(\/\\n\/g, '\\\\n'\);\s*const blob = new Blob\(\[response\], \{ type: 'application\/javascript' \}\);\s*return URL\.createObjectURL\(blob\);/;
const FACTORY = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';

/** The pthread's script as tfjs writes it into its blob (newlines escaped, as tfjs does). */
export function pthreadScript() {
  const require = createRequire(import.meta.url);
  const {
    wasmWorkerContents,
  } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
  return wasmWorkerContents.replace(/\n/g, '\\n');
}

/**
 * The transform on its own, for the unit test: null when `id` is not tfjs's backend file.
 * `workerUrl` is the expression that gives the pthread script's URL.
 */
export function patchBackendWasm(code, id, workerUrl) {
  if (!TARGET.test(id.split('?')[0])) return null;
  if (!FACTORY_BLOB.test(code) || !WORKER_BLOB.test(code))
    throw new Error(
      'wasmThreadsPlugin: tfjs-backend-wasm no longer starts its pthreads as expected; ' +
        'update the patterns (or drop the plugin if tfjs fixed #4107).',
    );
  // Absolute URLs: a relative one would resolve against a pthread's own URL.
  return (
    `import __threadedFactoryUrl from '${FACTORY}';\n` +
    code
      .replace(FACTORY_BLOB, 'new URL(__threadedFactoryUrl, self.location.href).href')
      .replace(WORKER_BLOB, `return new URL(${workerUrl}, self.location.href).href;`)
  );
}

export function wasmThreadsPlugin() {
  return {
    name: 'contrastive:wasm-threads',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!TARGET.test(id.split('?')[0])) return null;
      // engine/wasmThreads.ts knows the pthreads' errors by this name.
      const ref = this.emitFile({ type: 'asset', name: 'tfjs-backend-wasm-pthread.js', source: pthreadScript() });
      return { code: patchBackendWasm(code, id, `import.meta.ROLLUP_FILE_URL_${ref}`), map: null };
    },
  };
}
