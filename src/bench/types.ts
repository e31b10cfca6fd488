import type { BackendName } from '../protocol';
import type { ModelId } from '../core/settings';

export interface BenchRequest {
  backend: BackendName;
  n: number;
  model: ModelId;
  /** Time budget for the timed steps: slow backends time fewer steps (at least 3). */
  budgetMs: number;
}

export interface BenchResult extends BenchRequest {
  /** The backend that actually ran (a failed backend falls back; the result says so). */
  ran?: string;
  adapter?: string;
  firstStepMs?: number;
  medianStepMs?: number;
  minStepMs?: number;
  /** Both views' augmentation, per step (not included in the step times, as in the PyTorch benchmark). */
  augmentMs?: number;
  timedSteps?: number;
  firstLoss?: number;
  lastLoss?: number;
  kernelsPerStep?: number;
  /** Kernel time by kernel name in one profiled step, largest first. */
  topKernels?: { name: string; ms: number }[];
  error?: string;
}
