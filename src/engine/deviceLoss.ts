// A GPU that goes away under the backend: a WebGPU device lost (driver reset, GPU process crash,
// a laptop switching GPUs) or a WebGL context lost. tfjs notices neither (the WebGPU backend
// registers no `lost` handler; the WebGL one silently makes a new, empty context), and the
// tensors on that GPU are gone either way, so the worker stops and tells the page, which moves
// the run to another backend from its last checkpoint (ui/engineSupervisor.ts).

import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../protocol';

interface WebGpuBackendLike {
  device?: GPUDevice;
}
interface WebGlBackendLike {
  gpgpu?: { gl?: WebGLRenderingContext };
}

let gone = false;
/** Bumped on every watch, so a handler left from an earlier backend stays quiet. */
let watchId = 0;

function webgpuDevice(): GPUDevice | null {
  return tf.getBackend() === 'webgpu' ? ((tf.backend() as unknown as WebGpuBackendLike).device ?? null) : null;
}

function webglContext(): WebGLRenderingContext | null {
  return tf.getBackend() === 'webgl' ? ((tf.backend() as unknown as WebGlBackendLike).gpgpu?.gl ?? null) : null;
}

/** Calls `onLost` once if the current backend's GPU goes away; nothing for wasm and cpu. */
export function watchDevice(onLost: (backend: BackendName, why: string) => void): void {
  const id = ++watchId;
  gone = false;
  const lost = (backend: BackendName, why: string) => {
    if (id !== watchId || gone) return;
    gone = true;
    onLost(backend, why);
  };
  const device = webgpuDevice();
  if (device) {
    void device.lost.then((info) => lost('webgpu', info.message || info.reason || 'unknown reason'));
    return;
  }
  const gl = webglContext();
  // An OffscreenCanvas in a worker; tfjs listens on the same canvas.
  const canvas = gl?.canvas as (EventTarget & { addEventListener: EventTarget['addEventListener'] }) | undefined;
  canvas?.addEventListener('webglcontextlost', () => lost('webgl', 'the WebGL context was lost'));
}

/**
 * Whether the GPU under the backend is gone, or going: a lost WebGL context says so at once,
 * before its event arrives, so errors it causes meanwhile are not reported as the run's own.
 */
export function deviceGone(): boolean {
  return gone || (webglContext()?.isContextLost() ?? false);
}

/** Test only: what a driver reset would do to the current backend. False on wasm and cpu. */
export function loseDevice(): boolean {
  const device = webgpuDevice();
  if (device) {
    device.destroy();
    return true;
  }
  const ext = webglContext()?.getExtension('WEBGL_lose_context');
  if (!ext) return false;
  ext.loseContext();
  return true;
}
