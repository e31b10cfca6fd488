// The one contract between the page and the training worker. Commands go in, events come
// out; typed arrays in events are transferred, not copied. Neither side imports the other.

import type { Settings } from './core/settings';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export type Command =
  /** Builds (or rebuilds) data, model and optimizer for these settings; sent first and on reset-level changes. */
  | { type: 'configure'; settings: Settings; /** The page's base URL: data assets are resolved against it. */ assetBase: string }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; n: number }
  | { type: 'reset' }
  /** Live changes: temperature, batch size, learning rate, loss, augmentations. */
  | { type: 'setParams'; settings: Settings }
  /** Fault injection for tests: the next step's loss becomes NaN, as a diverging run's would. */
  | { type: 'poisonNextStep' };

export interface BackendInfo {
  type: 'backend';
  name: BackendName;
  /** What the adapter / device is, e.g. "swiftshader (fallback adapter)". */
  adapter: string;
  /** Why this backend was chosen, in a sentence a user can read. */
  reason: string;
  /** Backends that were tried and failed to start, with their errors. */
  failures: string[];
}

/** A few anchors' two augmented views, so the page can show real training pairs. */
export interface ViewPairs {
  count: number;
  height: number;
  width: number;
  channels: number;
  /** count * 2 images (anchor view, positive view, interleaved), uint8 NHWC. */
  pixels: Uint8Array;
  /** Dataset indices of the anchors. */
  indices: Int32Array;
}

export interface Snapshot {
  type: 'snapshot';
  step: number;
  epoch: number;
  playing: boolean;
  loss: number;
  /** Loss per step since the last reset, down-sampled to at most HISTORY_MAX points. */
  lossHistory: Float32Array;
  /** The step number of each lossHistory point. */
  lossSteps: Int32Array;
  stepsPerSecond: number;
  /** tf.memory().numTensors in the worker: flat while training, or something leaks. */
  numTensors: number;
  temperature: number;
  dim: number;
  /** Fixed class-balanced held-out display set: embeddings (count * dim, L2-normalised). */
  display: { embeddings: Float32Array; labels: Int32Array; indices: Int32Array; step: number } | null;
  /** The current batch: 2N projections (view 1 rows 0..N-1, view 2 rows N..2N-1). */
  batch: { embeddings: Float32Array; labels: Int32Array; indices: Int32Array; n: number } | null;
  views: ViewPairs | null;
}

export interface EngineError {
  type: 'error';
  /** 'nan': training paused on a non-finite loss; 'backend': a backend failed; 'fatal': nothing runs. */
  kind: 'nan' | 'backend' | 'data' | 'fatal';
  message: string;
}

export interface Ready {
  type: 'ready';
  dataset: string;
  trainCount: number;
  testCount: number;
  classNames: string[];
  parameterCount: number;
}

export type EngineEvent = Snapshot | EngineError | BackendInfo | Ready;

export const HISTORY_MAX = 2000;
