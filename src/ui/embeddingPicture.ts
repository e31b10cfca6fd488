// The embedding view as a picture to keep: what is on its canvas, on white (the canvas itself is
// transparent), with a title line and the colour legend, which live outside the canvas on the page.

/** The embedding view's canvas, registered by EmbeddingView so the export panel can reach it
 *  without the two components knowing each other. */
let current: HTMLCanvasElement | null = null;

export function registerEmbeddingCanvas(c: HTMLCanvasElement | null): void {
  current = c;
}

export function embeddingCanvas(): HTMLCanvasElement | null {
  return current;
}

export interface PictureText {
  title: string;
  legend: { label: string; colour: string }[];
}

const PAD = 16,
  TITLE = 18,
  LEGEND = 14,
  DOT = 6,
  ROW = 22;

/** Lays the legend out in rows no wider than `width` (CSS pixels); returns each item's x, row. */
function legendRows(
  ctx: CanvasRenderingContext2D,
  items: PictureText['legend'],
  width: number,
): { x: number; row: number }[] {
  let x = 0,
    row = 0;
  return items.map((it) => {
    const w = 2 * DOT + 6 + ctx.measureText(it.label).width + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    const at = { x, row };
    x += w;
    return at;
  });
}

export function embeddingPicture(canvas: HTMLCanvasElement, text: PictureText): Promise<Blob> {
  const dpr = canvas.width / Math.max(1, canvas.clientWidth);
  const w = canvas.clientWidth,
    h = canvas.clientHeight;
  const out = document.createElement('canvas');
  const ctx0 = out.getContext('2d')!;
  ctx0.font = `${LEGEND}px system-ui, sans-serif`;
  const rows = legendRows(ctx0, text.legend, w - 2 * PAD);
  const legendH = text.legend.length ? (Math.max(...rows.map((r) => r.row)) + 1) * ROW : 0;
  const titleH = TITLE + 2 * PAD;
  out.width = Math.round(w * dpr);
  out.height = Math.round((titleH + h + legendH + PAD) * dpr);
  const ctx = out.getContext('2d')!;
  ctx.scale(dpr, dpr);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, titleH + h + legendH + PAD);
  ctx.fillStyle = '#1d2330';
  ctx.font = `600 ${TITLE}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(text.title, PAD, PAD + TITLE / 2, w - 2 * PAD);
  ctx.drawImage(canvas, 0, titleH, w, h);
  ctx.font = `${LEGEND}px system-ui, sans-serif`;
  text.legend.forEach((it, k) => {
    const x = PAD + rows[k].x,
      y = titleH + h + rows[k].row * ROW + ROW / 2;
    ctx.fillStyle = it.colour;
    ctx.beginPath();
    ctx.arc(x + DOT, y, DOT, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#1d2330';
    ctx.fillText(it.label, x + 2 * DOT + 6, y);
  });
  return new Promise((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'),
  );
}
