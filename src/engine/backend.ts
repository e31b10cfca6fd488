// Picks the tfjs backend the machine runs fastest, and says why. Runs inside the worker.
//
// Order: WebGPU on real hardware; wasm when there is no GPU or only a software adapter
// (software WebGPU is far slower than wasm SIMD: docs/decisions/0006); then WebGL;
// then the pure-JS cpu backend. Importing the WebGPU backend makes it tfjs's default even on
// SwiftShader, so the choice is always made explicitly here, before any tensor exists.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { startWasmKernels } from './kernels/gradients';
import { shareIdentityOnWasm } from './kernels/sharedIdentity';
import { registerGlslPrograms } from './ops/glslPrograms';
import { registerWgslPrograms } from './ops/wgslPrograms';
import type { BackendChoice } from '../core/settings';
import type { BackendInfo, BackendName } from '../protocol';
import { startWasm, wasmDescription, wasmThreadsRunning } from './wasmThreads';

const AUTO_ORDER: BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

// The app serves its own wasm binaries (no CDN): Vite emits them as hashed assets.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

export { crossOriginIsolated, setWasmThreads } from './wasmThreads';

/** Starts one backend and runs a first kernel: some backends register but fail on it. */
async function start(name: BackendName): Promise<void> {
  // WebGL unpacked: our programs read one value per texel, and packing would put a pack or
  // unpack program around each of them, and around most stock kernels (docs/decisions/0015).
  if (name === 'webgl') tf.env().set('WEBGL_PACK', false);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error('did not initialise');
  await tf.ready();
  const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
  await probe.data();
  probe.dispose();
}

// Our own GPU programs (ops/fusedKernels.ts). Registered here, in the worker, and not where the
// ops are defined, so Node's unit tests (which run the GPU path on cpu kernels) never load them.
registerWgslPrograms();
registerGlslPrograms();
shareIdentityOnWasm();

export interface GpuProbe {
  available: boolean;
  software: boolean;
  description: string;
  /** What the adapter says of itself (GPUAdapterInfo), for the benchmark's record. */
  info?: GpuAdapterRecord;
}

export interface GpuAdapterRecord {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** The browser's own flag for a software or otherwise degraded adapter; null where it has none. */
  isFallbackAdapter: boolean | null;
}

/** Asks for a WebGPU adapter without creating a device, to tell real hardware from SwiftShader. */
export async function probeWebGpu(): Promise<GpuProbe> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { available: false, software: false, description: 'no WebGPU in this browser' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { available: false, software: false, description: `requestAdapter failed: ${String(e)}` };
  }
  if (!adapter) return { available: false, software: false, description: 'no WebGPU adapter' };
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const fallbackFlag =
    (info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined)?.isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    null;
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ');
  const software = fallbackFlag === true || /swiftshader|llvmpipe|software|microsoft basic/i.test(text);
  const record: GpuAdapterRecord = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: fallbackFlag,
  };
  return {
    available: true,
    software,
    description: (text || 'unnamed adapter') + (software ? ' (software)' : ''),
    info: record,
  };
}

function orderFor(choice: BackendChoice, gpu: GpuProbe): { order: BackendName[]; reason: string } {
  if (choice !== 'auto') {
    return { order: [choice, ...AUTO_ORDER.filter((b) => b !== choice)], reason: `chosen in the settings` };
  }
  if (gpu.available && !gpu.software)
    return { order: AUTO_ORDER, reason: `a hardware GPU was found (${gpu.description})` };
  const why = gpu.available
    ? `the only WebGPU adapter is software (${gpu.description}), which trains ~40x slower than wasm`
    : `no GPU: ${gpu.description}`;
  return { order: ['wasm', 'webgl', 'cpu', 'webgpu'], reason: `${why}, so wasm (SIMD) on the CPU` };
}

/** Tries backends in order until one starts; every failure is reported, none is fatal but the last. */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  const gpu = await probeWebGpu();
  const { order, reason } = orderFor(choice, gpu);
  const failures: string[] = [];
  for (const name of order) {
    if (name === 'webgpu' && !gpu.available) {
      failures.push(`webgpu: ${gpu.description}`);
      continue;
    }
    try {
      if (name === 'wasm') {
        await startWasm(() => start('wasm'), failures);
        await startWasmKernels();
      } else await start(name);
      const adapter =
        name === 'webgpu'
          ? gpu.description
          : name === 'wasm'
            ? wasmDescription()
            : name === 'webgl'
              ? webglDescription()
              : 'JavaScript';
      const why =
        failures.length === 0
          ? reason
          : `${failures.length === 1 ? 'the preferred backend' : 'preferred backends'} failed (${failures.join('; ')}); fell back to ${name}`;
      return {
        type: 'backend',
        name,
        adapter,
        reason: why,
        failures,
        ...(name === 'wasm' ? { threads: wasmThreadsRunning() } : {}),
      };
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`No tfjs backend could start: ${failures.join('; ')}`);
}

function webglDescription(): string {
  const v = tf.env().getNumber('WEBGL_VERSION');
  return `WebGL ${v}`;
}
