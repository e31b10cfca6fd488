// Draws a square matrix as a heatmap on a canvas: one pixel per cell in an offscreen image,
// scaled up without smoothing (thousands of cells cost one drawImage, not thousands of rects),
// then the positives outlined and the two views' blocks separated.

import { rgb } from 'd3';

/** Value -> colour as a position on a colour ramp, so the ramp can be tabulated once. */
export interface ColourScale {
  /** Where a value sits on the ramp, 0..1 (clamped). */
  position: (v: number) => number;
  /** Position -> CSS colour (a d3 interpolator). */
  ramp: (t: number) => string;
}

export interface MatrixPicture {
  /** Cells to draw, rows x rows, row-major. */
  values: Float64Array;
  rows: number;
  /** NaN cells (the masked diagonal) are drawn grey. */
  colour: ColourScale;
  /** Column of each row's positive (the other view), or -1. */
  positives: Int32Array;
  /** A row to highlight (the selected anchor), or -1. */
  highlight: number;
}

const LEVELS = 256;
const GREY = 0xffc8c8c8; // ABGR: opaque rgb(200, 200, 200)
let offscreen: HTMLCanvasElement | null = null;
const tables = new WeakMap<(t: number) => string, Uint32Array>();

/** The ramp at 256 positions as opaque pixels, so a cell is a table lookup: formatting and
 *  parsing a CSS colour per cell would cost the main thread more than anything else it does
 *  while training. */
function rampTable(ramp: (t: number) => string): Uint32Array {
  let t = tables.get(ramp);
  if (!t) {
    t = new Uint32Array(LEVELS);
    for (let i = 0; i < LEVELS; i++) {
      const c = rgb(ramp(i / (LEVELS - 1)));
      // ImageData bytes are r, g, b, a; as a little-endian uint32 that is 0xAABBGGRR.
      t[i] = ((0xff << 24) | (Math.round(c.b) << 16) | (Math.round(c.g) << 8) | Math.round(c.r)) >>> 0;
    }
    tables.set(ramp, t);
  }
  return t;
}

export function drawMatrix(canvas: HTMLCanvasElement, pic: MatrixPicture): void {
  const { values, rows, colour, positives, highlight } = pic;
  const dpr = window.devicePixelRatio || 1;
  const size = Math.max(1, canvas.clientWidth);
  const px = Math.round(size * dpr);
  if (canvas.width !== px || canvas.height !== px) {
    canvas.width = px;
    canvas.height = px;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, px, px);
  if (rows === 0) return;

  // One offscreen canvas for every matrix: a new one per draw (several a second) would be garbage.
  offscreen ??= document.createElement('canvas');
  const off = offscreen;
  if (off.width !== rows) off.width = off.height = rows;
  const octx = off.getContext('2d')!;
  const img = octx.createImageData(rows, rows);
  const pixels = new Uint32Array(img.data.buffer);
  const table = rampTable(colour.ramp);
  const top = LEVELS - 1;
  for (let k = 0; k < rows * rows; k++) {
    const v = values[k];
    if (Number.isNaN(v)) {
      pixels[k] = GREY;
      continue;
    }
    const t = colour.position(v);
    pixels[k] = table[t <= 0 ? 0 : t >= 1 ? top : Math.round(t * top)];
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, px, px);

  const cell = px / rows;
  // Positives: outlined where a cell can hold an outline and still show its colour; in small
  // cells, thin guide lines run either side of the positive diagonals instead, so the
  // positive's own value (the thing to watch) is never painted over.
  ctx.strokeStyle = 'rgba(0,0,0,0.8)';
  ctx.lineWidth = Math.max(1, dpr);
  if (cell >= 4 * dpr) {
    for (let r = 0; r < rows; r++) {
      const c = positives[r];
      if (c >= 0) ctx.strokeRect(c * cell + 0.5, r * cell + 0.5, cell - 1, cell - 1);
    }
  } else {
    ctx.beginPath();
    for (let r = 0; r < rows; r++) {
      const c = positives[r];
      if (c < 0) continue;
      // Left and right of the cell, one cell away.
      ctx.moveTo((c - 1) * cell, r * cell);
      ctx.lineTo((c - 1) * cell, (r + 1) * cell);
      ctx.moveTo((c + 2) * cell, r * cell);
      ctx.lineTo((c + 2) * cell, (r + 1) * cell);
    }
    ctx.stroke();
  }
  // The view 1 | view 2 block borders.
  ctx.strokeStyle = 'rgba(255,255,255,0.9)';
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(px / 2, 0);
  ctx.lineTo(px / 2, px);
  ctx.moveTo(0, px / 2);
  ctx.lineTo(px, px / 2);
  ctx.stroke();
  if (highlight >= 0) {
    ctx.strokeStyle = '#e08a00';
    ctx.lineWidth = 2 * dpr;
    ctx.strokeRect(1, highlight * cell, px - 2, Math.max(cell, 2 * dpr));
  }
}
