// The selected anchor's softmax weights and forces at the slider's temperature, recomputed on
// the main thread from the last snapshot's batch (not at the snapshot's temperature: moving
// the slider while paused must re-weight at once). Memoised per (batch, tau, anchor) at module
// level so the embedding view and the panels share one computation.

import { analyseAnchor, batchForces, type AnchorAnalysis } from '../core/contrastMath';
import type { Snapshot } from '../protocol';

type Batch = NonNullable<Snapshot['batch']>;

export interface BatchAnalysis {
  batch: Batch;
  dim: number;
  analysis: AnchorAnalysis;
}

let memo: { batch: Batch; tau: number; anchor: number; out: BatchAnalysis } | null = null;
let forceMemo: { batch: Batch; tau: number; out: Float64Array } | null = null;

/** The anchor row clamped into the batch (batch size may have shrunk since it was chosen). */
export const clampAnchor = (anchor: number, batch: Batch) => Math.min(Math.max(0, anchor), 2 * batch.n - 1);

export function anchorAnalysis(
  batch: Batch | null | undefined,
  dim: number,
  tau: number,
  anchor: number,
): BatchAnalysis | null {
  if (!batch || batch.embeddings.length !== 2 * batch.n * dim) return null;
  const a = clampAnchor(anchor, batch);
  if (memo && memo.batch === batch && memo.tau === tau && memo.anchor === a) return memo.out;
  const out = {
    batch,
    dim,
    analysis: analyseAnchor({ z: batch.embeddings, n: batch.n, dim, labels: batch.labels }, a, tau),
  };
  memo = { batch, tau, anchor: a, out };
  return out;
}

/** Tangent force under the full batch loss on every batch point (2N * dim). */
export function allForces(batch: Batch, dim: number, tau: number): Float64Array {
  if (forceMemo && forceMemo.batch === batch && forceMemo.tau === tau) return forceMemo.out;
  const out = batchForces({ z: batch.embeddings, n: batch.n, dim }, tau);
  forceMemo = { batch, tau, out };
  return out;
}
