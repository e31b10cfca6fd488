// A Vite build plugin that lets tfjs-backend-wasm's threaded SIMD build start its pthreads from
// our bundle (docs/decisions/0014, "wasm threads").
//
// tfjs hands each pthread its emscripten factory as a blob of `factory.toString()`. Once the
// factory is bundled and minified, that text names variables of the bundle's scope which the
// pthread never sees ("e is not defined", tfjs #4107), and a blob script would need `blob:` in
// script-src besides. So the factory file, unminified and self-contained, is emitted as an asset
// of its own, and tfjs is told to load that URL instead: the pthread's importScripts then fetches
// a same-origin script, which `script-src 'self'` already allows.

const TARGET = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/;
const BLOB =
  /new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\],\s*\{ type: 'text\/javascript' \}\)/;
const FACTORY = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';

/** The transform on its own, for the unit test: null when `id` is not tfjs's backend file. */
export function patchBackendWasm(code, id) {
  if (!TARGET.test(id.split('?')[0])) return null;
  if (!BLOB.test(code))
    throw new Error(
      'wasmThreadsPlugin: tfjs-backend-wasm no longer builds its pthread script as expected; ' +
        'update the pattern (or drop the plugin if tfjs fixed #4107).',
    );
  // Absolute: the pthread is itself a blob worker, against whose URL a relative path resolves to nothing.
  return (
    `import __threadedFactoryUrl from '${FACTORY}';\n` +
    code.replace(BLOB, 'new URL(__threadedFactoryUrl, self.location.href).href')
  );
}

export function wasmThreadsPlugin() {
  return {
    name: 'contrastive:wasm-threads',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      const out = patchBackendWasm(code, id);
      return out === null ? null : { code: out, map: null };
    },
  };
}
