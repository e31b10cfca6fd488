// The rules the few-label table was measured by, stated before its figures are read, and
// which way each from-scratch budget leans. The numbers come from core/labelRecipe.ts, the
// same constants the worker trains with.

import {
  FEW_LABEL_DRAWS,
  FINETUNE,
  MIN_PER_CLASS_FOR_VALIDATION,
  PROBE_EVAL_EVERY,
  PROBE_ITERATIONS,
  SCRATCH_LR,
  SUPERVISED_BUDGET,
} from '../core/labelRecipe';
import { SCRATCH_BUDGET, type LabelStudy } from '../protocol';

const n = (x: number) => x.toLocaleString('en-US');

/** Which side a row's two from-scratch budgets favour, in words. */
export function budgetVerdicts(r: LabelStudy): string[] {
  const out: string[] = [];
  const g = r.labelsPerClass;
  if (r.scratchSteps !== null && r.scratchMatchedSteps !== null) {
    if (r.scratchMatchedSteps > r.scratchSteps) {
      out.push(
        `${g}/class, compute-matched: capped at ${n(r.scratchSteps)} of the ${n(r.scratchMatchedSteps)} steps pre-training and fine-tuning used, which favours pre-training.`,
      );
    } else if (r.scratchMatchedSteps < r.scratchSteps) {
      out.push(
        `${g}/class, compute-matched: raised to the ${n(r.scratchSteps)}-step minimum, more than the ${n(r.scratchMatchedSteps)} pre-training and fine-tuning used, which favours from scratch.`,
      );
    }
  }
  if (r.convergedSteps !== null && r.scratchMatchedSteps !== null) {
    out.push(
      r.convergedSteps > r.scratchMatchedSteps
        ? `${g}/class, to convergence: ${n(r.convergedSteps)} steps, more compute than pre-training and fine-tuning had, which favours from scratch.`
        : `${g}/class, to convergence: it stopped improving after ${n(r.convergedSteps)} steps, fewer than pre-training and fine-tuning used, so more compute would not have helped it.`,
    );
  }
  return out;
}

export function ProbeNotes({ reports }: { reports: LabelStudy[] }) {
  const v = MIN_PER_CLASS_FOR_VALIDATION,
    b = SUPERVISED_BUDGET;
  const scaled = reports.some((r) => r.budgetScale < 1);
  return (
    <div className="muted probe-note">
      {reports.flatMap(budgetVerdicts).map((t) => (
        <p key={t} data-testid="budget-verdict">
          {t}
        </p>
      ))}
      {scaled && (
        <p>
          <strong>Test budgets: every step budget was shrunk; these figures are not the recipe's.</strong>
        </p>
      )}
      <details data-testid="probe-recipe">
        <summary>How each method is trained</summary>
        <p>
          Every recipe is fixed before the held-out images are tested. With {v} or more labels per class, a fifth of
          them (at least one per class) is kept for validation, and each method keeps the weights of its best validation
          point (accuracy, ties broken by the lower loss) (every {b.evalEvery} steps, or {PROBE_EVAL_EVERY} probe
          iterations; a network stops after {b.patience} checks without improvement, at most {n(b.maxSteps)} steps).
          With fewer, budgets are declared: fine-tuning {b.fineTuneSteps} steps, from scratch to convergence{' '}
          {n(b.convergedSteps)} steps, probes {PROBE_ITERATIONS} iterations. At 10 labels per class or fewer the figures
          are means over {FEW_LABEL_DRAWS} labelled draws.
        </p>
        <p>
          Fine-tuning steps the encoder at {FINETUNE.encoderLr} and the new head at {FINETUNE.headLr} (from scratch:{' '}
          {SCRATCH_LR} for all): the head starts from nothing, while the pre-trained features are worth keeping, and a
          full-size step driven by a handful of labels would overwrite them before the head has learned to read them.
          From scratch, compute-matched, gets as many images through the network as pre-training and fine-tuning used (
          {n(SCRATCH_BUDGET.minSteps)} to {n(SCRATCH_BUDGET.maxSteps)} steps of {SCRATCH_BUDGET.batch}).
        </p>
      </details>
    </div>
  );
}
