// The current batch on top of the display set in the embedding view: its ringed points, the
// selected anchor's springs and forces (the pull toward its positive, each negative's push,
// the net force), optionally every point's force, and the ring of the point under the pointer.

import { projectPoints, projectVector, type Affine, type ViewMode } from '../core/viewProjection';
import type { Snapshot } from '../protocol';
import type { BatchAnalysis } from './anchorAnalysis';
import { arrow, clampUnit, dot, FORCE, INK, line, PULL, PUSH, ring, type Frame } from './embeddingDraw';

/** Push arrows drawn for the anchor: the heaviest ones (the rest would be sub-pixel clutter). */
const MAX_PUSH_ARROWS = 12;

/** Draws the batch layer; returns each row's projected x, y and depth, for picking. */
export function drawBatch(
  f: Frame,
  aff: Affine,
  batch: NonNullable<Snapshot['batch']>,
  dim: number,
  values: Int32Array,
  colourOf: (k: number) => string,
  a: BatchAnalysis | null,
  forces: Float64Array | null,
  size: number,
  mode: ViewMode,
  hoverRow: number,
  pushes: boolean,
  markers = false,
): Float32Array {
  const m = 2 * batch.n;
  const xy = projectPoints(aff, batch.embeddings, m, dim);
  const X = (i: number) => clampUnit(xy[3 * i]),
    Y = (i: number) => clampUnit(xy[3 * i + 1]);
  const behind = (i: number) => mode === 'sphere' && xy[3 * i + 2] < 0;
  const an = a?.analysis;
  // Without negatives (alignment only) nothing pushes: no springs, weights or push arrows.
  const negatives = an && pushes ? an.negatives : [];
  const maxP = Math.max(1e-12, ...negatives.map((g) => g.p));
  const pOf = new Float64Array(m);
  for (const g of negatives) pOf[g.index] = g.p;

  // Faint springs from the anchor to its positive and its heaviest negatives.
  if (an) {
    line(f, X(an.anchor), Y(an.anchor), X(an.positive), Y(an.positive), PULL, 2, 0.55);
    for (const g of negatives
      .slice()
      .sort((p, q) => q.p - p.p)
      .slice(0, MAX_PUSH_ARROWS)) {
      line(f, X(an.anchor), Y(an.anchor), X(g.index), Y(g.index), PUSH, 1, 0.12 + 0.45 * (g.p / maxP));
    }
  }
  for (let i = 0; i < m; i++) {
    const back = behind(i);
    dot(f, X(i), Y(i), size * 1.25, colourOf(values[i]), back ? 0.35 : 1, markers ? values[i] : -1);
    const isNeg = pushes && an && i !== an.anchor && i !== an.positive;
    const w = isNeg ? pOf[i] / maxP : 0;
    ring(
      f,
      X(i),
      Y(i),
      size * 1.25 + 1.5,
      isNeg && w > 0.05 ? PUSH : INK,
      isNeg && w > 0.05 ? 1 + 2.5 * w : 1.2,
      back ? 0.3 : 0.85,
      back,
    );
  }
  if (forces) {
    let max = 1e-12;
    const vecs: [number, number][] = [];
    for (let i = 0; i < m; i++) {
      const v = projectVector(aff, forces.subarray(i * dim, (i + 1) * dim));
      vecs.push(v);
      max = Math.max(max, Math.hypot(v[0], v[1]));
    }
    const k = (f.r * 0.16) / max;
    for (let i = 0; i < m; i++)
      arrow(f, X(i), Y(i), vecs[i][0] * k, vecs[i][1] * k, FORCE, 1.5, behind(i) ? 0.3 : 0.85);
  }
  if (an) {
    // Alignment's pull is 2 (I - z z^T) z+: the same direction as NT-Xent's, only its size differs,
    // and arrows are scaled to the largest anyway.
    const pull = projectVector(aff, an.pull);
    const pushArrows = negatives
      .slice()
      .sort((p, q) => q.p - p.p)
      .slice(0, MAX_PUSH_ARROWS)
      .map((g) => projectVector(aff, g.push));
    const net = pushes ? projectVector(aff, an.forceTangent) : pull;
    const max = Math.max(1e-12, Math.hypot(...pull), Math.hypot(...net), ...pushArrows.map((v) => Math.hypot(...v)));
    const k = (f.r * 0.32) / max;
    for (const v of pushArrows) arrow(f, X(an.anchor), Y(an.anchor), v[0] * k, v[1] * k, PUSH, 2, 0.9);
    arrow(f, X(an.anchor), Y(an.anchor), pull[0] * k, pull[1] * k, PULL, 3.5);
    if (pushes) arrow(f, X(an.anchor), Y(an.anchor), net[0] * k, net[1] * k, INK, 2.5, 0.9);
    ring(f, X(an.positive), Y(an.positive), size * 1.25 + 4, PULL, 3);
    ring(f, X(an.anchor), Y(an.anchor), size * 1.25 + 5, '#fff', 5);
    ring(f, X(an.anchor), Y(an.anchor), size * 1.25 + 5, INK, 3);
  }
  if (hoverRow >= 0 && hoverRow < m) ring(f, X(hoverRow), Y(hoverRow), size * 1.25 + 8, INK, 1.5, 0.7);
  return xy;
}
