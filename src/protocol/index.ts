// The one contract between the page and the training worker. Commands go in, events come
// out; typed arrays in events are transferred, not copied. Neither side imports the other.

import type { ModelState } from '../core/modelFile';
import type { LossId, Settings } from '../core/settings';
import type { ClipEval, ClipSearch, ClipState } from './clip';
import type { LabelCurveReport, LabelsPerClass, Metrics, ProbeReport } from './measurement';
import type { QueryCommand, QueryResult, UserDataCommand } from './query';

export * from './clip';
export * from './measurement';
export * from './query';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export type Command =
  /** Builds (or rebuilds) data, model and optimizer for these settings; sent first and on reset-level changes. */
  | {
      type: 'configure';
      settings: Settings;
      /** The page's base URL: data assets are resolved against it. */ assetBase: string;
    }
  /** wasm's threads, from the page's ?threads= link key: sent before the first 'configure', since
   *  the wasm backend takes its thread count once, when it starts (otherwise the worker decides). */
  | { type: 'wasmThreads'; n: number }
  | { type: 'play' }
  | { type: 'pause' }
  /** explain: the next step also re-embeds its own views after the update and sends an 'explain' event (slow motion). */
  | { type: 'step'; n: number; explain?: boolean }
  /** Augments a few fixed images with these settings' augmentations and answers with a 'preview' event (also while paused). */
  | { type: 'preview'; settings: Settings }
  | { type: 'reset' }
  /** Live changes: temperature, batch size, learning rate, loss, augmentations. */
  | { type: 'setParams'; settings: Settings }
  /** Fault injection for tests: the next step's loss becomes NaN, as a diverging run's would. */
  | { type: 'poisonNextStep' }
  /** Measurement: neighbours used by the periodic kNN evaluation (a new evaluation follows). */
  | { type: 'setMetrics'; knnK: number }
  /** Linear probe, fine-tuning and their baselines with this many labels per class; runs
   *  between steps. budgetScale (tests only, default 1) shrinks every step budget. */
  | { type: 'evaluate'; labelsPerClass: LabelsPerClass; budgetScale?: number }
  /** The label-efficiency curve: every method at every CURVE_LABELS count; runs between steps. */
  | { type: 'labelCurve'; budgetScale?: number }
  /** Stops a label curve under way (what it measured so far stays on the page). */
  | { type: 'stopLabelCurve' }
  /** Embeds the display set with the current weights (between steps): answered by 'embeddings'. */
  | { type: 'exportEmbeddings' }
  /** Reads weights, Adam's state and the training position (between steps): answered by 'modelSaved'. */
  | { type: 'saveModel' }
  /** Rebuilds for `settings` (the page's settings with the file's architecture) and installs the
   *  saved run; answered by 'modelLoaded'. On a misfit the running engine is left as it was. */
  | { type: 'loadModel'; state: ModelState; settings: Settings }
  /** Reads the run's state for the page's recovery copy (between steps): answered by 'checkpoint'
   *  with the same id, so the page can tell an answer about a run it has since replaced. */
  | { type: 'checkpoint'; id: number }
  /** Test-only fault injection, honoured only by a worker started under TEST_FAULTS_WORKER_NAME
   *  (the page does that only when opened with ?test=faults); any other worker ignores it. */
  | { type: 'fault'; fault: FaultKind }
  /** The user's images ("My images"), pixels transferred; replaces the previous set. Sent before
   *  a 'configure' for dataset 'user' (the run is rebuilt with them then, not now). */
  | UserDataCommand
  /** Search by example: embed one image with the current weights; answered by 'queryResult'.
   *  A newer query replaces one not yet started (latest wins). */
  | QueryCommand
  /** CLIP: zero-shot accuracy per factor (prompts from these templates, per factor id), held-out
   *  compositions, precision at 12 and the binding test; answered by 'clipEval' (a query: never blocks training). */
  | { type: 'clipEvaluate'; templates: Record<string, string[]> }
  /** CLIP: the 12 held-out images most similar to a text; answered by 'clipSearch'. */
  | { type: 'clipSearch'; text: string };

/** loseDevice: destroy the WebGPU device or lose the WebGL context; throw: an uncaught error in
 *  the worker; hang: a busy loop that never yields. */
export type FaultKind = 'loseDevice' | 'throw' | 'hang';
/** The worker name under which test-only fault commands are honoured. */
export const TEST_FAULTS_WORKER_NAME = 'engine-test-faults';
/** The worker says it is alive this often, between steps and evaluation slices. */
export const HEARTBEAT_MS = 1000;

export interface BackendInfo {
  type: 'backend';
  name: BackendName;
  /** What the adapter / device is, e.g. "swiftshader (fallback adapter)". */
  adapter: string;
  /** Why this backend was chosen, in a sentence a user can read. */
  reason: string;
  /** Backends that were tried and failed to start, with their errors. */
  failures: string[];
  /** wasm only: the threads its kernels run on (more than 1 only on a cross-origin isolated page). */
  threads?: number;
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
  /** tf.memory().numBytes: the bytes those tensors hold. */
  numBytes?: number;
  /** The wasm backend's linear memory in bytes (it never shrinks); absent on other backends. */
  wasmHeapBytes?: number;
  temperature: number;
  /** The loss being trained (the panels that explain NT-Xent's softmax say so when it has no negatives). */
  lossId: LossId;
  dim: number;
  /** Fixed class-balanced held-out display set: embeddings (count * dim, L2-normalised). */
  display: { embeddings: Float32Array; labels: Int32Array; indices: Int32Array; step: number } | null;
  /** The current batch: 2N projections (view 1 rows 0..N-1, view 2 rows N..2N-1). */
  batch: { embeddings: Float32Array; labels: Int32Array; indices: Int32Array; n: number } | null;
  /** Both augmented views of the batch's first min(N, BATCH_VIEW_MAX) images (row i and i + N),
   *  so the page can show any of those rows as an anchor, positive or negative. Sent once per step. */
  batchViews?: ViewPairs | null;
  /** The batch's dataset factor values (Shapes: shape, colour, ...), factorValues[f][row], 2N rows. */
  batchFactors?: Int32Array[] | null;
  /** CLIP: the batch's captions (rows N..2N-1 of batch are their embeddings, row i + N captions image i). */
  batchCaptions?: string[] | null;
}

export interface EngineError {
  type: 'error';
  /** 'nan': training paused on a non-finite loss; 'backend': a backend failed; 'stalled': the
   *  loss has sat at chance (training goes on); 'fatal': nothing runs; 'recovered': made by the
   *  page, which replaced a failed worker or backend and restored the last checkpoint. */
  kind: 'nan' | 'backend' | 'data' | 'stalled' | 'fatal' | 'recovered';
  message: string;
}

export interface Ready {
  type: 'ready';
  dataset: string;
  trainCount: number;
  testCount: number;
  classNames: string[];
  parameterCount: number;
  /** The dataset's labelled factors, with each display-set image's value (same order as
   *  Snapshot.display.indices), so the page can colour points by any of them. */
  factors?: { name: string; classes: string[]; displayValues: Int32Array; swatches?: string[] }[];
}

/** Fixed images' two views under the current augmentations, for the augmentation panel. */
export interface Preview {
  type: 'preview';
  views: ViewPairs;
}

/** One update, slowed down: the batch's projections before and after the same step's update. */
export interface Explain {
  type: 'explain';
  step: number;
  n: number;
  dim: number;
  temperature: number;
  /** The loss this step trained (alignment only has no softmax and no push). */
  lossId: LossId;
  /** 2N * dim each, L2-normalised; the same two views through the encoder before and after the update. */
  before: Float32Array;
  after: Float32Array;
  labels: Int32Array;
  /** The batch loss with the weights before and after the update (same views, same temperature). */
  lossBefore: number;
  lossAfter: number;
}

export type EngineEvent =
  | Snapshot
  | EngineError
  | BackendInfo
  | Ready
  | Preview
  | Explain
  | Metrics
  | ProbeReport
  | LabelCurveReport
  | EmbeddingsExport
  | ModelSaved
  | ModelLoaded
  | TransferFailed
  | Heartbeat
  | Checkpoint
  | DeviceLost
  | QueryResult
  | ClipState
  | ClipEval
  | ClipSearch;

// ---- Faults: what the page needs to replace a failed worker or backend ----

/** Sent every HEARTBEAT_MS while the worker's event loop turns; silence means it hangs. */
export interface Heartbeat {
  type: 'heartbeat';
}

/** The run's full state (the saved-model format) for the page to keep; null when it could not be read. */
export interface Checkpoint {
  type: 'checkpoint';
  id: number;
  state: ModelState | null;
  message?: string;
}

/** The GPU under the backend is gone (WebGPU device lost, WebGL context lost): this worker
 *  cannot go on, the page moves the run to another backend. */
export interface DeviceLost {
  type: 'deviceLost';
  backend: BackendName;
  message: string;
}

// ---- Export and restore ----

/** The display set (the points the embedding view shows) embedded with the weights of `step`. */
export interface EmbeddingsExport {
  type: 'embeddings';
  step: number;
  count: number;
  /** Dataset index of each point. */
  indices: Int32Array;
  /** Projection z, L2-normalised (what the loss and the view see), count * zDim. */
  z: Float32Array;
  zDim: number;
  /** Representation h (what kNN and probes use), count * hDim. */
  h: Float32Array;
  hDim: number;
  /** Every labelled factor's value per point (factors[0] is the class). */
  factors: { name: string; classes: string[]; values: Int32Array }[];
  /** CLIP: one caption per point and its embedding in z's space (count * zDim), same weights. */
  captions?: { texts: string[]; z: Float32Array };
}

export interface ModelSaved {
  type: 'modelSaved';
  state: ModelState;
}

export type ModelLoaded =
  | { type: 'modelLoaded'; ok: true; step: number; settings: Settings }
  | { type: 'modelLoaded'; ok: false; message: string };

/** An export or a save could not run (e.g. the model is being rebuilt). */
export interface TransferFailed {
  type: 'transferFailed';
  what: 'embeddings' | 'model';
  message: string;
}

export const HISTORY_MAX = 2000;
/** Most images whose both views travel with a snapshot (128 pairs of 32x32x3 = 790 KB, once per step). */
export const BATCH_VIEW_MAX = 128;
