// The first few anchors' two augmented views, as the encoder saw them in the last step.

import { ViewImage } from './ViewImage';
import type { ViewPairs as Pairs } from '../protocol';

const SHOWN = 4;

export function ViewPairs({ views }: { views: Pairs | null }) {
  if (!views) return null;
  const pairs = Array.from({ length: Math.min(SHOWN, views.count) }, (_, k) => k);
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

/** One image of interleaved view pairs (index = 2 * pair + view). */
export function ImageTile({ views, index, label }: { views: Pairs; index: number; label: string }) {
  return <ViewImage views={views} slot={index} label={label} className="tile" />;
}
