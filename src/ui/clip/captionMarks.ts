// Caption points in the embedding view: hollow squares, so a caption never reads as an image
// (filled dots) or a batch point (rings), drawn with the projection the images use.

import { projectPoints, type Affine } from '../../core/viewProjection';
import { clampUnit, sx, sy, type Frame } from '../embeddingDraw';

export function drawCaptionPoints(
  f: Frame,
  aff: Affine,
  emb: Float32Array,
  n: number,
  dim: number,
  size: number,
  colourOf: (v: number) => string,
  values: ArrayLike<number>,
  sphere: boolean,
): void {
  const pts = projectPoints(aff, emb, n, dim);
  const { ctx } = f;
  const s = size * 1.1;
  ctx.lineWidth = 1.4;
  for (let i = 0; i < n; i++) {
    const z = pts[3 * i + 2];
    ctx.globalAlpha = sphere ? (z >= 0 ? 0.85 : 0.25) : 0.85;
    ctx.strokeStyle = colourOf(values[i]);
    ctx.strokeRect(sx(f, clampUnit(pts[3 * i])) - s, sy(f, clampUnit(pts[3 * i + 1])) - s, 2 * s, 2 * s);
  }
  ctx.globalAlpha = 1;
}
