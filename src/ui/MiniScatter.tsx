// The batch's 2N points before (and after) one update, for slow motion: the same 2-D
// projection for both (PCA of both sets together, or the circle itself at dim 2), so what
// moves on screen is what the update moved. Optional arrows: the force on each point.

import { useEffect, useMemo, useRef } from 'react';
import { pca2, project, type Projection } from '../core/pca';
import { classColor } from './palette';

interface Props {
  before: Float32Array;
  after: Float32Array | null;
  rows: number;
  dim: number;
  labels: Int32Array;
  /** rows * dim force vectors to draw as arrows from the "before" points, or null. */
  forces: Float64Array | null;
  label: string;
}

function projection(points: Float32Array, rows: number, dim: number): Projection {
  if (dim === 2) return { axes: [Float64Array.of(1, 0), Float64Array.of(0, 1)], mean: new Float64Array(2) };
  return pca2(points, rows, dim, null);
}

export function MiniScatter({ before, after, rows, dim, labels, forces, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const view = useMemo(() => {
    const both = after ? new Float32Array(before.length + after.length) : before;
    if (after) {
      both.set(before);
      both.set(after, before.length);
    }
    const p = projection(both, after ? 2 * rows : rows, dim);
    const b = project(before, rows, dim, p);
    const a = after ? project(after, rows, dim, p) : null;
    let r = dim === 2 ? 1 : 1e-6;
    if (dim !== 2)
      for (const v of [b, a]) if (v) for (let i = 0; i < v.length; i += 2) r = Math.max(r, Math.hypot(v[i], v[i + 1]));
    // Arrows: the linear part of the projection (directions have no mean), scaled so the
    // longest is a fixed share of the plot; their lengths compare within one picture only.
    let arrows: Float32Array | null = null;
    if (forces) {
      arrows = new Float32Array(2 * rows);
      let longest = 1e-12;
      for (let i = 0; i < rows; i++) {
        let x = 0,
          y = 0;
        for (let d = 0; d < dim; d++) {
          x += forces[i * dim + d] * p.axes[0][d];
          y += forces[i * dim + d] * p.axes[1][d];
        }
        arrows[2 * i] = x;
        arrows[2 * i + 1] = y;
        longest = Math.max(longest, Math.hypot(x, y));
      }
      for (let i = 0; i < arrows.length; i++) arrows[i] = (arrows[i] / longest) * 0.25;
    }
    return { b, a, r, arrows };
  }, [before, after, rows, dim, forces]);

  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    c.width = c.height = Math.round(w * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, w);
    const R = w * 0.44,
      cx = w / 2,
      cy = w / 2;
    const X = (v: number) => cx + (v / view.r) * R,
      Y = (v: number) => cy - (v / view.r) * R;
    if (dim === 2) {
      ctx.strokeStyle = '#ccc';
      ctx.beginPath();
      ctx.arc(cx, cy, R, 0, 2 * Math.PI);
      ctx.stroke();
    }
    const dot = Math.max(2.5, w / 110);
    const { b, a, arrows } = view;
    if (a) {
      ctx.strokeStyle = 'rgba(60,60,60,0.5)';
      ctx.lineWidth = 1;
      for (let i = 0; i < rows; i++) {
        ctx.beginPath();
        ctx.moveTo(X(b[2 * i]), Y(b[2 * i + 1]));
        ctx.lineTo(X(a[2 * i]), Y(a[2 * i + 1]));
        ctx.stroke();
      }
    }
    for (let i = 0; i < rows; i++) {
      ctx.strokeStyle = classColor(labels[i]);
      ctx.fillStyle = classColor(labels[i]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(X(b[2 * i]), Y(b[2 * i + 1]), dot, 0, 2 * Math.PI);
      if (a) ctx.stroke();
      else ctx.fill();
      if (a) {
        ctx.beginPath();
        ctx.arc(X(a[2 * i]), Y(a[2 * i + 1]), dot, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    if (arrows) {
      ctx.strokeStyle = '#c0392b';
      ctx.fillStyle = '#c0392b';
      ctx.lineWidth = 1.5;
      for (let i = 0; i < rows; i++) {
        const x0 = X(b[2 * i]),
          y0 = Y(b[2 * i + 1]);
        const dx = arrows[2 * i] * R,
          dy = -arrows[2 * i + 1] * R;
        const len = Math.hypot(dx, dy);
        if (len < 1) continue;
        const x1 = x0 + dx,
          y1 = y0 + dy,
          ux = dx / len,
          uy = dy / len,
          head = Math.min(6, len / 2);
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(x1 - head * ux + head * 0.5 * uy, y1 - head * uy - head * 0.5 * ux);
        ctx.lineTo(x1 - head * ux - head * 0.5 * uy, y1 - head * uy + head * 0.5 * ux);
        ctx.fill();
      }
    }
  }, [view, rows, dim, labels]);

  return <canvas ref={ref} className="mini-scatter" role="img" aria-label={label} />;
}
