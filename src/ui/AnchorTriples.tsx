// The selected anchor as the encoder saw it: its view, its positive (the other view of the
// same image) and the hardest negatives, each with cosine similarity and softmax weight at
// the slider's temperature. A negative of the anchor's own class is a false negative: the
// loss pushes it away although it is the same kind of thing.

import type { Snapshot } from '../protocol';
import { hasNegatives } from './lossNames';
import { setPlayground } from './playgroundStore';
import type { BatchAnalysis } from './anchorAnalysis';
import { viewSlot, ViewImage } from './ViewImage';

const HARDEST = 6;

interface Props {
  snapshot: Snapshot;
  a: BatchAnalysis;
  classNames: string[];
}

export function AnchorTriples({ snapshot, a, classNames }: Props) {
  const { batch, analysis: an } = a;
  const n = batch.n;
  const views = snapshot.batchViews ?? null;
  // Label -1: a query the user made the anchor (a drawing or a clicked image).
  const name = (row: number) =>
    batch.labels[row] < 0 ? 'your query' : (classNames[batch.labels[row]] ?? String(batch.labels[row]));
  const who = (row: number) => `view ${row < n ? 1 : 2} of image ${(row % n) + 1}`;
  const step = (d: number) => setPlayground({ anchor: (an.anchor + d + 2 * n) % (2 * n) });
  const maxP = Math.max(an.pPos, ...an.negatives.map((g) => g.p));
  // Alignment only: no softmax, so no weights; the term is the squared distance 2 - 2 s+.
  const pushes = hasNegatives(snapshot.lossId);
  return (
    <section className="panel tp" aria-label="Anchor, positive and hardest negatives" data-testid="triples">
      <div className="tp-head">
        <h2>Anchor and its negatives</h2>
        <div className="tp-nav">
          <button onClick={() => step(-1)} aria-label="Previous anchor" title="Make the previous batch row the anchor.">
            ◀
          </button>
          <span className="muted" data-testid="anchor-row">
            row {an.anchor + 1} of {2 * n}
          </span>
          <button onClick={() => step(1)} aria-label="Next anchor" title="Make the next batch row the anchor.">
            ▶
          </button>
        </div>
      </div>
      <div className="tp-body">
        <div className="tp-pair">
          <figure className="tp-card tp-anchor" data-testid="triple-anchor">
            <ViewImage views={views} slot={viewSlot(an.anchor, n, views)} label={`Anchor: ${who(an.anchor)}`} />
            <figcaption>
              <b>Anchor</b>
              <span>
                {name(an.anchor)} · {who(an.anchor)}
              </span>
            </figcaption>
          </figure>
          <figure className="tp-card tp-positive" data-testid="triple-positive">
            <ViewImage views={views} slot={viewSlot(an.positive, n, views)} label={`Positive: ${who(an.positive)}`} />
            <figcaption>
              <b>Positive</b>
              <span>
                s = <span data-testid="positive-sim">{an.posSim.toFixed(2)}</span>
              </span>
              {pushes && (
                <span>
                  p<sub>+</sub> = <span data-testid="p-positive">{fmtP(an.pPos)}</span>
                </span>
              )}
              {pushes && <Bar share={an.pPos / maxP} kind="pull" />}
            </figcaption>
          </figure>
          {pushes ? (
            <div
              className="tp-loss"
              title="This anchor's loss term, -log p+: zero when all the weight is on the positive."
            >
              <span className="muted">loss term</span>
              <strong data-testid="anchor-loss">{an.loss.toFixed(3)}</strong>
              <span className="muted">
                = −log p<sub>+</sub>
              </span>
            </div>
          ) : (
            <div
              className="tp-loss"
              title="This anchor's alignment term, the squared distance to its positive: zero when the two views coincide."
            >
              <span className="muted">loss term</span>
              <strong data-testid="anchor-loss">{(2 - 2 * an.posSim).toFixed(3)}</strong>
              <span className="muted">= 2 − 2s</span>
            </div>
          )}
        </div>
        <div className="tp-negblock">
          <h3 className="tp-sub">
            {pushes ? (
              <>
                {HARDEST} hardest of {an.negatives.length} negatives <span className="muted">(most similar first)</span>
              </>
            ) : (
              <>
                {HARDEST} most similar of {an.negatives.length} other views{' '}
                <span className="muted">(not negatives: this loss ignores them)</span>
              </>
            )}
          </h3>
          <ol className="tp-negs">
            {an.negatives.slice(0, HARDEST).map((g) => (
              <li
                key={g.index}
                className={g.falseNegative ? 'tp-card tp-false' : 'tp-card'}
                data-testid="triple-negative"
              >
                <button
                  className="tp-pick"
                  onClick={() => setPlayground({ anchor: g.index })}
                  aria-label={`Make ${who(g.index)} the anchor`}
                  title="Make this negative the anchor."
                >
                  <ViewImage
                    views={views}
                    slot={viewSlot(g.index, n, views)}
                    label={`Negative: ${who(g.index)}, ${name(g.index)}`}
                  />
                </button>
                <span className="tp-num">s = {g.sim.toFixed(2)}</span>
                {pushes && <span className="tp-num">p = {fmtP(g.p)}</span>}
                {pushes && <Bar share={g.p / maxP} kind="push" />}
                {pushes && g.falseNegative && (
                  <span
                    className="tp-badge"
                    title="Same class as the anchor: without labels the loss cannot know, and pushes it away."
                  >
                    false negative
                  </span>
                )}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}

function Bar({ share, kind }: { share: number; kind: 'pull' | 'push' }) {
  return (
    <span className={`tp-bar tp-${kind}`} aria-hidden="true">
      <i style={{ width: `${Math.max(1, 100 * share)}%` }} />
    </span>
  );
}

/** Weights span 1 to 1e-40 at low temperature: fixed digits when readable, else scientific. */
export function fmtP(p: number): string {
  if (p >= 0.01) return p.toFixed(3);
  if (p >= 0.001) return p.toFixed(4);
  return p.toExponential(1);
}
