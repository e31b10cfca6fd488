// What the page says about each loss, in one place: its name in the menu, and whether it has
// negatives at all (the softmax panels, the chance line and the push arrows only mean something
// when it does).

import type { LossId } from '../core/settings';

export const LOSS_NAMES: Record<LossId, string> = {
  ntxent: 'NT-Xent (SimCLR)',
  supcon: 'SupCon (labels)',
  align: 'Alignment (no negatives)',
  clip: 'CLIP (image-text)',
};

export const hasNegatives = (loss: LossId) => loss !== 'align';

/** One sentence for tooltips and notes: why alignment alone collapses. */
export const NO_NEGATIVES_NOTE =
  'This loss only pulls each pair of views together; with no negatives pushing images apart, every image can drift to the same point (collapse), and uniformity heads to 0.';
