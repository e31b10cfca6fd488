// What every method gets when it is compared with few labels, fixed before any held-out
// accuracy is seen: which labelled images it may fit, which it may only validate on, how
// many draws of them are averaged, and its budgets. Pure data and arithmetic, so the page can
// state the rules it measures by and the tests can hold the worker to them.

import { deriveSeed } from './rng';
import { balancedSubset } from './split';

/** Labels per class on the label-efficiency curve ('all': the whole training split). */
export type CurveLabels = 1 | 2 | 5 | 10 | 20 | 50 | 100 | 'all';
export const CURVE_LABELS: CurveLabels[] = [1, 2, 5, 10, 20, 50, 100, 'all'];

/** From this many labels per class on, a validation split is carved from them. */
export const MIN_PER_CLASS_FOR_VALIDATION = 5;
/** Share of each class's labelled images kept for validation (at least one). */
const VALIDATION_SHARE = 0.2;
/** With all labels, validation needs no more than this many per class to pick a step. */
const VALIDATION_CAP_PER_CLASS = 50;
/** At or below this many labels per class one draw moves the result by points: average several. */
const FEW_LABELS_MAX = 10;
export const FEW_LABEL_DRAWS = 3;

export type MethodId = 'pretrained' | 'finetune' | 'scratch' | 'scratchConverged' | 'pixels' | 'random';
export const METHODS: MethodId[] = ['pretrained', 'finetune', 'scratch', 'scratchConverged', 'pixels', 'random'];

/**
 * Fine-tuning: the pre-trained encoder and a new linear head, trained end to end with the
 * same augmentations as from scratch. The encoder's step is ten times smaller than the head's:
 * the head starts from nothing, while the encoder starts from features worth keeping, and a
 * full-size step driven by a handful of labels would overwrite them before the head has
 * learned to read them.
 */
export const FINETUNE = { encoderLr: 1e-4, headLr: 1e-3 } as const;
/** From scratch: one step size for the whole network, Adam's usual for a CNN of this size. */
export const SCRATCH_LR = 1e-3;

/** Budgets in steps of 64 images, for the runs that train a network on the labels. */
export const SUPERVISED_BUDGET = {
  batch: 64,
  /** With a validation split: evaluate it every this many steps, stop after `patience`
   *  evaluations without improvement, and keep the weights of the best one. A few-label CNN
   *  with augmentations keeps improving slowly and a few validation images are noisy, so the
   *  patience is long (docs/decisions/0007, 0009). */
  evalEvery: 50,
  patience: 10,
  /** The most steps fine-tuning or from scratch (to convergence) may take, validation or not. */
  maxSteps: 3000,
  /** Without a validation split (fewer than 5 labels per class), declared up front: */
  fineTuneSteps: 300,
  convergedSteps: 1000,
} as const;

/** Linear probes: full-batch iterations, and how often validation is checked (and the worker
 *  gets the thread back). */
export const PROBE_ITERATIONS = 500;
export const PROBE_EVAL_EVERY = 25;

/** How many draws of the labelled subset are averaged at this label count. */
export function drawsFor(lpc: CurveLabels): number {
  return lpc !== 'all' && lpc <= FEW_LABELS_MAX ? FEW_LABEL_DRAWS : 1;
}

export interface LabelledDraw {
  /** Images the methods train on. */
  fit: Int32Array;
  /** Images they may pick their step count on (empty below MIN_PER_CLASS_FOR_VALIDATION). */
  val: Int32Array;
}

/**
 * The `draw`-th seeded, class-balanced labelled set of `lpc` images per class from `pool`
 * (the training split; never the held-out set), split into fit and validation where there are
 * enough per class. Draw 0 at 1, 10 and 100 per class is the set the probe used before draws.
 */
export function labelledDraw(
  pool: Int32Array,
  labels: Int32Array,
  numClasses: number,
  lpc: CurveLabels,
  seed: number,
  draw = 0,
): LabelledDraw {
  const drawSeed = deriveSeed(seed, (lpc === 'all' ? 0 : 7000 + lpc) + 100_003 * draw);
  const labelled = lpc === 'all' ? pool : balancedSubset(pool, labels, numClasses, lpc, drawSeed);
  const perClass = lpc === 'all' ? Infinity : lpc;
  if (perClass < MIN_PER_CLASS_FOR_VALIDATION) return { fit: labelled, val: new Int32Array(0) };
  // Each class's first labelled images (the draw is already shuffled) go to validation.
  const counts = new Array<number>(numClasses).fill(0);
  for (const i of labelled) counts[labels[i]]++;
  const valPerClass = counts.map((c) =>
    Math.min(VALIDATION_CAP_PER_CLASS, Math.max(1, Math.round(c * VALIDATION_SHARE))),
  );
  const taken = new Array<number>(numClasses).fill(0);
  const fit: number[] = [],
    val: number[] = [];
  for (const i of labelled) {
    const c = labels[i];
    if (taken[c] < valPerClass[c]) {
      taken[c]++;
      val.push(i);
    } else fit.push(i);
  }
  return { fit: Int32Array.from(fit), val: Int32Array.from(val) };
}

/** Mean and range of one method's accuracies over draws. */
export interface MethodStat {
  mean: number;
  min: number;
  max: number;
  /** Draws measured. */
  n: number;
}

export function summarise(values: number[]): MethodStat | null {
  if (!values.length) return null;
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/** A budget in steps scaled down for a quick test run (scale 1: as declared), never below one step. */
export function scaled(steps: number, scale: number): number {
  return Math.max(1, Math.round(steps * scale));
}
