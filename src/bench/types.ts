import type { GpuAdapterRecord } from '../engine/backend';
import type { GpuCheck } from '../engine/gpuCheck';
import type { BackendName } from '../protocol';
import type { ModelId } from '../core/settings';

export interface BenchRequest {
  backend: BackendName;
  n: number;
  model: ModelId;
  /** Time budget for the timed steps: slow backends time fewer steps (at least 3); 0 times none. */
  budgetMs: number;
  /** wasm threads (the page must be cross-origin isolated for more than 1). */
  threads?: number;
  /** Also check the GPU path's loss, gradients and Adam against the cpu backend's. */
  check?: boolean;
  /** false: no compile-ahead pass before the first update (engine/precompile.ts), to compare. */
  precompile?: boolean;
  /** false: our gradient kernels on the calling thread only (engine/kernels/kernelPool.ts), to compare. */
  kernelPool?: boolean;
}

export interface BenchResult extends BenchRequest {
  /** The backend that actually ran (a failed backend falls back; the result says so). */
  ran?: string;
  adapter?: string;
  /** WebGPU only: the adapter's own description, and whether it is a fallback (software) adapter. */
  gpu?: GpuAdapterRecord;
  /** wasm only: the threads its kernels ran on. */
  threadsRan?: number;
  /** wasm only: our gradient kernels' threads, those ready, and the blocks they ran. */
  kernelThreads?: { threads: number; ready: number; blocksOnThreads: number; failure: string | null } | null;
  /** Whether the page was cross-origin isolated (threads possible). */
  isolated?: boolean;
  /** Choosing and starting the backend, before any model exists. */
  backendInitMs?: number;
  /** GPU programs compiled by the first update (webgpu: pipelines; webgl: shader programs): what its time is mostly spent on. */
  programsCompiled?: number;
  /** The first update and its loss read: shader compilation (ahead or not) and first uploads included. */
  firstStepMs?: number;
  /** Of firstStepMs, the compile-ahead pass (WebGPU, unless turned off), and the programs it compiled. */
  precompileMs?: number;
  programsPrecompiled?: number;
  medianStepMs?: number;
  minStepMs?: number;
  /** Both views' augmentation, per step (not included in the step times, as in the PyTorch benchmark). */
  augmentMs?: number;
  timedSteps?: number;
  firstLoss?: number;
  /** The loss of the second update (the first after Adam's first move): equal with or without
   *  the compile-ahead pass if it put everything back. */
  secondLoss?: number;
  lastLoss?: number;
  /** Steps per loss read (the trainer's policy on this backend); step times are per step. */
  readEvery?: number;
  /** tfjs kernels run by one update (tf.profile), loss read excluded. */
  kernelsPerStep?: number;
  /** GPU programs dispatched by one update (webgpu, webgl), loss read excluded. */
  dispatchesPerStep?: number;
  /** GPU programs dispatched by making both views of a batch. */
  augmentDispatches?: number;
  /** Kernel time and count by kernel name in one profiled step, largest time first. */
  topKernels?: { name: string; ms: number; count: number }[];
  /** Programs by name in one counted step, most frequent first. */
  topPrograms?: { name: string; count: number }[];
  /** Tensors still allocated after the benchmark disposed everything it made (a leak if > 0). */
  tensorsLeft?: number;
  /** With `check`: the largest relative differences from the cpu backend (engine/gpuCheck.ts). */
  againstCpu?: GpuCheck;
  error?: string;
}
