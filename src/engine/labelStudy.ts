// Every method at one label count, over its labelled draws: a linear probe on the frozen
// pre-trained h, fine-tuning from the pre-trained weights, the same CNN from scratch at two
// budgets (compute-matched, to convergence), and linear probes on raw pixels and on the
// random-init h. Recipes and budgets come from core/labelRecipe.ts, fixed before anything
// is tested; the held-out images are only ever tested on. What does not depend on the
// pre-trained weights (pixels, random init, from scratch to convergence) is cached.

import { gatherImages, type Dataset } from '../core/dataset';
import {
  drawsFor,
  FINETUNE,
  labelledDraw,
  SCRATCH_LR,
  scaled,
  summarise,
  SUPERVISED_BUDGET,
  type CurveLabels,
  type MethodId,
} from '../core/labelRecipe';
import type { Settings } from '../core/settings';
import type { LabelStudy } from '../protocol';
import { builtPerChunk, embed, type EncoderLoan } from './eval';
import type { Encoder } from './model';
import { linearProbeSteps, PROBE_DEFAULTS } from './probe';
import { scratchSteps } from './scratch';
import { encoderFrom, trainSupervised, type SupervisedResult } from './supervised';
import { drive } from './driveGenerator';

const EMBED_CHUNK = 500;
const cache = new Map<string, number | SupervisedResult>();

export interface StudyContext {
  data: Dataset;
  /** The training split (labelled draws come from it) and the held-out set (only tested on). */
  pool: Int32Array;
  test: Int32Array;
  settings: Settings;
  /** A fresh encoder of the run's architecture at its seeded initialisation, and its h's width. */
  build: () => Encoder;
  hDim: number;
  /** The pre-trained weights, copied when the study began. */
  weights: Float32Array[];
  /** Images the contrastive run put through the encoder (both views). */
  pretrainImages: number;
  /** 1 for the declared budgets; smaller only for quick tests. */
  budgetScale: number;
  /** Features of the held-out set, shared by the studies of one curve. */
  testFeatures: Map<string, Float32Array>;
}

export type StudyProgress = (p: number, message: string, partial: LabelStudy) => void;

/** Rows of features for `indices`, a chunk per next(). */
async function* features(
  loan: EncoderLoan,
  data: Dataset,
  indices: Int32Array,
  hDim: number,
): AsyncGenerator<void, Float32Array> {
  const out = new Float32Array(indices.length * hDim);
  for (let s = 0; s < indices.length; s += EMBED_CHUNK) {
    const e = loan();
    try {
      out.set((await embed(e.encoder, data, indices.subarray(s, s + EMBED_CHUNK))).h, s * hDim);
    } finally {
      e.done();
    }
    yield;
  }
  return out;
}

export async function* studyLabels(
  ctx: StudyContext,
  lpc: CurveLabels,
  progress: StudyProgress,
): AsyncGenerator<void, LabelStudy> {
  const { data: d, settings: s, budgetScale: scale } = ctx;
  const numClasses = d.classNames.length;
  const hDim = ctx.hDim;
  const size = d.height * d.width * d.channels;
  const draws = drawsFor(lpc);
  const values: Record<MethodId, number[]> = {
    pretrained: [],
    finetune: [],
    scratch: [],
    scratchConverged: [],
    pixels: [],
    random: [],
  };
  const steps = {
    fineTune: [] as number[],
    scratch: [] as number[],
    matched: [] as number[],
    converged: [] as number[],
  };
  const first = labelledDraw(ctx.pool, d.labels, numClasses, lpc, s.seed, 0);
  const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const study = (done: number): LabelStudy => ({
    labelsPerClass: lpc,
    trainCount: first.fit.length + first.val.length,
    fitCount: first.fit.length,
    valCount: first.val.length,
    draws: done,
    drawsWanted: draws,
    results: Object.fromEntries(
      Object.entries(values)
        .map(([k, v]) => [k, summarise(v)])
        .filter(([, v]) => v),
    ),
    fineTuneSteps: mean(steps.fineTune),
    scratchSteps: mean(steps.scratch),
    scratchMatchedSteps: mean(steps.matched),
    convergedSteps: mean(steps.converged),
    budgetScale: scale,
  });
  const testY = Int32Array.from(ctx.test, (i) => d.labels[i]);
  const pretrainedLoan: EncoderLoan = () => {
    const encoder = encoderFrom(ctx.build, ctx.weights);
    return { encoder, done: () => encoder.dispose() };
  };
  const randomLoan = builtPerChunk(ctx.build);
  const keyBase = [d.id, s.seed, s.model, s.embeddingDim, lpc, scale].join('|');
  const augKey = JSON.stringify(s.augments);
  const parts = 6;

  for (let k = 0; k < draws; k++) {
    const { fit, val } = k === 0 ? first : labelledDraw(ctx.pool, d.labels, numClasses, lpc, s.seed, k);
    const fitY = Int32Array.from(fit, (i) => d.labels[i]);
    const valY = Int32Array.from(val, (i) => d.labels[i]);
    let part = 0;
    const tell = (p: number, what: string) =>
      progress((k + (part + p) / parts) / draws, `Draw ${k + 1} of ${draws}: ${what}…`, study(k));

    // A linear probe on features of fit, validation and the held-out set (cached per study set).
    const probe = async function* (
      name: string,
      feats: (idx: Int32Array) => AsyncGenerator<void, Float32Array>,
      dim: number,
    ) {
      const testKey = `${name}|${dim}`;
      let testX = ctx.testFeatures.get(testKey);
      if (!testX) {
        testX = yield* feats(ctx.test);
        ctx.testFeatures.set(testKey, testX);
      }
      const fitX = yield* feats(fit);
      const valX = val.length ? yield* feats(val) : null;
      const g = linearProbeSteps(fitX, fitY, testX, testY, dim, numClasses, {
        normalize: true,
        iterations: scaled(PROBE_DEFAULTS.iterations, scale),
        ...(valX ? { val: { x: valX, y: valY } } : {}),
      });
      return (yield* drive(g, (p) => tell(p, `linear probe on ${name}`))).testAccuracy;
    };
    const cached = async function* <T extends number | SupervisedResult>(
      key: string,
      run: () => AsyncGenerator<void, T>,
    ): AsyncGenerator<void, T> {
      const hit = cache.get(key) as T | undefined;
      if (hit !== undefined) return hit;
      const v = yield* run();
      cache.set(key, v);
      return v;
    };
    const supervised = async function* (
      encoder: Encoder,
      stepsWanted: number,
      lrs: { encoderLr: number; headLr: number },
      patience: number,
      what: string,
    ) {
      const g = trainSupervised({
        data: d,
        encoder,
        fit,
        val,
        test: ctx.test,
        settings: s,
        steps: stepsWanted,
        ...lrs,
        patience,
      });
      return yield* drive(g, (p) => tell(p, what));
    };
    const drawKey = `${keyBase}|${k}`;
    const withVal = val.length > 0;

    tell(0, 'linear probe on the pre-trained h');
    values.pretrained.push(yield* probe('pre-trained h', (idx) => features(pretrainedLoan, d, idx, hDim), hDim));
    part++;
    // eslint-disable-next-line require-yield
    const pixels = async function* (idx: Int32Array): AsyncGenerator<void, Float32Array> {
      return gatherImages(d, idx);
    };
    values.pixels.push(yield* cached(`${drawKey}|pixels`, () => probe('raw pixels', pixels, size)));
    part++;
    values.random.push(
      yield* cached(`${drawKey}|random`, () =>
        probe('random-init h', (idx) => features(randomLoan, d, idx, hDim), hDim),
      ),
    );
    part++;

    const maxSteps = scaled(SUPERVISED_BUDGET.maxSteps, scale);
    const ft = yield* supervised(
      encoderFrom(ctx.build, ctx.weights),
      withVal ? maxSteps : scaled(SUPERVISED_BUDGET.fineTuneSteps, scale),
      FINETUNE,
      withVal ? SUPERVISED_BUDGET.patience : Infinity,
      'fine-tuning the pre-trained encoder',
    );
    values.finetune.push(ft.testAccuracy);
    steps.fineTune.push(ft.ran);
    part++;

    // Compute-matched: the images pre-training and this fine-tuning put through the network.
    const budget = scratchSteps(ctx.pretrainImages + ft.ran * SUPERVISED_BUDGET.batch);
    const matchedSteps = scaled(budget.steps, scale);
    const sc = yield* cached(`${drawKey}|scratch|${matchedSteps}|${augKey}`, () =>
      supervised(
        ctx.build(),
        matchedSteps,
        { encoderLr: SCRATCH_LR, headLr: SCRATCH_LR },
        Infinity,
        'from scratch, compute-matched',
      ),
    );
    values.scratch.push(sc.testAccuracy);
    steps.scratch.push(matchedSteps);
    steps.matched.push(scaled(budget.matched, scale));
    part++;

    const cv = yield* cached(`${drawKey}|converged|${augKey}`, () =>
      supervised(
        ctx.build(),
        withVal ? maxSteps : scaled(SUPERVISED_BUDGET.convergedSteps, scale),
        { encoderLr: SCRATCH_LR, headLr: SCRATCH_LR },
        withVal ? SUPERVISED_BUDGET.patience : Infinity,
        'from scratch, to convergence',
      ),
    );
    values.scratchConverged.push(cv.testAccuracy);
    steps.converged.push(cv.ran);
    progress((k + 1) / draws, `Draw ${k + 1} of ${draws} done`, study(k + 1));
  }
  return study(draws);
}
