// Measures what the encoder has learned while it trains, without getting in its way:
//  - every so often a kNN evaluation (held-out against training images, on h and on z, for
//    every labelled factor) plus the display set's alignment and uniformity;
//  - once per dataset/seed/k, the same kNN on raw pixels and on the encoder at random init;
//  - on demand, linear probes with few labels and their baselines (probeJob.ts).
// All of it is written as async generators that do one chunk of work (~0.1-0.3 s) per
// next(): the worker runs a chunk between two training steps, or back to back while paused,
// so commands are handled at once and no evaluation ever blocks training for long. A chunk
// leaves no tensor behind (everything between chunks lives in plain typed arrays), so the
// tensor count the page shows stays flat; only an on-demand probe holds tensors across chunks.

import { deriveSeed } from '../core/rng';
import { alignment, falseNegativeShare, uniformity, uniformityOptimum } from '../core/geometry';
import { augmentParams } from '../core/augmentSettings';
import { gatherImages } from '../core/dataset';
import * as tf from '@tensorflow/tfjs';
import { l2Normalize } from './ops/losses';
import type { Settings } from '../core/settings';
import type { EngineEvent, FactorKnn, KnnBaselines, LabelsPerClass, Metrics, MetricsPoint, ProbeReport } from '../protocol';
import { makeViews } from './augmentBatch';
import { builtPerChunk, embed, frozenEncoder, imagesTensor, knnChunk, prepareReference, type EncoderLoan } from './eval';
import type { Encoder } from './model';
import { probeJob } from './probeJob';
import type { Trainer } from './trainer';
import { yieldToEvents } from './yieldToEvents';

/** Long-run share of wall time that periodic evaluation may take while training. */
export const EVAL_SHARE = 0.1;
export const DEFAULT_K = 20;
// ~0.1-0.3 s each on wasm: about one training step, so a chunk between two steps is no stall.
const EMBED_CHUNK = 250;
const KNN_CHUNK_MAX = 500;
/** Multiply-adds per kNN chunk (~0.1-0.2 s on wasm). */
const KNN_CHUNK_MACS = 1.5e9;
/** Least training time between two evaluations, so cheap ones still let training breathe. */
const MIN_GAP_MS = 5000;
/** While paused, re-evaluate only if this many steps ran since the last point (not per Step press). */
const IDLE_REEVAL_STEPS = 20;
const HISTORY_CAP = 400;

type Job<T = void> = AsyncGenerator<unknown, T>;

/** Labels of one factor, per row of the training and the held-out lists. */
interface FactorRows { name: string; numClasses: number; train: Int32Array; test: Int32Array; chance: number }

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
      name: f.name, numClasses: f.classes.length, test,
      train: Int32Array.from(t.train, (i) => f.values[i]),
      chance: Math.max(...counts) / test.length,
    };
  });
}

/** Embeds `indices` chunk by chunk into h and z arrays; `enc()` gives the encoder for a chunk. */
async function* embedAll(enc: EncoderLoan, t: Trainer, indices: Int32Array, out: { h: Float32Array; z: Float32Array }): Job {
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
async function* knnAll(ref: Float32Array, queries: Float32Array, dim: number, k: number, rows: FactorRows[]): Job<number[]> {
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
    preds.forEach((p, f) => { for (let i = 0; i < p.length; i++) if (p[i] === rows[f].test[s + i]) correct[f]++; });
    yield;
  }
  return correct.map((c) => c / m);
}

export class MetricsRunner {
  private ctx: RunContext | null = null;
  private k = DEFAULT_K;
  private rows: FactorRows[] = [];
  private history: MetricsPoint[] = [];
  private baselines: KnnBaselines | null = null;
  /** kNN of this run's first point when it was taken at the seeded initialisation: exactly the
   *  random-init baseline (same weights, same images), so that need not be computed again. */
  private initPoint: { k: number; h: number[]; z: number[] } | null = null;
  private baselineJob: Job | null = null;
  private cycle: Job | null = null;
  private probes: { lpc: LabelsPerClass; job: Job }[] = [];
  /** Wall time spent training (ms, evaluation chunks excluded) since the last evaluation ended. */
  private trainSinceCycle = 0;
  /**
   * Evaluation time (ms) the run may still spend: each training step adds 1/9 of its time
   * (so evaluation stays <= 10% of the total), each chunk run while training spends its own.
   * A periodic evaluation starts only when the credit covers a whole one, then runs one chunk
   * per step (a short burst, so its embeddings come from nearly the same weights).
   */
  private credit = 0;
  /** Total chunk time of the current / last periodic evaluation: the next one's estimate. */
  private cycleCost = 0;
  private lastCycleCost = 0;
  /** Evaluation time while playing: periodic (under the ~10% budget) and one-off (baselines, step 0). */
  private evalMsPlaying = 0;
  private oneOffMsPlaying = 0;
  private wallMs = 0;
  private fnSum = 0;
  private fnCount = 0;
  private lastPointStep = -1;
  private wantCycle = false;
  /** Set by Pause: the paused weights get their own point, however few steps ran since the last. */
  private pointOnPause = false;
  /** The first evaluation of a run (the step-0 point) and the baselines are one-off costs,
   *  not charged to the running budget, so the first trained point is not delayed by them. */
  private nextCycleFree = true;
  private cycleFree = false;

  constructor(private readonly post: (ev: EngineEvent) => void) {}

  /** Abandons every job (their finally blocks free what they hold); nothing runs until start(). */
  async stop(): Promise<void> {
    const jobs = [this.baselineJob, this.cycle, ...this.probes.map((p) => p.job)];
    for (const p of this.probes) this.postProbe(p.lpc, { status: 'error', message: 'Cancelled: training was reset.' });
    this.baselineJob = this.cycle = null;
    this.probes = [];
    this.ctx = null;
    for (const j of jobs) if (j) await j.return(undefined);
  }

  /** A fresh run: empty history; baselines (cached when possible) and a step-0 evaluation queued. */
  start(trainer: Trainer, settings: () => Settings): void {
    this.ctx = { trainer, settings };
    this.rows = factorRows(trainer);
    this.history = [];
    this.trainSinceCycle = this.credit = this.cycleCost = this.lastCycleCost = this.evalMsPlaying = this.oneOffMsPlaying = this.wallMs = 0;
    this.fnSum = this.fnCount = 0;
    this.lastPointStep = -1;
    this.initPoint = null;
    this.nextCycleFree = true;
    this.queueBaselines();
    this.wantCycle = true;
    this.sendMetrics();
  }

  setK(k: number): void {
    const kk = Math.max(1, Math.min(200, Math.round(k)));
    if (kk === this.k) return;
    this.k = kk;
    if (!this.ctx) return;
    void this.cycle?.return(undefined);
    this.cycle = null;
    this.queueBaselines();
    this.wantCycle = true;
    this.sendMetrics();
  }

  requestProbe(lpc: LabelsPerClass): void {
    if (!this.ctx || this.probes.some((p) => p.lpc === lpc)) return;
    this.probes.push({ lpc, job: probeJob(this.ctx, lpc, (r) => this.postProbe(lpc, r)) });
    this.postProbe(lpc, { status: 'queued', message: 'Waiting for its turn…' });
  }

  private postProbe(lpc: LabelsPerClass, r: Partial<ProbeReport>): void {
    const t = this.ctx?.trainer;
    this.post({
      type: 'probe', labelsPerClass: lpc, status: 'running', progress: 0, message: '', trainCount: 0,
      step: t?.step ?? 0, epoch: t?.epoch ?? 0, scratchSteps: null, scratchMatchedSteps: null, pretrained: null, raw: null, random: null, scratch: null, ...r,
    });
  }

  /** Books a training step: its time and its batch's false-negative share (labels of the 2N views). */
  noteStep(stepMs: number, batchLabels: Int32Array | null, n: number): void {
    if (!this.ctx) return;
    this.wallMs += stepMs;
    this.trainSinceCycle += stepMs;
    this.credit += (EVAL_SHARE / (1 - EVAL_SHARE)) * stepMs;
    if (batchLabels) {
      this.fnSum += falseNegativeShare(batchLabels, n);
      this.fnCount++;
    }
  }

  /**
   * Called by the training loop after each step: runs at most one chunk, a requested probe
   * first (it then shares time about equally with training), else the periodic evaluation
   * when its ~10% budget allows.
   */
  async afterStep(): Promise<void> {
    if (!this.ctx) return;
    const t0 = performance.now();
    if (this.probes.length) {
      await this.runProbeChunk();
    } else {
      if (!this.cycle && !this.baselineJob && this.dueWhilePlaying()) this.wantCycle = true;
      if (this.cycle || this.baselineJob || this.wantCycle) {
        const charged = !this.baselineJob && !(this.cycle ? this.cycleFree : this.nextCycleFree);
        await this.runBudgetedChunk();
        const spent = performance.now() - t0;
        if (charged) {
          this.credit -= spent;
          this.evalMsPlaying += spent;
        } else {
          this.oneOffMsPlaying += spent;
        }
      }
    }
    this.wallMs += performance.now() - t0;
  }

  private dueWhilePlaying(): boolean {
    return this.trainSinceCycle >= MIN_GAP_MS && this.credit >= this.lastCycleCost;
  }

  /** Work left for a paused engine: probes, baselines, an unfinished or stale evaluation. */
  hasIdleWork(): boolean {
    if (!this.ctx) return false;
    const behind = this.ctx.trainer.step - this.lastPointStep;
    const stale = this.lastPointStep >= 0 && (behind >= IDLE_REEVAL_STEPS || (this.pointOnPause && behind > 0));
    return this.probes.length > 0 || !!this.baselineJob || !!this.cycle || this.wantCycle || stale;
  }

  /** Training paused: the next idle drain evaluates the weights as they are now. */
  notePaused(): void {
    this.pointOnPause = true;
  }

  /** Runs chunks back to back while paused, yielding to the event loop between them, until stop() says so. */
  async drainIdle(stop: () => boolean): Promise<void> {
    while (!stop() && this.hasIdleWork()) {
      if (this.probes.length) await this.runProbeChunk();
      else {
        if (!this.cycle && !this.baselineJob) this.wantCycle = true;
        await this.runBudgetedChunk();
      }
      await yieldToEvents();
    }
  }

  private async runProbeChunk(): Promise<void> {
    const p = this.probes[0];
    try {
      if ((await p.job.next()).done) this.probes.shift();
    } catch (e) {
      this.probes.shift();
      this.postProbe(p.lpc, { status: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** One chunk of the baselines, else of the periodic evaluation (started if wanted). The run's
   *  first point comes before the baselines, so kNN shows as early as possible (and, taken at
   *  step 0, it is the random-init baseline, which then costs nothing more). */
  private async runBudgetedChunk(): Promise<void> {
    const firstPointDue = this.history.length === 0 && (!!this.cycle || this.wantCycle);
    if (this.baselineJob && !firstPointDue) {
      const job = this.baselineJob;
      if ((await job.next()).done && this.baselineJob === job) this.baselineJob = null;
      return;
    }
    if (!this.cycle) {
      if (!this.wantCycle) return;
      this.wantCycle = false;
      this.pointOnPause = false;
      this.cycleCost = 0;
      this.cycleFree = this.nextCycleFree;
      this.nextCycleFree = false;
      this.cycle = this.evaluation();
    }
    const job = this.cycle;
    const t0 = performance.now();
    const r = await job.next();
    this.cycleCost += performance.now() - t0;
    if (r.done && this.cycle === job) {
      this.cycle = null;
      this.lastCycleCost = this.cycleCost;
      this.trainSinceCycle = 0;
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
    const t = this.ctx!.trainer, s = this.ctx!.settings();
    return [t.data.id, s.seed, s.model, t.encoder.zDim, this.k].join('|');
  }

  /** kNN on raw pixels and on the seeded random-init encoder (rebuilt per chunk: nothing stays alive). */
  private async *computeBaselines(key: string): Job {
    const { trainer: t } = this.ctx!;
    const d = t.data, size = d.height * d.width * d.channels;
    const rawTrain = gatherImages(d, t.train), rawTest = gatherImages(d, t.test);
    yield;
    const raw = yield* knnAll(rawTrain, rawTest, size, this.k, this.rows);
    let random = this.initPoint?.k === this.k ? this.initPoint : null;
    if (!random) {
      const fresh = builtPerChunk(() => t.freshEncoder());
      const tr = { h: new Float32Array(t.train.length * t.encoder.hDim), z: new Float32Array(t.train.length * t.encoder.zDim) };
      const te = { h: new Float32Array(t.test.length * t.encoder.hDim), z: new Float32Array(t.test.length * t.encoder.zDim) };
      yield* embedAll(fresh, t, t.train, tr);
      yield* embedAll(fresh, t, t.test, te);
      random = { k: this.k, h: yield* knnAll(tr.h, te.h, t.encoder.hDim, this.k, this.rows), z: yield* knnAll(tr.z, te.z, t.encoder.zDim, this.k, this.rows) };
    }
    this.baselines = { raw, randomH: random.h, randomZ: random.z };
    baselineCache.set(key, this.baselines);
    this.sendMetrics();
  }

  /** One periodic evaluation of the current encoder; appends a point to the history. */
  private async *evaluation(): Job {
    const { trainer: t, settings } = this.ctx!;
    // The point belongs to the weights of this moment, however many steps its chunks span.
    const at = { step: t.step, epoch: t.epoch, seconds: this.wallMs / 1000 };
    const fromInit = t.atInitialisation;
    const frozen = await frozenEncoder(t.encoder, () => t.freshEncoder());
    const tr = { h: new Float32Array(t.train.length * t.encoder.hDim), z: new Float32Array(t.train.length * t.encoder.zDim) };
    const te = { h: new Float32Array(t.test.length * t.encoder.hDim), z: new Float32Array(t.test.length * t.encoder.zDim) };
    this.sendMetrics(true);
    yield* embedAll(frozen, t, t.train, tr);
    yield* embedAll(frozen, t, t.test, te);
    const k = this.k;
    const accH = yield* knnAll(tr.h, te.h, t.encoder.hDim, k, this.rows);
    const accZ = yield* knnAll(tr.z, te.z, t.encoder.zDim, k, this.rows);
    const lent = frozen();
    let geo: { alignment: number; uniformity: number };
    try {
      geo = await displayGeometry(lent.encoder, t, settings());
    } finally {
      lent.done();
    }
    const knnByFactor: FactorKnn[] = this.rows.map((r, f) => ({ name: r.name, chance: r.chance, h: accH[f], z: accZ[f] }));
    this.history.push({
      ...at, k,
      knnH: accH[0], knnZ: accZ[0], knnByFactor, ...geo,
      falseNegativeShare: this.fnCount ? this.fnSum / this.fnCount : NaN,
    });
    if (this.history.length > HISTORY_CAP) this.history = this.history.filter((_, i) => i % 2 === 0 || i === this.history.length - 1);
    this.fnSum = this.fnCount = 0;
    this.lastPointStep = at.step;
    if (fromInit) this.initPoint = { k, h: accH, z: accZ };
  }

  private sendMetrics(busy = false): void {
    if (!this.ctx) return;
    const dim = this.ctx.trainer.encoder.zDim;
    const m: Metrics = {
      type: 'metrics', k: this.k, dim, uniformityOptimum: uniformityOptimum(dim),
      factors: this.rows.map((r) => r.name), history: this.history.slice(), baselines: this.baselines,
      evalShare: this.wallMs > 0 ? this.evalMsPlaying / this.wallMs : 0,
      oneOffEvalMs: this.oneOffMsPlaying,
      lastEvalMs: this.lastCycleCost,
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
async function displayGeometry(encoder: Encoder, t: Trainer, s: Settings): Promise<{ alignment: number; uniformity: number }> {
  const idx = t.displayIndices, n = idx.length, dim = encoder.zDim;
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
