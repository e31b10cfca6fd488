// One on-demand probe: with `labelsPerClass` labels of each class, how well does a linear
// classifier on the frozen pre-trained h do on the held-out set, and how do the baselines do
// with the very same labels: a linear probe on raw pixels, one on h of the same encoder at
// its random initialisation, and the same CNN trained supervised from scratch. Baselines do
// not depend on the contrastive training, so they are computed once per dataset, seed,
// model, label count (and augmentations, for the supervised one) and cached.

import { gatherImages } from '../core/dataset';
import { deriveSeed } from '../core/rng';
import type { Settings } from '../core/settings';
import { balancedSubset } from '../core/split';
import type { LabelsPerClass, ProbeReport } from '../protocol';
import { builtPerChunk, embed, frozenEncoder, type EncoderLoan } from './eval';
import { linearProbeSteps } from './probe';
import { scratchSteps, supervisedFromScratch } from './scratch';
import type { Trainer } from './trainer';

const EMBED_CHUNK = 500;
/** Share of the progress bar each part takes, roughly its share of the time (from scratch is
 *  most of a probe: docs/decisions/0007). */
const PARTS = { pretrained: 0.05, raw: 0.05, random: 0.05, scratch: 0.85 };
const REPORT_MS = 250;

const baselineCache = new Map<string, number>();

interface Ctx { trainer: Trainer; settings: () => Settings }

/** h of the given images, chunk by chunk (one chunk per next()). */
async function* embedH(encoder: EncoderLoan, t: Trainer, indices: Int32Array): AsyncGenerator<number, Float32Array> {
  const hDim = t.encoder.hDim;
  const out = new Float32Array(indices.length * hDim);
  for (let s = 0; s < indices.length; s += EMBED_CHUNK) {
    const e = encoder();
    try {
      out.set((await embed(e.encoder, t.data, indices.subarray(s, s + EMBED_CHUNK))).h, s * hDim);
    } finally {
      e.done();
    }
    yield Math.min(1, (s + EMBED_CHUNK) / indices.length);
  }
  return out;
}

/**
 * Runs `inner` one slice per yield, reporting its progress. Abandoning this generator (a reset
 * cancels the probe) ends `inner` too, so its finally frees its tensors: a loop of next() calls
 * alone would leave it suspended forever, holding them.
 */
async function* drive<T>(inner: AsyncGenerator<number, T>, onProgress: (p: number) => void): AsyncGenerator<unknown, T> {
  try {
    for (;;) {
      const r = await inner.next();
      if (r.done) return r.value;
      onProgress(r.value);
      yield;
    }
  } finally {
    await inner.return(undefined as never);
  }
}

export async function* probeJob(ctx: Ctx, lpc: LabelsPerClass, report: (r: Partial<ProbeReport>) => void): AsyncGenerator<unknown, void> {
  const t = ctx.trainer;
  const s = ctx.settings();
  const d = t.data;
  const numClasses = d.classNames.length;
  // The labelled set: a seeded, class-balanced draw from the training split (all of it for 'all').
  const labelled = lpc === 'all' ? t.train : balancedSubset(t.train, d.labels, numClasses, lpc, deriveSeed(s.seed, 7000 + lpc));
  const trainY = Int32Array.from(labelled, (i) => d.labels[i]);
  const testY = Int32Array.from(t.test, (i) => d.labels[i]);
  const step = t.step, epoch = t.epoch;
  // Both views of every image the contrastive run has seen so far.
  const { steps: budget, matched } = scratchSteps(2 * t.seen);
  const result: Partial<ProbeReport> = {
    trainCount: labelled.length, step, epoch, scratchSteps: budget, scratchMatchedSteps: matched,
    pretrained: null, raw: null, random: null, scratch: null,
  };
  let lastReport = 0;
  const progress = (base: number, share: number, p: number, message: string, force = false) => {
    const now = performance.now();
    if (!force && now - lastReport < REPORT_MS) return;
    lastReport = now;
    report({ ...result, status: 'running', progress: base + share * p, message });
  };
  const keyBase = [d.id, s.seed, s.model, lpc].join('|');

  // 1. The pre-trained encoder, frozen as it is now: training steps run between the probe's
  // chunks, and every image must be embedded by the same weights.
  const current = await frozenEncoder(t.encoder, () => t.freshEncoder());
  progress(0, 0, 0, 'Embedding with the pre-trained encoder…', true);
  const probeOn = async function* (trainSrc: AsyncGenerator<number, Float32Array>, testSrc: AsyncGenerator<number, Float32Array> | Float32Array, dim: number, base: number, share: number, what: string) {
    const trainX = yield* drive(trainSrc, (p) => progress(base, share * 0.25, p, `Features: ${what}…`));
    const testX = testSrc instanceof Float32Array ? testSrc
      : yield* drive(testSrc, (p) => progress(base + share * 0.25, share * 0.25, p, `Features: ${what}…`));
    const g = linearProbeSteps(trainX, trainY, testX, testY, dim, numClasses, { normalize: true });
    return (yield* drive(g, (p) => progress(base + share * 0.5, share * 0.5, p, `Linear probe: ${what}…`))).testAccuracy;
  };
  const hDim = t.encoder.hDim;
  result.pretrained = yield* probeOn(embedH(current, t, labelled), embedH(current, t, t.test), hDim, 0, PARTS.pretrained, 'pre-trained h');
  progress(PARTS.pretrained, 0, 0, 'Raw pixels…', true);

  // 2. Raw pixels (cached).
  const size = d.height * d.width * d.channels;
  const rawKey = [d.id, s.seed, 'raw', lpc].join('|');
  result.raw = baselineCache.get(rawKey) ?? null;
  if (result.raw === null) {
    // A generator that yields nothing: raw pixels need no encoder, but go through the same probe.
    // eslint-disable-next-line require-yield
    const pixels = async function* (idx: Int32Array): AsyncGenerator<number, Float32Array> { return gatherImages(d, idx); };
    result.raw = yield* probeOn(pixels(labelled), gatherImages(d, t.test), size, PARTS.pretrained, PARTS.raw, 'raw pixels');
    baselineCache.set(rawKey, result.raw);
  }
  progress(PARTS.pretrained + PARTS.raw, 0, 0, 'Random-init encoder…', true);

  // 3. The same encoder at its seeded initialisation (rebuilt per chunk, so nothing stays alive).
  const randomKey = keyBase + '|random';
  result.random = baselineCache.get(randomKey) ?? null;
  if (result.random === null) {
    const fresh = builtPerChunk(() => t.freshEncoder());
    result.random = yield* probeOn(embedH(fresh, t, labelled), embedH(fresh, t, t.test), hDim, PARTS.pretrained + PARTS.raw, PARTS.random, 'random-init h');
    baselineCache.set(randomKey, result.random);
  }

  // 4. Supervised from scratch on the same labels, with the same augmentations, at equal compute.
  const scratchKey = [keyBase, 'scratch', budget, JSON.stringify(s.augments)].join('|');
  result.scratch = baselineCache.get(scratchKey) ?? null;
  if (result.scratch === null) {
    const base = PARTS.pretrained + PARTS.raw + PARTS.random;
    progress(base, 0, 0, 'Supervised from scratch…', true);
    result.scratch = yield* drive(supervisedFromScratch(d, labelled, t.test, s, budget), (p) => progress(base, PARTS.scratch, p, 'Supervised from scratch…'));
    baselineCache.set(scratchKey, result.scratch);
  }
  report({ ...result, status: 'done', progress: 1, message: '' });
}
