// Measures what the encoder has learned while it trains, without getting in its way:
//  - every so often a kNN evaluation (held-out against training images, on h and on z, for
//    every labelled factor) plus the display set's alignment and uniformity;
//  - once per dataset/seed/k, the same kNN on raw pixels and on the encoder at random init.
// (The on-demand studies with few labels, probes and the label curve, are labelRunner.ts's.)
// All of it is written as async generators that do one chunk of work (~0.1-0.3 s) per
// next(): the worker runs a chunk between two training steps, or back to back while paused,
// so commands are handled at once and no evaluation ever blocks training for long. A chunk
// leaves no tensor behind (everything between chunks lives in plain typed arrays), so the
// tensor count the page shows stays flat.

import { deriveSeed } from '../core/rng';
import { alignment, falseNegativeShare, uniformity, uniformityOptimum } from '../core/geometry';
import { augmentParams } from '../core/augmentSettings';
import { gatherImages } from '../core/dataset';
import * as tf from '@tensorflow/tfjs';
import { l2Normalize } from './ops/losses';
import type { Settings } from '../core/settings';
import type { EngineEvent, FactorKnn, KnnBaselines, Metrics, MetricsPoint } from '../protocol';
import { makeViews } from './augmentBatch';
import {
  builtPerChunk,
  embed,
  frozenEncoder,
  imagesTensor,
  knnChunk,
  prepareReference,
  type EncoderLoan,
} from './eval';
import type { Encoder } from './model';
import type { Trainer } from './trainer';
import { EvalBudget } from './evalBudget';
import type { SlicedJob as Job } from './jobQueue';
import type { BackgroundSource } from './scheduler';

export const DEFAULT_K = 20;
// Chunks about as long as one training step on wasm, so a chunk between two steps is no stall.
const EMBED_CHUNK = 250;
const KNN_CHUNK_MAX = 500;
/** Multiply-adds per kNN chunk: about one training step's time on wasm. */
const KNN_CHUNK_MACS = 1.5e9;
/** While paused, re-evaluate only if this many steps ran since the last point (not per Step press). */
const IDLE_REEVAL_STEPS = 20;
const HISTORY_CAP = 400;

/** Labels of one factor, per row of the training and the held-out lists. */
interface FactorRows {
  name: string;
  numClasses: number;
  train: Int32Array;
  test: Int32Array;
  chance: number;
}

export interface RunContext {
  trainer: Trainer;
  settings: () => Settings;
}

/** kNN baselines depend only on data, split, model, dimension and k: kept across resets. */
const baselineCache = new Map<string, KnnBaselines>();

function factorRows(t: Trainer): FactorRows[] {
  return t.data.factors.map((f) => {
    const test = Int32Array.from(t.test, (i) => f.values[i]);
    const counts = new Array<number>(f.classes.length).fill(0);
    for (const v of test) counts[v]++;
    return {
      name: f.name,
      numClasses: f.classes.length,
      test,
      train: Int32Array.from(t.train, (i) => f.values[i]),
      chance: Math.max(...counts) / test.length,
    };
  });
}

/** Embeds `indices` chunk by chunk into h and z arrays; `enc()` gives the encoder for a chunk. */
async function* embedAll(
  enc: EncoderLoan,
  t: Trainer,
  indices: Int32Array,
  out: { h: Float32Array; z: Float32Array },
): Job {
  const { hDim, zDim } = t.encoder;
  for (let s = 0; s < indices.length; s += EMBED_CHUNK) {
    const e = enc();
    try {
      const r = await embed(e.encoder, t.data, indices.subarray(s, s + EMBED_CHUNK));
      out.h.set(r.h, s * hDim);
      out.z.set(r.z, s * zDim);
    } finally {
      e.done();
    }
    yield;
  }
}

/** kNN accuracy of every held-out row for every factor, one query chunk per next(). */
async function* knnAll(
  ref: Float32Array,
  queries: Float32Array,
  dim: number,
  k: number,
  rows: FactorRows[],
): Job<number[]> {
  const m = rows[0].test.length;
  const correct = new Array<number>(rows.length).fill(0);
  const sets = rows.map((r) => ({ labels: r.train, numClasses: r.numClasses }));
  const refT = prepareReference(ref, dim);
  yield;
  // Queries per chunk so that a chunk costs about the same whatever the dimension (raw Shapes
  // pixels: 3,072 per row, 61 queries; h: 128, the cap).
  const n = ref.length / dim;
  const chunk = Math.max(16, Math.min(KNN_CHUNK_MAX, Math.floor(KNN_CHUNK_MACS / (n * dim))));
  for (let s = 0; s < m; s += chunk) {
    const e = Math.min(m, s + chunk);
    const preds = await knnChunk(refT, queries, dim, s, e, k, sets);
    preds.forEach((p, f) => {
      for (let i = 0; i < p.length; i++) if (p[i] === rows[f].test[s + i]) correct[f]++;
    });
    yield;
  }
  return correct.map((c) => c / m);
}

/** kNN accuracy per factor on h and on z of the encoder `enc` lends, over the whole split. */
async function* knnOfEncoder(
  enc: EncoderLoan,
  t: Trainer,
  k: number,
  rows: FactorRows[],
): Job<{ h: number[]; z: number[] }> {
  const { hDim, zDim } = t.encoder;
  const tr = { h: new Float32Array(t.train.length * hDim), z: new Float32Array(t.train.length * zDim) };
  const te = { h: new Float32Array(t.test.length * hDim), z: new Float32Array(t.test.length * zDim) };
  yield* embedAll(enc, t, t.train, tr);
  yield* embedAll(enc, t, t.test, te);
  return { h: yield* knnAll(tr.h, te.h, hDim, k, rows), z: yield* knnAll(tr.z, te.z, zDim, k, rows) };
}

/** The periodic evaluation in progress: its chunks' total time, and whether the budget pays for it. */
interface Cycle {
  job: Job;
  costMs: number;
  free: boolean;
}

export class MetricsRunner implements BackgroundSource {
  private ctx: RunContext | null = null;
  private k = DEFAULT_K;
  private rows: FactorRows[] = [];
  private history: MetricsPoint[] = [];
  private baselines: KnnBaselines | null = null;
  /** kNN of this run's first point when it was taken at the seeded initialisation: exactly the
   *  random-init baseline (same weights, same images), so that need not be computed again. */
  private initPoint: { k: number; h: number[]; z: number[] } | null = null;
  private baselineJob: Job | null = null;
  private cycle: Cycle | null = null;
  /** What the next periodic evaluation is: wanted now, and free of charge (the first of a run:
   *  the step-0 point and the baselines are one-off costs, so they do not delay the first
   *  trained point). pointOnPause, set by Pause: the paused weights get their own point,
   *  however few steps ran since the last. */
  private next = { wanted: false, free: true, pointOnPause: false };
  private lastPointStep = -1;
  private budget = new EvalBudget();
  /** False-negative share of the batches since the last point. */
  private fn = { sum: 0, count: 0 };

  constructor(private readonly post: (ev: EngineEvent) => void) {}

  /** Abandons every job (their finally blocks free what they hold); nothing runs until start(). */
  async stop(): Promise<void> {
    const jobs = [this.baselineJob, this.cycle?.job];
    this.baselineJob = this.cycle = null;
    this.ctx = null;
    for (const j of jobs) if (j) await j.return(undefined);
  }

  /** A fresh run: empty history; baselines (cached when possible) and a step-0 evaluation queued. */
  start(trainer: Trainer, settings: () => Settings): void {
    this.ctx = { trainer, settings };
    this.rows = factorRows(trainer);
    this.history = [];
    this.budget = new EvalBudget();
    this.fn = { sum: 0, count: 0 };
    this.lastPointStep = -1;
    this.initPoint = null;
    this.next.free = true;
    this.queueBaselines();
    this.next.wanted = true;
    this.sendMetrics();
  }

  setK(k: number): void {
    const kk = Math.max(1, Math.min(200, Math.round(k)));
    if (kk === this.k) return;
    this.k = kk;
    if (!this.ctx) return;
    void this.cycle?.job.return(undefined);
    this.cycle = null;
    this.queueBaselines();
    this.next.wanted = true;
    this.sendMetrics();
  }

  /** Books a training step: its time and its batch's false-negative share (labels of the 2N views). */
  noteStep(stepMs: number, batchLabels: Int32Array | null, n: number): void {
    if (!this.ctx) return;
    this.budget.noteStep(stepMs);
    if (batchLabels) {
      this.fn.sum += falseNegativeShare(batchLabels, n);
      this.fn.count++;
    }
  }

  /** Called by the training loop after each step: runs at most one chunk of the periodic
   *  evaluation, when its budget allows. */
  async afterStep(): Promise<void> {
    if (!this.ctx) return;
    const t0 = performance.now();
    if (!this.cycle && !this.baselineJob && this.budget.due()) this.next.wanted = true;
    if (this.cycle || this.baselineJob || this.next.wanted) {
      const charged = !this.baselineJob && !(this.cycle ? this.cycle.free : this.next.free);
      await this.budgetedChunk();
      this.budget.spend(performance.now() - t0, charged);
    }
    this.budget.wallMs += performance.now() - t0;
  }

  /** Work left for a paused engine: baselines, an unfinished or stale evaluation. */
  hasIdleWork(): boolean {
    if (!this.ctx) return false;
    const behind = this.ctx.trainer.step - this.lastPointStep;
    const stale = this.lastPointStep >= 0 && (behind >= IDLE_REEVAL_STEPS || (this.next.pointOnPause && behind > 0));
    return !!this.baselineJob || !!this.cycle || this.next.wanted || stale;
  }

  /** Training paused: the next idle slice evaluates the weights as they are now. */
  notePaused(): void {
    this.next.pointOnPause = true;
  }

  /** One chunk while idle: baselines or an evaluation (started if none runs). */
  async idleSlice(): Promise<void> {
    if (!this.cycle && !this.baselineJob) this.next.wanted = true;
    await this.budgetedChunk();
  }

  /** One chunk of the baselines, else of the periodic evaluation (started if wanted). The run's
   *  first point comes before the baselines, so kNN shows as early as possible (and, taken at
   *  step 0, it is the random-init baseline, which then costs nothing more). */
  private async budgetedChunk(): Promise<void> {
    const firstPointDue = this.history.length === 0 && (!!this.cycle || this.next.wanted);
    if (this.baselineJob && !firstPointDue) {
      const job = this.baselineJob;
      if ((await job.next()).done && this.baselineJob === job) this.baselineJob = null;
      return;
    }
    if (!this.cycle) {
      if (!this.next.wanted) return;
      this.cycle = { job: this.evaluation(), costMs: 0, free: this.next.free };
      this.next = { wanted: false, free: false, pointOnPause: false };
    }
    const cycle = this.cycle;
    const t0 = performance.now();
    const r = await cycle.job.next();
    cycle.costMs += performance.now() - t0;
    if (r.done && this.cycle === cycle) {
      this.cycle = null;
      this.budget.cycleDone(cycle.costMs);
      this.sendMetrics();
    }
  }

  private queueBaselines(): void {
    const key = this.cacheKey();
    void this.baselineJob?.return(undefined);
    this.baselineJob = null;
    this.baselines = baselineCache.get(key) ?? null;
    if (!this.baselines) this.baselineJob = this.computeBaselines(key);
  }

  private cacheKey(): string {
    const t = this.ctx!.trainer,
      s = this.ctx!.settings();
    return [t.data.id, s.seed, s.model, t.encoder.zDim, this.k].join('|');
  }

  /** kNN on raw pixels and on the seeded random-init encoder (rebuilt per chunk: nothing stays alive). */
  private async *computeBaselines(key: string): Job {
    const { trainer: t } = this.ctx!;
    const d = t.data,
      size = d.height * d.width * d.channels;
    const rawTrain = gatherImages(d, t.train),
      rawTest = gatherImages(d, t.test);
    yield;
    const raw = yield* knnAll(rawTrain, rawTest, size, this.k, this.rows);
    const k = this.k;
    const random =
      this.initPoint?.k === k
        ? this.initPoint
        : yield* knnOfEncoder(
            builtPerChunk(() => t.freshEncoder()),
            t,
            k,
            this.rows,
          );
    this.baselines = { raw, randomH: random.h, randomZ: random.z };
    baselineCache.set(key, this.baselines);
    this.sendMetrics();
  }

  /** One periodic evaluation of the current encoder; appends a point to the history. */
  private async *evaluation(): Job {
    const { trainer: t, settings } = this.ctx!;
    // The point belongs to the weights of this moment, however many steps its chunks span.
    const at = { step: t.step, epoch: t.epoch, seconds: this.budget.wallMs / 1000 };
    const fromInit = t.atInitialisation;
    const frozen = await frozenEncoder(t.encoder, () => t.freshEncoder());
    this.sendMetrics(true);
    const k = this.k;
    const acc = yield* knnOfEncoder(frozen, t, k, this.rows);
    const lent = frozen();
    let geo: { alignment: number; uniformity: number };
    try {
      geo = await displayGeometry(lent.encoder, t, settings());
    } finally {
      lent.done();
    }
    const knnByFactor: FactorKnn[] = this.rows.map((r, f) => ({
      name: r.name,
      chance: r.chance,
      h: acc.h[f],
      z: acc.z[f],
    }));
    this.history.push({
      ...at,
      k,
      knnH: acc.h[0],
      knnZ: acc.z[0],
      knnByFactor,
      ...geo,
      falseNegativeShare: this.fn.count ? this.fn.sum / this.fn.count : NaN,
    });
    if (this.history.length > HISTORY_CAP)
      this.history = this.history.filter((_, i) => i % 2 === 0 || i === this.history.length - 1);
    this.fn = { sum: 0, count: 0 };
    this.lastPointStep = at.step;
    if (fromInit) this.initPoint = { k, h: acc.h, z: acc.z };
  }

  private sendMetrics(busy = false): void {
    if (!this.ctx) return;
    const dim = this.ctx.trainer.encoder.zDim;
    const m: Metrics = {
      type: 'metrics',
      k: this.k,
      dim,
      uniformityOptimum: uniformityOptimum(dim),
      factors: this.rows.map((r) => r.name),
      history: this.history.slice(),
      baselines: this.baselines,
      evalShare: this.budget.share,
      oneOffEvalMs: this.budget.oneOffMs,
      lastEvalMs: this.budget.lastCycleMs,
      busy: busy || !!this.cycle || !!this.baselineJob,
    };
    this.post(m);
  }
}

/**
 * Alignment of two augmented views and uniformity of the clean images, both on z of the
 * display set. The views' seed is fixed for the run, so a change over time is the encoder's,
 * not a new draw of augmentations.
 */
async function displayGeometry(
  encoder: Encoder,
  t: Trainer,
  s: Settings,
): Promise<{ alignment: number; uniformity: number }> {
  const idx = t.displayIndices,
    n = idx.length,
    dim = encoder.zDim;
  const [z1, z2, z0] = tf.tidy(() => {
    const x = imagesTensor(t.data, idx);
    const [v1, v2] = makeViews(x, augmentParams(s.augments), deriveSeed(s.seed, 31337));
    const z = (v: tf.Tensor4D) => l2Normalize(encoder.project(encoder.encode(v)));
    return [z(v1), z(v2), z(x)];
  });
  try {
    const [a, b, c] = (await Promise.all([z1.data(), z2.data(), z0.data()])) as Float32Array[];
    return { alignment: alignment(a, b, n, dim), uniformity: uniformity(c, n, dim) };
  } finally {
    tf.dispose([z1, z2, z0]);
  }
}
