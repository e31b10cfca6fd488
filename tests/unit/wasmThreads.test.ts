import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { defaultWasmThreads, MAX_WASM_THREADS, parseWasmThreads } from '../../src/core/wasmThreads';
import { patchBackendWasm, pthreadScript } from '../../scripts/lib/wasmThreadsPlugin.mjs';

describe('wasm threads', () => {
  it('default: a core kept for the page, at most 4, never below 1', () => {
    const cases: [number | undefined, number][] = [
      [undefined, 1],
      [Number.NaN, 1],
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
      [16, 4],
    ];
    for (const [cores, threads] of cases) expect(defaultWasmThreads(cores), `${cores} cores`).toBe(threads);
  });

  it('a link value is a whole number from 1 to the pool size', () => {
    expect(parseWasmThreads('1')).toBe(1);
    expect(parseWasmThreads(' 3 ')).toBe(3);
    expect(parseWasmThreads(String(MAX_WASM_THREADS))).toBe(MAX_WASM_THREADS);
    for (const bad of [null, undefined, '', '0', String(MAX_WASM_THREADS + 1), '2.5', '-2', '1e1', 'two'])
      expect(parseWasmThreads(bad), String(bad)).toBeUndefined();
  });
});

describe('the build patch that lets tfjs start its pthreads from our bundle', () => {
  const require = createRequire(import.meta.url);
  // The file Vite bundles (package.json "module" leads to it), not the Node build vitest loads.
  const id = require.resolve('@tensorflow/tfjs-backend-wasm/dist/backend_wasm.js');
  const source = readFileSync(id, 'utf8');

  it("replaces the blobs of the factory's source text and of the pthread script with URLs", () => {
    expect(source).toContain('wasmFactoryThreadedSimd.toString()');
    expect(source).toContain('URL.createObjectURL(blob)');
    const out = patchBackendWasm(source, id, 'PTHREAD_URL')!;
    expect(out).not.toContain('wasmFactoryThreadedSimd.toString()');
    expect(out).not.toContain('new Blob(');
    expect(out).not.toContain('createObjectURL');
    expect(out).toMatch(
      /^import __threadedFactoryUrl from '@tensorflow\/tfjs-backend-wasm\/wasm-out\/tfjs-backend-wasm-threaded-simd\.js\?url';/,
    );
    expect(out).toContain(
      'factoryConfig.mainScriptUrlOrBlob = new URL(__threadedFactoryUrl, self.location.href).href;',
    );
    expect(out).toMatch(
      /if \(path\.endsWith\('\.worker\.js'\)\) \{[^}]*return new URL\(PTHREAD_URL, self\.location\.href\)\.href;\s*\}/,
    );
  });

  it('the pthread script is the one tfjs put in its blob, and plain JavaScript', () => {
    const script = pthreadScript();
    expect(script.startsWith('"use strict";var Module={};')).toBe(true);
    // It loads the factory it is sent and calls the global that file defines.
    expect(script).toContain('importScripts(e.data.urlOrBlob)');
    expect(script).toContain('WasmBackendModuleThreadedSimd(Module)');
    expect(() => new Function(script)).not.toThrow();
  });

  it('the factory file it points to defines the global the pthread calls, on its own', () => {
    const factory = readFileSync(
      require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
      'utf8',
    );
    expect(factory.trimStart()).toMatch(/^var WasmBackendModuleThreadedSimd = \(\(\) => \{/);
  });

  it('leaves other files alone, and fails loudly when tfjs changes the code it patches', () => {
    expect(patchBackendWasm(source, '/x/node_modules/@tensorflow/tfjs-core/dist/engine.js', 'U')).toBeNull();
    expect(() => patchBackendWasm(source.replace('.toString()', '.toSource()'), id, 'U')).toThrow(/no longer starts/);
    expect(() => patchBackendWasm(source.replace('URL.createObjectURL(blob)', 'blob'), id, 'U')).toThrow(
      /no longer starts/,
    );
  });
});
