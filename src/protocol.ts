// The one contract between the page and the training worker. Commands go in, events come
// out; typed arrays in events are transferred, not copied. Neither side imports the other.

import type { CurveLabels, MethodId, MethodStat } from './core/labelRecipe';
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

export type EngineEvent = Snapshot | EngineError | BackendInfo | Ready | Preview | Explain | Metrics | ProbeReport | LabelCurveReport
  | EmbeddingsExport | ModelSaved | ModelLoaded | TransferFailed | Heartbeat | Checkpoint | DeviceLost | QueryResult
  | ClipState | ClipEval | ClipSearch;

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

// ---- CLIP mode (images and captions in one space) ----

/** Sent with each display refresh while a CLIP run trains. */
export interface ClipState {
  type: 'clipState';
  step: number;
  learnedTemperature: boolean;
  /** The temperature's path (the learned one, or the setting), at most CLIP_PATH_MAX points. */
  temperaturePath: { steps: Int32Array; values: Float32Array };
  /** The modality gap (distance between the image and caption centroids on the sphere) over time. */
  gapPath: { steps: Int32Array; values: Float32Array };
  /** Mean share of a batch's captions that another row of the batch also has (false negatives), recent batches. */
  duplicateShare: number;
  /** One caption per display image (same order as Snapshot.display), its embedding (count * dim, normalised). */
  captions: { texts: string[]; embeddings: Float32Array; step: number } | null;
}

export const CLIP_PATH_MAX = 400;

export interface ClipFactorResult {
  id: string;
  label: string;
  classNames: string[];
  accuracy: number;
  chance: number;
  /** classes x classes counts, row = true class. */
  confusion: Int32Array;
  /** Words of this factor's templates outside the vocabulary. */
  unknown: string[];
}

export interface ClipEval {
  type: 'clipEval';
  step: number;
  /** Held-out images the figures are measured on. */
  imageCount: number;
  factors: ClipFactorResult[];
  /** Colour x shape zero-shot on held-out images of pairs never trained on (null: no such pairs). */
  compositions: number | null;
  compositionCount: number;
  /** Text search precision at 12 averaged over every colour x shape query (null on MNIST). */
  precisionAt12: number | null;
  /** Two shapes: the share of images preferring their caption over the colour-swapped one. */
  binding: number | null;
}

export interface ClipSearchHit {
  index: number;
  score: number;
  /** What the image shows, e.g. "red star, small, top left, dark background". */
  alt: string;
  /** The captions of a fixed caption bank that fit this image best, best first. */
  captions: { text: string; score: number }[];
}

export interface ClipSearch {
  type: 'clipSearch';
  query: string;
  step: number;
  /** Query words outside the vocabulary (named on the page, never silently dropped). */
  unknown: string[];
  hits: ClipSearchHit[];
  /** The hits' images, uint8 NHWC, in hit order. */
  images: { height: number; width: number; channels: number; pixels: Uint8Array };
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

/** What one label count measured: each method's held-out accuracy over the labelled draws. */
export interface LabelStudy {
  labelsPerClass: CurveLabels;
  /** Labelled images per draw, those fitted and those kept for validation (0 below 5 per class). */
  trainCount: number;
  fitCount: number;
  valCount: number;
  /** Labelled draws measured so far, of how many. */
  draws: number;
  drawsWanted: number;
  /** Held-out accuracy (0..1) per method: mean and range over the draws; absent until measured. */
  results: Partial<Record<MethodId, MethodStat>>;
  /** Steps of SUPERVISED_BUDGET.batch images (means over the draws): fine-tuning ran; from
   *  scratch, compute-matched, trained (within SCRATCH_BUDGET) and would have needed to match
   *  pre-training plus fine-tuning (more when the cap binds: that favours pre-training); from
   *  scratch to convergence, ran. */
  fineTuneSteps: number | null;
  scratchSteps: number | null;
  scratchMatchedSteps: number | null;
  convergedSteps: number | null;
  /** The budgets were shrunk for a quick test (budgetScale < 1): the figures are not the recipe's. */
  budgetScale: number;
}

export interface ProbeReport extends LabelStudy {
  type: 'probe';
  status: 'queued' | 'running' | 'done' | 'error';
  /** 0..1 while running. */
  progress: number;
  /** What it is doing now, or the error. */
  message: string;
  /** The contrastive encoder's step and epoch when its weights were taken. */
  step: number;
  epoch: number;
}

export interface LabelCurveReport {
  type: 'labelCurve';
  status: 'running' | 'done' | 'stopped' | 'error';
  progress: number;
  message: string;
  step: number;
  /** One entry per label count measured so far, in CURVE_LABELS order. */
  points: LabelStudy[];
}

// ---- Your own images and search by example ----

export interface UserDataCommand {
  type: 'userData';
  /** count * 32 * 32 * 3 bytes (core/imagePixels), in the order of `labels`. */
  pixels: Uint8Array;
  labels: Int32Array;
  classNames: string[];
}

/** What to search with: a dataset image (by index), or bytes in any size (converted to the dataset's format). */
export type QuerySource =
  | { kind: 'index'; index: number }
  | { kind: 'pixels'; height: number; width: number; channels: 1 | 3; pixels: Uint8Array };

export interface QueryCommand {
  type: 'query';
  /** Echoed in the answer, so the page knows which request it answers. */
  id: number;
  source: QuerySource;
  /** Also build a batch with the query as its first image (anchor row 0, positive row n). */
  anchor?: boolean;
}

/** The nearest held-out images in one space (h or z), most similar first. */
export interface QueryNeighbours {
  indices: Int32Array;
  similarities: Float32Array;
  /** Each neighbour's name for alt text ("digit 1", "red star", a user's class). */
  labels: string[];
  /** The neighbours' images, in the dataset's format, one after another. */
  pixels: Uint8Array;
}

export interface QueryResult {
  type: 'queryResult';
  id: number;
  step: number;
  height: number;
  width: number;
  channels: number;
  /** The query as the encoder saw it (the dataset's format). */
  query: Uint8Array;
  /** The query's projection z, L2-normalised, to mark it in the embedding view. */
  z: Float32Array;
  h: QueryNeighbours;
  zNeighbours: QueryNeighbours;
  /** With `anchor`: a batch whose first image is the query (label -1), as a snapshot carries one. */
  anchor: { batch: NonNullable<Snapshot['batch']>; views: ViewPairs } | null;
}
