// One on-demand probe row: with `labelsPerClass` labels of each class, every method of
// labelStudy.ts (linear probe on the frozen pre-trained h, fine-tuning, from scratch at two
// budgets, pixels, random init), over the labelled draws the recipe asks for. The label
// curve (curveJob.ts) runs the same study at every label count.

import type { Settings } from '../core/settings';
import type { LabelsPerClass, LabelStudy, ProbeReport } from '../protocol';
import { readWeights } from './eval';
import { studyLabels, type StudyContext } from './labelStudy';
import type { Trainer } from './trainer';

const REPORT_MS = 250;

interface Ctx {
  trainer: Trainer;
  settings: () => Settings;
}

/** What a study needs of the run, with the pre-trained weights copied now: training steps run
 *  between the study's slices, and every method must start from the same weights. */
export async function studyContext(t: Trainer, s: Settings, budgetScale: number): Promise<StudyContext> {
  return {
    data: t.data,
    pool: t.train,
    test: t.test,
    settings: s,
    build: () => t.freshEncoder(),
    hDim: t.encoder.hDim,
    weights: await readWeights(t.encoder),
    pretrainImages: 2 * t.seen,
    budgetScale,
    testFeatures: new Map(),
  };
}

export async function* probeJob(
  ctx: Ctx,
  lpc: LabelsPerClass,
  budgetScale: number,
  report: (r: Partial<ProbeReport>) => void,
): AsyncGenerator<unknown, void> {
  const t = ctx.trainer;
  const at = { step: t.step, epoch: t.epoch };
  const study = await studyContext(t, ctx.settings(), budgetScale);
  let lastReport = 0,
    lastDraws = 0;
  // Throttled, except when a draw has finished: its figures show at once.
  const progress = (p: number, message: string, partial: LabelStudy) => {
    const now = performance.now();
    if (partial.draws === lastDraws && now - lastReport < REPORT_MS) return;
    lastReport = now;
    lastDraws = partial.draws;
    report({ ...partial, ...at, status: 'running', progress: p, message });
  };
  const result = yield* studyLabels(study, lpc, progress);
  report({ ...result, ...at, status: 'done', progress: 1, message: '' });
}
