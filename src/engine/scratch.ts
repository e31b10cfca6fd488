// The honest supervised baseline for a probe: the same encoder architecture, freshly
// initialised (same seed as the contrastive run), plus a linear head, trained with
// cross-entropy on the same few labelled images with the dataset's augmentations
// (supervised.ts). Two budgets: compute-matched, as many images as pre-training plus
// fine-tuning put through the network (scratchSteps), and to convergence on validation. If
// pre-training does not beat these, it bought nothing.

import { SCRATCH_BUDGET } from '../protocol';

/**
 * The compute-matched budget, in steps of SCRATCH_BUDGET.batch images: the same number of
 * images through the network as the pre-trained side used (`images`: two views of every image
 * the contrastive run has seen, plus fine-tuning's), within SCRATCH_BUDGET's bounds (the most:
 * a few minutes of a paused wasm worker). With augmentations a few-label CNN keeps improving
 * long after it fits its labels, so a short fixed budget would flatter pre-training
 * (docs/decisions/0007).
 */
export function scratchSteps(images: number): { steps: number; matched: number } {
  const { batch, minSteps, maxSteps } = SCRATCH_BUDGET;
  const matched = Math.ceil(images / batch);
  return { steps: Math.min(maxSteps, Math.max(minSteps, matched)), matched };
}
