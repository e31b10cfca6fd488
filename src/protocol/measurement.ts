// The page-worker contract for measurement: what the encoder has learned (kNN, geometry,
// linear probes, fine-tuning, baselines, the label curve).

import { CURVE_LABELS, type CurveLabels, type MethodId, type MethodStat } from '../core/labelRecipe';

/** A probe row can be any count on the label curve, so a single row can be rerun on its own. */
export type LabelsPerClass = CurveLabels;
export const LABELS_PER_CLASS: LabelsPerClass[] = CURVE_LABELS;

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
