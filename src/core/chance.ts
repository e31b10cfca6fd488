// The chance level of a contrastive loss: its value for an embedding that carries no
// information (full collapse: all logits equal). The page, the worker and the tests all read it
// from here, so a loss curve and its baseline cannot disagree.

import type { LossId } from './settings';

/** NT-Xent / SupCon over a batch of N images in two views: each of the 2N rows softmaxes over
 *  its 2N - 1 others, so log(2N - 1). */
export function chanceLoss(n: number): number {
  return Math.log(2 * n - 1);
}

/** The chance level of the loss a run trains with: NT-Xent and SupCon over 2N views, CLIP over
 *  N captions per image (and N images per caption), log N. */
export function chanceFor(loss: LossId, n: number): number {
  return loss === 'clip' ? Math.log(n) : chanceLoss(n);
}

/** How the page writes that level's formula. */
export function chanceFormula(loss: LossId): string {
  return loss === 'clip' ? 'log N' : 'log(2N−1)';
}
