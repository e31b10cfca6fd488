// The embedding space of the display set, drawn on a canvas: dimension 2 as is (points on the
// unit circle), higher dimensions through an orientation-stable PCA. Points glide from one
// snapshot to the next.

import { useEffect, useRef } from 'react';
import { pca2, project, type Projection } from '../core/pca';
import type { Snapshot } from '../protocol';
import { classColor } from './palette';

interface Props {
  display: Snapshot['display'];
  dim: number;
  classNames: string[];
}

const GLIDE_MS = 250;

export function Scatter({ display, dim, classNames }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const projRef = useRef<Projection | null>(null);
  const fromRef = useRef<Float32Array | null>(null);
  const shownRef = useRef<Float32Array | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !display) return;
    const n = display.labels.length;
    let target: Float32Array;
    if (dim === 2) {
      target = display.embeddings.slice(0, n * 2);
    } else {
      projRef.current = pca2(display.embeddings, n, dim, projRef.current?.mean.length === dim ? projRef.current : null);
      target = project(display.embeddings, n, dim, projRef.current);
      // Scale so the bulk of the cloud fills the view whatever the spread; a few outliers
      // may sit at the edge rather than shrinking everyone else.
      const radii = Array.from({ length: n }, (_, i) => Math.hypot(target[2 * i], target[2 * i + 1])).sort((a, b) => a - b);
      const r = Math.max(1e-6, radii[Math.floor(0.97 * (n - 1))]);
      for (let i = 0; i < target.length; i++) target[i] = Math.max(-1.08, Math.min(1.08, target[i] / r));
    }
    const from = shownRef.current && shownRef.current.length === target.length ? shownRef.current.slice() : target;
    fromRef.current = from;
    const start = performance.now();
    let raf = 0;
    const frame = (now: number) => {
      const t = Math.min(1, (now - start) / GLIDE_MS);
      const e = t * (2 - t);
      const cur = new Float32Array(target.length);
      for (let i = 0; i < cur.length; i++) cur[i] = from[i] + (target[i] - from[i]) * e;
      shownRef.current = cur;
      draw(canvas, cur, display.labels, dim === 2);
      if (t < 1) raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, [display, dim]);

  return (
    <figure className="panel scatter">
      <canvas ref={canvasRef} role="img" aria-label={`Embedding space of ${display?.labels.length ?? 0} held-out images${dim > 2 ? ', projected by PCA' : ''}`} />
      <figcaption>
        <span className="legend">
          {classNames.map((c, k) => (
            <span key={c} className="legend-item"><i style={{ background: classColor(k) }} />{c}</span>
          ))}
        </span>
        <span className="muted">{dim === 2 ? 'z on the unit circle' : `PCA of the ${dim}-D embedding`}</span>
      </figcaption>
    </figure>
  );
}

function draw(canvas: HTMLCanvasElement, xy: Float32Array, labels: Int32Array, circle: boolean): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const cx = w / 2, cy = h / 2, r = Math.min(w, h) * 0.44;
  if (circle) {
    ctx.strokeStyle = '#ccc';
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, 2 * Math.PI);
    ctx.stroke();
  }
  const dot = Math.max(2.5, Math.min(w, h) / 160);
  for (let i = 0; i < labels.length; i++) {
    ctx.fillStyle = classColor(labels[i]);
    ctx.globalAlpha = 0.85;
    ctx.beginPath();
    ctx.arc(cx + xy[2 * i] * r, cy - xy[2 * i + 1] * r, dot, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}
