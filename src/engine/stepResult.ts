// What one training step reports to the worker, and the error a non-finite loss raises.

import type { ViewPairs } from '../protocol';

export interface StepResult {
  /** The latest loss read back: this step's, or (deferred reads) that of an earlier step. */
  loss: number;
  /** Every (step, loss) read back by this call, oldest first: one pair, or a deferred window. */
  losses: { step: number; loss: number }[];
  /** Labels of the step's 2N rows (always known: they come from the CPU). */
  labels: Int32Array;
  n: number;
  /** The batch's 2N projections, L2-normalised, read back after the step; absent when the
   *  caller did not ask for it (no snapshot due) on a backend where reads stall the queue. */
  batch?: { embeddings: Float32Array; labels: Int32Array; indices: Int32Array; n: number };
  /** Slow motion only: the same views re-embedded after the update, and the loss they now give. */
  explain?: { after: Float32Array; lossAfter: number };
  /** Both views of the first min(N, BATCH_VIEW_MAX) images, interleaved [a0, b0, a1, b1, ...]. */
  batchViews?: ViewPairs;
  /** Each dataset factor's value for each of the 2N rows. */
  batchFactors?: Int32Array[];
  /** CLIP: the N captions of the batch (rows N..2N-1 are their embeddings). */
  captions?: string[];
}

export class NonFiniteLossError extends Error {
  /** value: the loss as text; step: the step whose weights training went back to. */
  constructor(
    readonly value: string,
    readonly step: number,
  ) {
    super(value);
  }
}
