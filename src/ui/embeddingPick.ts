// What is under the pointer in the embedding view: which of the batch's ringed points (the
// only ones that can be clicked), and what the tooltip says about it.

import { partnerOf } from '../core/contrastMath';
import type { Snapshot } from '../protocol';
import type { BatchAnalysis } from './anchorAnalysis';
import { clampUnit } from './embeddingDraw';

/** How near the pointer must come to a point, in CSS pixels. */
const REACH_PX = 14;
/** Squared pixels added to a point on the far side of the sphere, so the front one wins a tie. */
const BEHIND_PENALTY = 60;

/**
 * The row under the pointer (px, py), or -1. `xy` holds each row's projected x, y and depth;
 * `at` places the unit disk on screen (centre and pixels per unit).
 */
export function pickRow(
  xy: Float32Array,
  at: { cx: number; cy: number; r: number },
  px: number,
  py: number,
  sphere: boolean,
): number {
  let best = -1,
    bestD = REACH_PX * REACH_PX;
  for (let i = 0; i < xy.length / 3; i++) {
    const dx = at.cx + clampUnit(xy[3 * i]) * at.r - px,
      dy = at.cy - clampUnit(xy[3 * i + 1]) * at.r - py;
    const d = dx * dx + dy * dy + (sphere && xy[3 * i + 2] < 0 ? BEHIND_PENALTY : 0);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** The tooltip of a batch row: which view of which image, and its part in the anchor's loss. */
export function describeRow(
  row: number,
  batch: NonNullable<Snapshot['batch']>,
  a: BatchAnalysis,
  classNames: string[],
  pushes: boolean,
): string {
  const n = batch.n;
  const an = a.analysis;
  const what = `view ${row < n ? 1 : 2} of image ${(row % n) + 1}, ${classNames[batch.labels[row]] ?? batch.labels[row]}`;
  if (row === an.anchor) return `${what}: the anchor`;
  if (row === partnerOf(an.anchor, n))
    return pushes
      ? `${what}: the positive, s = ${an.posSim.toFixed(2)}, p+ = ${an.pPos.toFixed(3)}`
      : `${what}: the positive, s = ${an.posSim.toFixed(2)}`;
  if (!pushes) return `${what}: another image; nothing pushes it away under this loss (click to make it the anchor)`;
  const g = an.negatives.find((x) => x.index === row);
  return g ? `${what}: negative, s = ${g.sim.toFixed(2)}, p = ${g.p.toFixed(3)} (click to make it the anchor)` : what;
}
