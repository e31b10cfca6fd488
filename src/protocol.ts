// The one contract between the page and the training worker. Commands go in, events come
// out; typed arrays in events are transferred, not copied. Neither side imports the other.

import type { ModelState } from './core/modelFile';
import type { LossId, Settings } from './core/settings';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export type Command =
  /** Builds (or rebuilds) data, model and optimizer for these settings; sent first and on reset-level changes. */
  | { type: 'configure'; settings: Settings; /** The page's base URL: data assets are resolved against it. */ assetBase: string }
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
  /** Linear probe and its baselines with this many labels per class; runs between steps. */
  | { type: 'evaluate'; labelsPerClass: LabelsPerClass }
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
  | { type: 'fault'; fault: FaultKind };

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

export type EngineEvent = Snapshot | EngineError | BackendInfo | Ready | Preview | Explain | Metrics | ProbeReport
  | EmbeddingsExport | ModelSaved | ModelLoaded | TransferFailed | Heartbeat | Checkpoint | DeviceLost;

// ---- Faults: what the page needs to replace a failed worker or backend ----

/** Sent every HEARTBEAT_MS while the worker's event loop turns; silence means it hangs. */
export interface Heartbeat { type: 'heartbeat' }

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

// ---- Measurement: what the encoder has learned (kNN, geometry, linear probes, baselines) ----

export type LabelsPerClass = 1 | 10 | 100 | 'all';
export const LABELS_PER_CLASS: LabelsPerClass[] = [1, 10, 100, 'all'];

/** kNN accuracy (0..1) of held-out images against the training set, for one labelled factor. */
export interface FactorKnn {
  /** e.g. "digit", "shape", "colour". factors[0] is the primary label. */
  name: string;
  /** Accuracy of always guessing the held-out set's most common value. */
  chance: number;
  h: number;
  z: number;
}

export interface MetricsPoint {
  step: number;
  epoch: number;
  /** Wall-clock seconds spent training (evaluation included) since the last reset. */
  seconds: number;
  /** Neighbours used for this point's kNN. */
  k: number;
  /** Primary label, on h and on z (= knnByFactor[0]). */
  knnH: number;
  knnZ: number;
  knnByFactor: FactorKnn[];
  /** Display set: Wang & Isola's alignment (two augmented views) and uniformity (clean views). */
  alignment: number;
  uniformity: number;
  /** Mean share of same-class negatives per batch since the previous point. */
  falseNegativeShare: number;
}

/** The same kNN on representations that had no training: what learning must beat. */
export interface KnnBaselines {
  /** Raw pixels (one figure per factor; there is no h or z). */
  raw: number[];
  /** The same encoder at its seeded random initialisation. */
  randomH: number[];
  randomZ: number[];
}

export interface Metrics {
  type: 'metrics';
  k: number;
  /** z's dimension and the best uniformity reachable in it. */
  dim: number;
  uniformityOptimum: number;
  factors: string[];
  history: MetricsPoint[];
  baselines: KnnBaselines | null;
  /** Share of wall time spent on periodic evaluation while training, since the last reset
   *  (budget ~10%); the one-off baselines and the step-0 point are not part of it. */
  evalShare: number;
  /** Time the one-off evaluations (baselines, step-0 point) took while training (ms). */
  oneOffEvalMs: number;
  /** How long the last periodic evaluation took, all its chunks together (ms). */
  lastEvalMs: number;
  /** An evaluation is under way (it runs in chunks between training steps). */
  busy: boolean;
}

/** The from-scratch baseline's budget, in steps of `batch` images (engine/scratch.ts says why). */
export const SCRATCH_BUDGET = { batch: 64, minSteps: 300, maxSteps: 3000 } as const;

export interface ProbeReport {
  type: 'probe';
  labelsPerClass: LabelsPerClass;
  status: 'queued' | 'running' | 'done' | 'error';
  /** 0..1 while running. */
  progress: number;
  /** What it is doing now, or the error. */
  message: string;
  /** Labelled training images used (labelsPerClass x classes, or the whole training set). */
  trainCount: number;
  /** The contrastive encoder's step and epoch when its features were taken. */
  step: number;
  epoch: number;
  /** Steps (of SCRATCH_BUDGET.batch images) the from-scratch CNN trains, and the steps that
   *  would match the images pre-training had used (more than scratchSteps when the budget's
   *  cap binds: the comparison then favours pre-training). Null while queued. */
  scratchSteps: number | null;
  scratchMatchedSteps: number | null;
  /** Held-out accuracies in 0..1 (null until measured): linear probe on the pre-trained h,
   *  on raw pixels, on h of the encoder at random init; and the same CNN trained supervised
   *  from scratch on the same labels. */
  pretrained: number | null;
  raw: number | null;
  random: number | null;
  scratch: number | null;
}
