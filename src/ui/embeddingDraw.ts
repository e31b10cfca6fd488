// Canvas drawing for the embedding view: the unit circle or sphere, points, rings, arrows.
// Takes screen-ready numbers and draws; knows nothing about training or React.

import type { Affine, ViewMode } from '../core/viewProjection';
import { traceMarker } from './markers';

export const INK = '#1d2330';
export const PULL = '#107a30';
export const PUSH = '#d1352b';
export const FORCE = '#2b2f3a';

export interface Frame {
  ctx: CanvasRenderingContext2D;
  w: number;
  h: number;
  cx: number;
  cy: number;
  /** Pixels per unit of projected space. */
  r: number;
}

/** Sizes the canvas backing store to its CSS box at the device pixel ratio and clears it. */
export function beginFrame(canvas: HTMLCanvasElement, unitShare: number): Frame {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth,
    h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h, cx: w / 2, cy: h / 2, r: Math.min(w, h) * unitShare };
}

export const sx = (f: Frame, x: number) => f.cx + x * f.r;
export const sy = (f: Frame, y: number) => f.cy - y * f.r;

export function drawCircle(f: Frame): void {
  const { ctx } = f;
  ctx.strokeStyle = '#c5cad3';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.arc(f.cx, f.cy, f.r, 0, 2 * Math.PI);
  ctx.stroke();
}

/** The sphere's disc, and its equator and four meridians: solid in front, dotted behind. */
export function drawSphere(f: Frame, a: Affine): void {
  const { ctx } = f;
  const g = ctx.createRadialGradient(f.cx - f.r * 0.35, f.cy - f.r * 0.35, f.r * 0.1, f.cx, f.cy, f.r);
  g.addColorStop(0, '#ffffff');
  g.addColorStop(1, '#eef1f6');
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.arc(f.cx, f.cy, f.r, 0, 2 * Math.PI);
  ctx.fill();
  ctx.strokeStyle = '#b9c0cc';
  ctx.lineWidth = 1.5;
  ctx.stroke();
  const circles: ((t: number) => [number, number, number])[] = [(t) => [Math.cos(t), 0, Math.sin(t)]];
  for (let k = 0; k < 4; k++) {
    const phi = (k * Math.PI) / 4;
    circles.push((t) => [Math.cos(t) * Math.cos(phi), Math.sin(t), Math.cos(t) * Math.sin(phi)]);
  }
  ctx.lineWidth = 1;
  for (const c of circles) {
    for (const front of [false, true]) {
      ctx.strokeStyle = front ? '#cfd5de' : '#e3e7ed';
      ctx.setLineDash(front ? [] : [2, 4]);
      ctx.beginPath();
      let pen = false;
      for (let s = 0; s <= 96; s++) {
        const v = c((s / 96) * 2 * Math.PI);
        const x = a.rows[0][0] * v[0] + a.rows[0][1] * v[1] + a.rows[0][2] * v[2];
        const y = a.rows[1][0] * v[0] + a.rows[1][1] * v[1] + a.rows[1][2] * v[2];
        const z = a.rows[2][0] * v[0] + a.rows[2][1] * v[1] + a.rows[2][2] * v[2];
        if (z >= 0 !== front) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(sx(f, x), sy(f, y));
        else ctx.moveTo(sx(f, x), sy(f, y));
        pen = true;
      }
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}

/** A point; `marker` (a class index) draws that class's shape instead of a disc. */
export function dot(f: Frame, x: number, y: number, radius: number, fill: string, alpha: number, marker = -1): void {
  const { ctx } = f;
  ctx.globalAlpha = alpha;
  ctx.fillStyle = fill;
  if (marker >= 0) traceMarker(ctx, marker, sx(f, x), sy(f, y), radius);
  else {
    ctx.beginPath();
    ctx.arc(sx(f, x), sy(f, y), radius, 0, 2 * Math.PI);
  }
  ctx.fill();
  ctx.globalAlpha = 1;
}

export function ring(
  f: Frame,
  x: number,
  y: number,
  radius: number,
  stroke: string,
  width: number,
  alpha = 1,
  dashed = false,
): void {
  const { ctx } = f;
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.setLineDash(dashed ? [3, 3] : []);
  ctx.beginPath();
  ctx.arc(sx(f, x), sy(f, y), radius, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

export function line(
  f: Frame,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  stroke: string,
  width: number,
  alpha: number,
): void {
  const { ctx } = f;
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(sx(f, x0), sy(f, y0));
  ctx.lineTo(sx(f, x1), sy(f, y1));
  ctx.stroke();
  ctx.globalAlpha = 1;
}

/** An arrow from (x, y) along screen vector (dx, dy) given in pixels (y up). */
export function arrow(
  f: Frame,
  x: number,
  y: number,
  dx: number,
  dy: number,
  color: string,
  width: number,
  alpha = 1,
): void {
  const len = Math.hypot(dx, dy);
  if (len < 1.5) return;
  const { ctx } = f;
  const x0 = sx(f, x),
    y0 = sy(f, y);
  const x1 = x0 + dx,
    y1 = y0 - dy;
  const ux = dx / len,
    uy = -dy / len;
  const head = Math.min(len * 0.45, 5 + 2.2 * width);
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1 - ux * head * 0.6, y1 - uy * head * 0.6);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - ux * head - uy * head * 0.5, y1 - uy * head + ux * head * 0.5);
  ctx.lineTo(x1 - ux * head + uy * head * 0.5, y1 - uy * head - ux * head * 0.5);
  ctx.closePath();
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.lineCap = 'butt';
}

/** Share of the canvas's shorter side the unit disk's radius takes: a PCA cloud may reach past
 *  the disk (clamped at 1.1), so it gets a little more room. */
export const unitShare = (mode: ViewMode) => (mode === 'pca' ? 0.4 : 0.44);

/** The dot radius, in CSS pixels, for a frame: larger on a large canvas, never too small to see. */
export const pointRadius = (f: Pick<Frame, 'w' | 'h'>) => Math.max(2.5, Math.min(f.w, f.h) / 170);

/** PCA outliers sit at the rim rather than shrinking everyone else. */
export const clampUnit = (v: number) => Math.max(-1.1, Math.min(1.1, v));

/** A cheap signature of points on screen (x, y every `stride` values), so browser tests can
 *  see them move without reading pixels. */
export function frameSignature(xy: Float32Array, n: number, stride: number): string {
  let sig = 0;
  for (let i = 0; i < n; i++) sig += (xy[stride * i] + 2 * xy[stride * i + 1]) * ((i % 7) + 1);
  return String(Math.round(sig * 1000));
}
