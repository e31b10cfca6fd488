// A few anchors' two augmented views, as the encoder saw them in the last step.

import { useEffect, useRef } from 'react';
import type { ViewPairs as Pairs } from '../protocol';

export function ViewPairs({ views }: { views: Pairs | null }) {
  if (!views) return null;
  const pairs = Array.from({ length: views.count }, (_, k) => k);
  return (
    <section className="panel pairs" aria-label="Augmented views">
      <h2>Positive pairs in this batch</h2>
      <div className="pair-grid">
        {pairs.map((k) => (
          <div key={k} className="pair">
            <ImageTile views={views} index={2 * k} label={`anchor ${k + 1}, view 1`} />
            <ImageTile views={views} index={2 * k + 1} label={`anchor ${k + 1}, view 2`} />
          </div>
        ))}
      </div>
    </section>
  );
}

export function ImageTile({ views, index, label }: { views: Pairs; index: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const { width: w, height: h, channels: ch, pixels } = views;
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(w, h);
    const off = index * w * h * ch;
    for (let p = 0; p < w * h; p++) {
      for (let k = 0; k < 3; k++) img.data[4 * p + k] = pixels[off + p * ch + (ch === 3 ? k : 0)];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [views, index]);
  return <canvas ref={ref} className="tile" role="img" aria-label={label} />;
}
