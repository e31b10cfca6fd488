// The embedding canvas under the pointer: on the sphere a drag turns it, a hover names the batch
// point beneath, and a click (a press that did not drag) makes that point the anchor.

import { useRef, useState, type PointerEvent, type RefObject } from 'react';
import type { ViewMode } from '../core/viewProjection';
import { unitShare } from './embeddingDraw';
import { pickRow } from './embeddingPick';
import { setPlayground } from './playgroundStore';

/** The part of the view's animation state the pointer reads (the batch as drawn) and turns. */
export interface PointerTarget {
  yaw: number;
  pitch: number;
  batchXY: Float32Array | null;
  draw: () => void;
}

export interface Hover {
  row: number;
  x: number;
  y: number;
}

export function useEmbeddingPointer(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  live: PointerTarget,
  mode: ViewMode,
) {
  const [hover, setHover] = useState<Hover | null>(null);

  /** The batch row under the pointer (front-facing preferred on the sphere), or -1. */
  const pick = (px: number, py: number): number => {
    const canvas = canvasRef.current;
    const xy = live.batchXY;
    if (!canvas || !xy) return -1;
    const w = canvas.clientWidth,
      h = canvas.clientHeight;
    return pickRow(xy, { cx: w / 2, cy: h / 2, r: Math.min(w, h) * unitShare(mode) }, px, py, mode === 'sphere');
  };

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const local = (e: PointerEvent) => {
    const b = (e.target as HTMLElement).getBoundingClientRect();
    return [e.clientX - b.left, e.clientY - b.top] as const;
  };
  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
    if (mode === 'sphere') e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (d && mode === 'sphere') {
      const dx = e.clientX - d.x,
        dy = e.clientY - d.y;
      if (d.moved || Math.hypot(dx, dy) > 3) {
        d.moved = true;
        const k = Math.PI / Math.max(200, e.currentTarget.clientWidth);
        live.yaw += dx * k;
        live.pitch = Math.max(-1.5, Math.min(1.5, live.pitch + dy * k));
        d.x = e.clientX;
        d.y = e.clientY;
        live.draw();
        return;
      }
    }
    const [x, y] = local(e);
    const row = pick(x, y);
    setHover(row >= 0 ? { row, x, y } : null);
  };
  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d?.moved) return;
    const [x, y] = local(e);
    const row = pick(x, y);
    if (row >= 0) setPlayground({ anchor: row });
  };
  const onPointerLeave = () => setHover(null);

  return { hover, onPointerDown, onPointerMove, onPointerUp, onPointerLeave };
}
