// One augmented view from a batch's pixels, drawn at native size and scaled up by CSS
// (pixelated), so what is shown is exactly what the encoder saw.

import { useEffect, useRef } from 'react';
import type { ViewPairs } from '../protocol';

/** Image slot of batch row `row` in views interleaved [a0, b0, a1, b1, ...], or -1 if not sent. */
export function viewSlot(row: number, n: number, views: ViewPairs | null | undefined): number {
  if (!views) return -1;
  const pair = row % n;
  return pair < views.count ? 2 * pair + (row < n ? 0 : 1) : -1;
}

export function ViewImage({
  views,
  slot,
  label,
  className = 'tp-img',
}: {
  views: ViewPairs | null | undefined;
  slot: number;
  label: string;
  className?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c || !views || slot < 0) return;
    const { width: w, height: h, channels: ch, pixels } = views;
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(w, h);
    const off = slot * w * h * ch;
    for (let p = 0; p < w * h; p++) {
      for (let k = 0; k < 3; k++) img.data[4 * p + k] = pixels[off + p * ch + (ch === 3 ? k : 0)];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [views, slot]);
  if (!views || slot < 0)
    return (
      <div className="tp-noimg" role="img" aria-label={`${label} (pixels not sent for this row)`}>
        no pixels
      </div>
    );
  return <canvas ref={ref} className={className} role="img" aria-label={label} />;
}
