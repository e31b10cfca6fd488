// Draws a square matrix as a heatmap on a canvas: one pixel per cell in an offscreen image,
// scaled up without smoothing (thousands of cells cost one drawImage, not thousands of rects),
// then the positives outlined and the two views' blocks separated.

export interface MatrixPicture {
  /** Cells to draw, rows x rows, row-major. */
  values: Float64Array;
  rows: number;
  /** Value -> CSS colour. NaN cells (the masked diagonal) are drawn grey. */
  color: (v: number) => string;
  /** Column of each row's positive (the other view), or -1. */
  positives: Int32Array;
  /** A row to highlight (the selected anchor), or -1. */
  highlight: number;
}

const rgbCache = new Map<string, [number, number, number]>();
function rgb(css: string): [number, number, number] {
  let c = rgbCache.get(css);
  if (c) return c;
  const m = css.match(/\d+(\.\d+)?/g)?.map(Number) ?? [0, 0, 0];
  // d3 interpolators give rgb(r, g, b); a hex string would need parsing, they never give one.
  c = [m[0], m[1], m[2]];
  if (rgbCache.size > 4096) rgbCache.clear();
  rgbCache.set(css, c);
  return c;
}

export function drawMatrix(canvas: HTMLCanvasElement, pic: MatrixPicture): void {
  const { values, rows, color, positives, highlight } = pic;
  const dpr = window.devicePixelRatio || 1;
  const size = Math.max(1, canvas.clientWidth);
  const px = Math.round(size * dpr);
  if (canvas.width !== px || canvas.height !== px) { canvas.width = px; canvas.height = px; }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, px, px);
  if (rows === 0) return;

  const off = document.createElement('canvas');
  off.width = off.height = rows;
  const octx = off.getContext('2d')!;
  const img = octx.createImageData(rows, rows);
  for (let k = 0; k < rows * rows; k++) {
    const v = values[k];
    const [r, g, b] = Number.isNaN(v) ? [200, 200, 200] : rgb(color(v));
    img.data[4 * k] = r; img.data[4 * k + 1] = g; img.data[4 * k + 2] = b; img.data[4 * k + 3] = 255;
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
      ctx.moveTo((c - 1) * cell, r * cell); ctx.lineTo((c - 1) * cell, (r + 1) * cell);
      ctx.moveTo((c + 2) * cell, r * cell); ctx.lineTo((c + 2) * cell, (r + 1) * cell);
    }
    ctx.stroke();
  }
  // The view 1 | view 2 block borders.
  ctx.strokeStyle = 'rgba(255,255,255,0.9)';
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(px / 2, 0); ctx.lineTo(px / 2, px);
  ctx.moveTo(0, px / 2); ctx.lineTo(px, px / 2);
  ctx.stroke();
  if (highlight >= 0) {
    ctx.strokeStyle = '#e08a00';
    ctx.lineWidth = 2 * dpr;
    ctx.strokeRect(1, highlight * cell, px - 2, Math.max(cell, 2 * dpr));
  }
}
