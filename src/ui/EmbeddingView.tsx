// The embedding space: the display set's points (dimension 2 on the unit circle, 3 on a
// sphere you can turn by dragging, higher through an orientation-stable PCA), the current
// batch as ringed points projected the same way, and the selected anchor's forces: the pull
// toward its positive and each negative's push, tangent to the sphere, sized by weight.
// Points glide between snapshots; everything is drawn on one canvas by requestAnimationFrame.
// This component holds the state and the frame; drawing, the batch layer, the pointer, the
// caption and its controls, and the glide live in their own modules.

import { useEffect, useRef, useState } from 'react';
import { alignmentForces } from '../core/contrastMath';
import { normalizeRows } from '../core/knn';
import {
  circleAffine,
  lerpAffine,
  pcaAffine,
  projectPoints,
  sphereAffine,
  viewModeFor,
  type Affine,
} from '../core/viewProjection';
import type { Projection } from '../core/pca';
import type { Ready, Snapshot } from '../protocol';
import {
  beginFrame,
  clampUnit,
  drawCircle,
  drawSphere,
  dot,
  frameSignature,
  pointRadius,
  ring,
  unitShare,
} from './embeddingDraw';
import { drawBatch } from './embeddingBatchDraw';
import { EmbeddingCaption, type FlatProjection } from './EmbeddingCaption';
import { anchorAfterKey, anchorAnnouncement } from './embeddingKeys';
import { describeRow } from './embeddingPick';
import { registerEmbeddingCanvas } from './embeddingPicture';
import { colouring } from './factorColours';
import { hasNegatives } from './lossNames';
import { setPlayground, usePlayground } from './playgroundStore';
import { allForces, anchorAnalysis } from './anchorAnalysis';
import { useEmbeddingPointer } from './useEmbeddingPointer';
import { useGlide } from './useGlide';
import { useUmap } from './useUmap';
import { drawCaptionPoints } from './clip/captionMarks';
import './playground.css';

interface Props {
  snapshot: Snapshot | null;
  dim: number;
  temperature: number;
  classNames: string[];
  factors?: Ready['factors'];
  /** A search query's z (a drawing, a clicked image), marked among the points. */
  queryZ?: Float32Array | null;
  /** CLIP: one caption embedding per display point (same order), drawn as hollow squares. */
  captionPoints?: Float32Array | null;
}

/** The shown points are unit vectors: a PCA cloud narrower than this is drawn small, so a
 *  collapse (alignment without negatives) is seen shrinking instead of being zoomed back up. */
const MIN_PCA_RADIUS = 0.15;

export function EmbeddingView({ snapshot, dim, temperature, classNames, factors, queryZ, captionPoints }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { anchor, colourBy, showAllForces, markers } = usePlayground();
  const [announced, setAnnounced] = useState('');
  const display = snapshot?.display ?? null;
  const batch = snapshot?.batch ?? null;
  const mode = viewModeFor(dim);
  const { factor, legend, colourOf } = colouring(factors, classNames, colourBy);
  // Without negatives (alignment only) there is no push to draw.
  const pushes = hasNegatives(snapshot?.lossId ?? 'ntxent');
  const analysis = anchorAnalysis(batch, dim, temperature, anchor);
  const [projection, setProjection] = useState<FlatProjection>('pca');
  const umapOn = mode === 'pca' && projection === 'umap';
  const umap = useUmap(display, dim, umapOn);
  // The UMAP layout replaces PCA once it exists (until then PCA stays, captioned "computing").
  const umapXY = umapOn && display && umap.layout?.length === 2 * display.labels.length ? umap.layout : null;

  // Everything the animation loop reads lives in one ref, so a frame never waits on React.
  const live = useRef({
    affFrom: null as Affine | null,
    affTo: null as Affine | null,
    pca: null as Projection | null,
    yaw: -0.6,
    pitch: 0.35,
    shown: null as Float32Array | null,
    shownAff: null as Affine | null,
    batchXY: null as Float32Array | null,
    raf: 0,
    draw: () => {},
    // Unit-disk x, y of the last frame, so a new UMAP layout glides in from what is on screen.
    shownXY: null as Float32Array | null,
  });
  const L = live.current;
  const pointer = useEmbeddingPointer(canvasRef, L, mode);
  const hover = pointer.hover;

  // A new display set glides from what is on screen now; a new UMAP layout from the points as
  // drawn (PCA or the previous layout).
  const glide = useGlide(display?.embeddings ?? null, () => L.shown);
  const umapGlide = useGlide(umapXY, () => L.shownXY);

  // A new display set in PCA mode: its axes, which glide along with the points.
  useEffect(() => {
    if (!display) return;
    if (mode === 'pca') {
      const { affine, projection } = pcaAffine(display.embeddings, display.labels.length, dim, L.pca, MIN_PCA_RADIUS);
      L.pca = projection;
      L.affFrom = L.shownAff && L.shownAff.mode === 'pca' && L.shownAff.rows[0].length === dim ? L.shownAff : affine;
      L.affTo = affine;
    } else {
      L.pca = null;
    }
  }, [display, dim, mode, L]);

  // The frame itself, rebuilt each render so it sees the latest props.
  L.draw = () => {
    const canvas = canvasRef.current;
    if (!canvas || !display) return;
    const now = performance.now();
    if (umapXY) {
      drawUmap(canvas, now);
      return;
    }
    const g = glide(now);
    if (!g) return;
    const n = display.labels.length;
    // Between two unit vectors the straight line dips inside the sphere: back onto it.
    const cur = mode !== 'pca' ? normalizeRows(g.cur, n, dim) : g.cur;
    L.shown = cur;
    const aff =
      mode === 'circle'
        ? circleAffine()
        : mode === 'sphere'
          ? sphereAffine(L.yaw, L.pitch)
          : lerpAffine(L.affFrom!, L.affTo!, g.e);
    L.shownAff = aff;
    const f = beginFrame(canvas, unitShare(mode));
    if (mode === 'circle') drawCircle(f);
    if (mode === 'sphere') drawSphere(f, aff);
    const pts = projectPoints(aff, cur, n, dim);
    const size = pointRadius(f);
    const values = factor ? factor.displayValues : display.labels;
    // Back-facing points first, faint and small, so the front hemisphere reads on top.
    for (const front of mode === 'sphere' ? [false, true] : [true]) {
      for (let i = 0; i < n; i++) {
        const z = pts[3 * i + 2];
        if (mode === 'sphere' && z >= 0 !== front) continue;
        const a = mode === 'sphere' ? (front ? 0.55 + 0.35 * z : 0.18) : 0.7;
        dot(
          f,
          clampUnit(pts[3 * i]),
          clampUnit(pts[3 * i + 1]),
          front ? size : size * 0.8,
          colourOf(values[i]),
          a,
          markers ? values[i] : -1,
        );
      }
    }
    const captions = captionPoints && captionPoints.length === n * dim ? captionPoints : null;
    if (captions) drawCaptionPoints(f, aff, captions, n, dim, size, colourOf, values, mode === 'sphere');
    if (batch && batch.embeddings.length === 2 * batch.n * dim) {
      const bf = snapshot?.batchFactors;
      const bValues =
        factor && bf && bf[Math.min(colourBy, bf.length - 1)]?.length === 2 * batch.n
          ? bf[Math.min(colourBy, bf.length - 1)]
          : batch.labels;
      const forces = !showAllForces
        ? null
        : pushes
          ? allForces(batch, dim, temperature)
          : alignmentForces({ z: batch.embeddings, n: batch.n, dim });
      L.batchXY = drawBatch(
        f,
        aff,
        batch,
        dim,
        bValues,
        colourOf,
        analysis,
        forces,
        size,
        mode,
        hover?.row ?? -1,
        pushes,
        markers,
      );
    } else {
      L.batchXY = null;
    }
    if (queryZ && queryZ.length === dim) {
      const q = projectPoints(aff, queryZ, 1, dim);
      const qx = clampUnit(q[0]),
        qy = clampUnit(q[1]);
      dot(f, qx, qy, size * 1.6, '#111', 0.95);
      ring(f, qx, qy, size * 3, '#e8590c', 2.5);
      canvas.dataset.queryMarked = 'true';
    } else {
      delete canvas.dataset.queryMarked;
    }
    canvas.dataset.frameSum = frameSignature(pts, n, 3);
    canvas.dataset.glide = g.done ? 'still' : 'moving';
    L.shownXY = unitXY(pts, n);
    if (!g.done) L.raf = requestAnimationFrame(() => L.draw());
  };

  // UMAP mode: the display set alone. Batch rings and forces need a projection of tangent
  // vectors, which UMAP (a non-linear layout, computed once) does not have.
  const drawUmap = (canvas: HTMLCanvasElement, now: number) => {
    const g = umapGlide(now);
    if (!g) return;
    const cur = g.cur;
    const n = cur.length / 2;
    L.shownXY = cur;
    L.batchXY = null;
    const f = beginFrame(canvas, unitShare('pca'));
    const size = pointRadius(f);
    const values = factor ? factor.displayValues : display!.labels;
    for (let i = 0; i < n; i++)
      dot(
        f,
        clampUnit(cur[2 * i]),
        clampUnit(cur[2 * i + 1]),
        size,
        colourOf(values[i]),
        0.7,
        markers ? values[i] : -1,
      );
    canvas.dataset.frameSum = frameSignature(cur, n, 2);
    canvas.dataset.glide = g.done ? 'still' : 'moving';
    if (!g.done) L.raf = requestAnimationFrame(() => L.draw());
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
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(L.raf);
      L.raf = requestAnimationFrame(() => L.draw());
    });
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [L]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    if (!batch || umapXY || e.ctrlKey || e.metaKey || e.altKey) return;
    const row = anchorAfterKey(e.key, analysis?.analysis.anchor ?? anchor, 2 * batch.n);
    if (row === null) return;
    // The page's own keys (right arrow: one step) must not act on a key the view took.
    e.preventDefault();
    e.stopPropagation();
    setPlayground({ anchor: row });
    setAnnounced(anchorAnnouncement(row, batch.n, batch.labels, classNames));
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
          aria-label={
            umapXY
              ? `Embedding space of ${display?.labels.length ?? 0} held-out images, laid out by UMAP (computed at step ${umap.step}); the batch and its forces are shown in PCA mode`
              : `Embedding space of ${display?.labels.length ?? 0} held-out images${dim > 3 ? ', projected by PCA' : dim === 3 ? ' on the unit sphere' : ' on the unit circle'}; the batch's points are ringed; click one, or use the arrow keys, to make it the anchor`
          }
          tabIndex={0}
          onKeyDown={onKeyDown}
          title={
            umapXY
              ? 'UMAP layout of the held-out images; switch Projection to PCA to see the batch and its forces.'
              : mode === 'sphere'
                ? 'Drag to turn the sphere; click a ringed batch point to make it the anchor.'
                : 'Click a ringed batch point to make it the anchor.'
          }
          className={hover ? 'ev-pointing' : mode === 'sphere' ? 'ev-grab' : ''}
          onPointerDown={pointer.onPointerDown}
          onPointerMove={pointer.onPointerMove}
          onPointerUp={pointer.onPointerUp}
          onPointerLeave={pointer.onPointerLeave}
        />
        <p className="visually-hidden" aria-live="polite" data-testid="anchor-announcement">
          {announced}
        </p>
        {hoverText && (
          <div className="ev-tip" style={{ left: hover!.x + 12, top: hover!.y + 12 }} role="status">
            {hoverText}
          </div>
        )}
      </div>
      <EmbeddingCaption
        factors={factor ? factors : undefined}
        legend={legend}
        colourOf={colourOf}
        mode={mode}
        dim={dim}
        projection={projection}
        onProjection={setProjection}
        umap={umap}
        umapOn={umapOn}
        umapShown={!!umapXY}
        hasDisplay={!!display}
        pushes={pushes}
        queryShown={!!queryZ}
        captionsShown={!!captionPoints}
        rowsN={rowsN}
      />
    </figure>
  );
}

/** The x, y of projected points (x, y, depth per row): where each point is on screen. */
function unitXY(pts: Float32Array, n: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = pts[3 * i];
    out[2 * i + 1] = pts[3 * i + 1];
  }
  return out;
}
