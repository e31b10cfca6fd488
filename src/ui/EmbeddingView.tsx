// The embedding space: the display set's points (dimension 2 on the unit circle, 3 on a
// sphere you can turn by dragging, higher through an orientation-stable PCA), the current
// batch as ringed points projected the same way, and the selected anchor's forces: the pull
// toward its positive and each negative's push, tangent to the sphere, sized by weight.
// Points glide between snapshots; everything is drawn on one canvas by requestAnimationFrame.

import { useEffect, useRef, useState } from 'react';
import { alignmentForces, partnerOf } from '../core/contrastMath';
import { circleAffine, lerpAffine, pcaAffine, projectPoints, projectVector, sphereAffine, viewModeFor, type Affine } from '../core/viewProjection';
import type { Projection } from '../core/pca';
import type { Ready, Snapshot } from '../protocol';
import { arrow, beginFrame, drawCircle, drawSphere, dot, FORCE, INK, line, PULL, PUSH, ring, type Frame } from './embeddingDraw';
import { registerEmbeddingCanvas } from './embeddingPicture';
import { colouring } from './factorColours';
import { hasNegatives } from './lossNames';
import { setPlayground, usePlayground } from './playgroundStore';
import { allForces, anchorAnalysis, type BatchAnalysis } from './anchorAnalysis';
import { useUmap } from './useUmap';
import './playground.css';

interface Props {
  snapshot: Snapshot | null;
  dim: number;
  temperature: number;
  classNames: string[];
  factors?: Ready['factors'];
}

const GLIDE_MS = 300;
/** The shown points are unit vectors: a PCA cloud narrower than this is drawn small, so a
 *  collapse (alignment without negatives) is seen shrinking instead of being zoomed back up. */
const MIN_PCA_RADIUS = 0.15;
/** Push arrows drawn for the anchor: the heaviest ones (the rest would be sub-pixel clutter). */
const MAX_PUSH_ARROWS = 12;

export function EmbeddingView({ snapshot, dim, temperature, classNames, factors }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { anchor, colourBy, showAllForces } = usePlayground();
  const [hover, setHover] = useState<{ row: number; x: number; y: number } | null>(null);
  const display = snapshot?.display ?? null;
  const batch = snapshot?.batch ?? null;
  const mode = viewModeFor(dim);
  const { factor, legend, colourOf } = colouring(factors, classNames, colourBy);
  // Without negatives (alignment only) there is no push to draw.
  const pushes = hasNegatives(snapshot?.lossId ?? 'ntxent');
  const analysis = anchorAnalysis(batch, dim, temperature, anchor);
  const [projection, setProjection] = useState<'pca' | 'umap'>('pca');
  const umapOn = mode === 'pca' && projection === 'umap';
  const umap = useUmap(display, dim, umapOn);
  // The UMAP layout replaces PCA once it exists (until then PCA stays, captioned "computing").
  const umapXY = umapOn && display && umap.layout?.length === 2 * display.labels.length ? umap.layout : null;

  // Everything the animation loop reads lives in one ref, so a frame never waits on React.
  const live = useRef({
    from: null as Float32Array | null, to: null as Float32Array | null, start: 0,
    affFrom: null as Affine | null, affTo: null as Affine | null, pca: null as Projection | null,
    yaw: -0.6, pitch: 0.35, shown: null as Float32Array | null, shownAff: null as Affine | null,
    batchXY: null as Float32Array | null, raf: 0, draw: () => {},
    // Unit-disk x, y of the last frame, so a new UMAP layout glides in from what is on screen.
    shownXY: null as Float32Array | null, uFrom: null as Float32Array | null, uStart: 0,
  });
  const L = live.current;

  // A new display set: glide from what is on screen now to it.
  useEffect(() => {
    if (!display) return;
    const n = display.labels.length;
    const to = display.embeddings;
    L.from = L.shown && L.shown.length === to.length ? L.shown.slice() : to;
    L.to = to;
    if (mode === 'pca') {
      const { affine, projection } = pcaAffine(to, n, dim, L.pca, MIN_PCA_RADIUS);
      L.pca = projection;
      L.affFrom = L.shownAff && L.shownAff.mode === 'pca' && L.shownAff.rows[0].length === dim ? L.shownAff : affine;
      L.affTo = affine;
    } else {
      L.pca = null;
    }
    L.start = performance.now();
  }, [display, dim, mode, L]);

  // A new UMAP layout: glide to it from the points as drawn (PCA or the previous layout).
  useEffect(() => {
    if (!umapXY) return;
    L.uFrom = L.shownXY && L.shownXY.length === umapXY.length ? L.shownXY.slice() : umapXY;
    L.uStart = performance.now();
  }, [umapXY, L]);

  // The frame itself, rebuilt each render so it sees the latest props.
  L.draw = () => {
    const canvas = canvasRef.current;
    if (!canvas || !display || !L.to) return;
    if (umapXY) { drawUmap(canvas, umapXY); return; }
    const now = performance.now();
    const t = Math.min(1, (now - L.start) / GLIDE_MS);
    const e = t * (2 - t);
    const n = display.labels.length;
    const cur = new Float32Array(L.to.length);
    const from = L.from && L.from.length === L.to.length ? L.from : L.to;
    for (let k = 0; k < cur.length; k++) cur[k] = from[k] + (L.to[k] - from[k]) * e;
    if (mode !== 'pca') renormalise(cur, n, dim);
    L.shown = cur;
    const aff = mode === 'circle' ? circleAffine() : mode === 'sphere' ? sphereAffine(L.yaw, L.pitch) : lerpAffine(L.affFrom!, L.affTo!, e);
    L.shownAff = aff;
    const f = beginFrame(canvas, mode === 'pca' ? 0.4 : 0.44);
    if (mode === 'circle') drawCircle(f);
    if (mode === 'sphere') drawSphere(f, aff);
    const pts = projectPoints(aff, cur, n, dim);
    const size = Math.max(2.5, Math.min(f.w, f.h) / 170);
    const values = factor ? factor.displayValues : display.labels;
    // Back-facing points first, faint and small, so the front hemisphere reads on top.
    for (const front of mode === 'sphere' ? [false, true] : [true]) {
      for (let i = 0; i < n; i++) {
        const z = pts[3 * i + 2];
        if (mode === 'sphere' && (z >= 0) !== front) continue;
        const a = mode === 'sphere' ? (front ? 0.55 + 0.35 * z : 0.18) : 0.7;
        dot(f, clampUnit(pts[3 * i]), clampUnit(pts[3 * i + 1]), front ? size : size * 0.8, colourOf(values[i]), a);
      }
    }
    if (batch && batch.embeddings.length === 2 * batch.n * dim) {
      const bf = snapshot?.batchFactors;
      const bValues = factor && bf && bf[Math.min(colourBy, bf.length - 1)]?.length === 2 * batch.n ? bf[Math.min(colourBy, bf.length - 1)] : batch.labels;
      const forces = !showAllForces ? null : pushes ? allForces(batch, dim, temperature) : alignmentForces({ z: batch.embeddings, n: batch.n, dim });
      drawBatch(f, aff, batch, dim, bValues, colourOf, analysis, forces, size, mode, hover?.row ?? -1, pushes);
      L.batchXY = projectPoints(aff, batch.embeddings, 2 * batch.n, dim);
    } else {
      L.batchXY = null;
    }
    // A cheap signature of what is on screen, so browser tests can see the points move.
    let sig = 0;
    for (let i = 0; i < n; i++) sig += (pts[3 * i] + 2 * pts[3 * i + 1]) * ((i % 7) + 1);
    canvas.dataset.frameSum = String(Math.round(sig * 1000));
    L.shownXY = unitXY(pts, n);
    if (t < 1) L.raf = requestAnimationFrame(() => L.draw());
  };

  // UMAP mode: the display set alone. Batch rings and forces need a projection of tangent
  // vectors, which UMAP (a non-linear layout, computed once) does not have.
  const drawUmap = (canvas: HTMLCanvasElement, to: Float32Array) => {
    const n = to.length / 2;
    const t = Math.min(1, (performance.now() - L.uStart) / GLIDE_MS);
    const e = t * (2 - t);
    const from = L.uFrom && L.uFrom.length === to.length ? L.uFrom : to;
    const cur = new Float32Array(to.length);
    for (let k = 0; k < cur.length; k++) cur[k] = from[k] + (to[k] - from[k]) * e;
    L.shownXY = cur;
    L.batchXY = null;
    const f = beginFrame(canvas, 0.4);
    const size = Math.max(2.5, Math.min(f.w, f.h) / 170);
    const values = factor ? factor.displayValues : display!.labels;
    let sig = 0;
    for (let i = 0; i < n; i++) {
      dot(f, clampUnit(cur[2 * i]), clampUnit(cur[2 * i + 1]), size, colourOf(values[i]), 0.7);
      sig += (cur[2 * i] + 2 * cur[2 * i + 1]) * ((i % 7) + 1);
    }
    canvas.dataset.frameSum = String(Math.round(sig * 1000));
    if (t < 1) L.raf = requestAnimationFrame(() => L.draw());
  };

  // Redraw whenever anything shown changes (props, store, hover); the glide keeps itself going.
  useEffect(() => {
    cancelAnimationFrame(L.raf);
    L.raf = requestAnimationFrame(() => L.draw());
    return () => cancelAnimationFrame(L.raf);
  });

  useEffect(() => {
    registerEmbeddingCanvas(canvasRef.current);
    return () => registerEmbeddingCanvas(null);
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ro = new ResizeObserver(() => { cancelAnimationFrame(L.raf); L.raf = requestAnimationFrame(() => L.draw()); });
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [L]);

  /** The batch row under the pointer (front-facing preferred on the sphere), or -1. */
  const pick = (px: number, py: number): number => {
    const canvas = canvasRef.current;
    const xy = L.batchXY;
    if (!canvas || !xy) return -1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    const r = Math.min(w, h) * (mode === 'pca' ? 0.4 : 0.44);
    let best = -1, bestD = 14 * 14;
    for (let i = 0; i < xy.length / 3; i++) {
      const dx = w / 2 + clampUnit(xy[3 * i]) * r - px, dy = h / 2 - clampUnit(xy[3 * i + 1]) * r - py;
      const d = dx * dx + dy * dy + (mode === 'sphere' && xy[3 * i + 2] < 0 ? 60 : 0);
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  };

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const local = (e: React.PointerEvent) => {
    const b = (e.target as HTMLElement).getBoundingClientRect();
    return [e.clientX - b.left, e.clientY - b.top] as const;
  };
  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
    if (mode === 'sphere') e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (d && mode === 'sphere') {
      const dx = e.clientX - d.x, dy = e.clientY - d.y;
      if (d.moved || Math.hypot(dx, dy) > 3) {
        d.moved = true;
        const k = Math.PI / Math.max(200, e.currentTarget.clientWidth);
        L.yaw += dx * k;
        L.pitch = Math.max(-1.5, Math.min(1.5, L.pitch + dy * k));
        d.x = e.clientX;
        d.y = e.clientY;
        L.draw();
        return;
      }
    }
    const [x, y] = local(e);
    const row = pick(x, y);
    setHover(row >= 0 ? { row, x, y } : null);
  };
  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d?.moved) return;
    const [x, y] = local(e);
    const row = pick(x, y);
    if (row >= 0) setPlayground({ anchor: row });
  };

  const rowsN = batch?.n ?? 0;
  const hoverText = hover && batch && analysis ? describeRow(hover.row, batch, analysis, classNames, pushes) : '';
  return (
    <figure className="panel scatter embedding-view">
      <div className="ev-canvas-wrap">
        <canvas
          ref={canvasRef}
          role="img"
          data-testid="embedding-canvas"
          data-display-step={display?.step ?? -1}
          data-anchor={analysis?.analysis.anchor ?? -1}
          aria-label={umapXY
            ? `Embedding space of ${display?.labels.length ?? 0} held-out images, laid out by UMAP (computed at step ${umap.step}); the batch and its forces are shown in PCA mode`
            : `Embedding space of ${display?.labels.length ?? 0} held-out images${dim > 3 ? ', projected by PCA' : dim === 3 ? ' on the unit sphere' : ' on the unit circle'}; the batch's points are ringed; click one to make it the anchor`}
          title={umapXY ? 'UMAP layout of the held-out images; switch Projection to PCA to see the batch and its forces.' : mode === 'sphere' ? 'Drag to turn the sphere; click a ringed batch point to make it the anchor.' : 'Click a ringed batch point to make it the anchor.'}
          className={hover ? 'ev-pointing' : mode === 'sphere' ? 'ev-grab' : ''}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => setHover(null)}
        />
        {hoverText && (
          <div className="ev-tip" style={{ left: hover!.x + 12, top: hover!.y + 12 }} role="status">{hoverText}</div>
        )}
      </div>
      <figcaption>
        <div className="ev-bar">
          {factor && factors && (
            <label className="ev-select" title="Which dataset factor colours the points: a good embedding groups by shape and ignores colour.">
              <span>Colour by</span>
              <select aria-label="Colour by" value={Math.min(colourBy, factors.length - 1)} onChange={(e) => setPlayground({ colourBy: Number(e.target.value) })}>
                {factors.map((fa, k) => <option key={fa.name} value={k}>{fa.name}</option>)}
              </select>
            </label>
          )}
          {mode === 'pca' && (
            <label className="ev-select" title="PCA keeps distances and directions linear (and shows forces); UMAP, computed on demand, shows neighbourhoods and clusters.">
              <span>Projection</span>
              <select aria-label="Projection" value={projection} onChange={(e) => setProjection(e.target.value as 'pca' | 'umap')}>
                <option value="pca">PCA</option>
                <option value="umap">UMAP</option>
              </select>
            </label>
          )}
          {umapOn && (
            <button type="button" className="ev-recompute" aria-label="Recompute UMAP" title="Recompute the UMAP layout for the latest display set." disabled={umap.computing || !display} onClick={umap.recompute}>
              Recompute
            </button>
          )}
          {!umapXY && (<>
          <label className="ev-check" title={pushes ? "Draw the force of the whole batch loss on every batch point, not just the anchor's own term." : 'Draw the pull of the alignment loss on every batch point (there is no push: this loss has no negatives).'}>
            <input type="checkbox" aria-label="Show all forces" checked={showAllForces} onChange={(e) => setPlayground({ showAllForces: e.target.checked })} />
            Show all forces
          </label>
          <span className="ev-key" aria-hidden="true">
            <span><i className="ev-key-anchor" /> anchor</span>
            <span><i className="ev-key-pos" /> positive</span>
            {pushes && <span><i className="ev-key-neg" /> negative</span>}
            <span><b className="ev-arrow ev-arrow-pull">→</b> pull</span>
            {pushes ? <>
              <span><b className="ev-arrow ev-arrow-push">→</b> push</span>
              <span><b className="ev-arrow ev-arrow-net">→</b> net force</span>
            </> : <span>no push: this loss has no negatives</span>}
          </span>
          </>)}
        </div>
        <span className="legend">
          {legend.map((c, k) => (
            <span key={c + k} className="legend-item"><i style={{ background: colourOf(k) }} />{c}</span>
          ))}
        </span>
        <span className="muted">
          {umapXY
            ? `UMAP of the display set, computed at step ${umap.step}; forces are shown in PCA mode`
            : mode === 'circle' ? 'z on the unit circle' : mode === 'sphere' ? 'z on the unit sphere (drag to turn; far side faint)' : `PCA of the ${dim}-D embedding; forces are projected vectors`}
          {!umapXY && rowsN > 0 && ` · batch of ${rowsN} images, ${2 * rowsN} ringed views`}
          {umapOn && umap.computing && <span role="status"> · computing UMAP…</span>}
          {umapOn && umap.error && <span role="alert"> · UMAP failed: {umap.error}</span>}
        </span>
      </figcaption>
    </figure>
  );
}

function drawBatch(
  f: Frame, aff: Affine, batch: NonNullable<Snapshot['batch']>, dim: number, values: Int32Array, colourOf: (k: number) => string,
  a: BatchAnalysis | null, forces: Float64Array | null, size: number, mode: string, hoverRow: number, pushes: boolean,
): void {
  const m = 2 * batch.n;
  const xy = projectPoints(aff, batch.embeddings, m, dim);
  const X = (i: number) => clampUnit(xy[3 * i]), Y = (i: number) => clampUnit(xy[3 * i + 1]);
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
    for (const g of negatives.slice().sort((p, q) => q.p - p.p).slice(0, MAX_PUSH_ARROWS)) {
      line(f, X(an.anchor), Y(an.anchor), X(g.index), Y(g.index), PUSH, 1, 0.12 + 0.45 * (g.p / maxP));
    }
  }
  for (let i = 0; i < m; i++) {
    const back = behind(i);
    dot(f, X(i), Y(i), size * 1.25, colourOf(values[i]), back ? 0.35 : 1);
    const isNeg = pushes && an && i !== an.anchor && i !== an.positive;
    const w = isNeg ? pOf[i] / maxP : 0;
    ring(f, X(i), Y(i), size * 1.25 + 1.5, isNeg && w > 0.05 ? PUSH : INK, isNeg && w > 0.05 ? 1 + 2.5 * w : 1.2, back ? 0.3 : 0.85, back);
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
    for (let i = 0; i < m; i++) arrow(f, X(i), Y(i), vecs[i][0] * k, vecs[i][1] * k, FORCE, 1.5, behind(i) ? 0.3 : 0.85);
  }
  if (an) {
    // Alignment's pull is 2 (I - z z^T) z+: the same direction as NT-Xent's, only its size differs,
    // and arrows are scaled to the largest anyway.
    const pull = projectVector(aff, an.pull);
    const pushArrows = negatives.slice().sort((p, q) => q.p - p.p).slice(0, MAX_PUSH_ARROWS).map((g) => projectVector(aff, g.push));
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
}

function describeRow(row: number, batch: NonNullable<Snapshot['batch']>, a: BatchAnalysis, classNames: string[], pushes: boolean): string {
  const n = batch.n;
  const an = a.analysis;
  const what = `view ${row < n ? 1 : 2} of image ${row % n + 1}, ${classNames[batch.labels[row]] ?? batch.labels[row]}`;
  if (row === an.anchor) return `${what}: the anchor`;
  if (row === partnerOf(an.anchor, n)) return pushes ? `${what}: the positive, s = ${an.posSim.toFixed(2)}, p+ = ${an.pPos.toFixed(3)}` : `${what}: the positive, s = ${an.posSim.toFixed(2)}`;
  if (!pushes) return `${what}: another image; nothing pushes it away under this loss (click to make it the anchor)`;
  const g = an.negatives.find((x) => x.index === row);
  return g ? `${what}: negative, s = ${g.sim.toFixed(2)}, p = ${g.p.toFixed(3)} (click to make it the anchor)` : what;
}

function renormalise(z: Float32Array, n: number, dim: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += z[i * dim + d] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) z[i * dim + d] *= inv;
  }
}

/** The x, y of projected points (x, y, depth per row): where each point is on screen. */
function unitXY(pts: Float32Array, n: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) { out[2 * i] = pts[3 * i]; out[2 * i + 1] = pts[3 * i + 1]; }
  return out;
}

/** PCA outliers sit at the rim rather than shrinking everyone else. */
const clampUnit = (v: number) => Math.max(-1.1, Math.min(1.1, v));
