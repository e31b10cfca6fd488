// Slow motion: ONE update walked through its stages (similarities, softmax, forces, the
// parameter step, the new embeddings), with Next / Back. The engine sends the batch's
// projections before and after the same step's update; everything else is recomputed on the
// page from them (slowMotionNumbers.ts, with the plain math of src/core), at the temperature
// the step trained with.

import { useEffect, useMemo, useRef, useState } from 'react';
import { alignmentForces, batchForces } from '../core/contrastMath';
import type { Explain } from '../protocol';
import { MatrixCanvas } from './SimilarityMatrix';
import { MiniScatter } from './MiniScatter';
import { stageNumbers } from './slowMotionNumbers';
import { STAGES } from './slowMotionText';
import './panels.css';

interface Props {
  /** The explained step, or null while it runs. */
  explain: Explain | null;
  learningRate: number;
  onAgain: () => void;
  onClose: () => void;
}

export function SlowMotion({ explain, learningRate, onAgain, onClose }: Props) {
  const [stage, setStage] = useState(0);
  // Focus moves into the dialog so its keys (arrows, Escape) work at once, not the page's.
  const dialogRef = useRef<HTMLElement>(null);
  useEffect(() => dialogRef.current?.focus(), []);
  useEffect(() => setStage(0), [explain]);
  const nums = useMemo(() => (explain ? stageNumbers(explain, learningRate) : null), [explain, learningRate]);
  const forces = useMemo(() => {
    if (!explain) return null;
    const batch = { z: explain.before, n: explain.n, dim: explain.dim };
    return explain.lossId === 'align' ? alignmentForces(batch) : batchForces(batch, explain.temperature);
  }, [explain]);
  const before = useMemo(() => explain && { embeddings: explain.before, n: explain.n }, [explain]);
  const after = useMemo(() => explain && { embeddings: explain.after, n: explain.n }, [explain]);

  const last = STAGES.length - 1;
  const go = (k: number) => setStage(Math.max(0, Math.min(last, k)));
  const s = STAGES[stage];

  return (
    <div className="slowmo-backdrop">
      <section
        ref={dialogRef}
        tabIndex={-1}
        className="slowmo panel"
        role="dialog"
        aria-labelledby="slowmo-title"
        aria-modal="true"
        onKeyDown={(e) => {
          // The page's own keys (space, right arrow) must not train while a step is explained.
          if (e.key === 'ArrowRight') {
            e.preventDefault();
            e.stopPropagation();
            go(stage + 1);
          } else if (e.key === 'ArrowLeft') {
            e.preventDefault();
            e.stopPropagation();
            go(stage - 1);
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          } else if (e.key === ' ') e.stopPropagation();
        }}
      >
        <header className="slowmo-head">
          <h2 id="slowmo-title">
            {explain ? (
              <>
                Step {explain.step} in slow motion ·{' '}
                <span data-testid="slowmo-stage">
                  {stage + 1}. {s.title}
                </span>
              </>
            ) : (
              'Running one training step…'
            )}
          </h2>
          <button onClick={onClose} aria-label="Close slow motion" title="Close and go back to training (Escape).">
            ×
          </button>
        </header>
        <ol className="slowmo-pips" aria-label="Stages">
          {STAGES.map((st, k) => (
            <li key={st.id}>
              <button
                className={k === stage ? 'current' : ''}
                aria-current={k === stage ? 'step' : undefined}
                disabled={!explain}
                onClick={() => go(k)}
                title={`Go to stage ${k + 1}: ${st.title}.`}
              >
                {k + 1}. {st.title}
              </button>
            </li>
          ))}
        </ol>
        {explain && nums && before && after ? (
          <>
            <p className="slowmo-caption" data-testid="slowmo-caption">
              {s.caption(nums)}
            </p>
            {explain.lossId === 'align' && (
              <p className="muted" role="note">
                This step trained alignment only: no softmax and no negatives. The softmax stage shows what NT-Xent
                would weigh; the arrows are this loss's pull alone, and nothing pushes.
              </p>
            )}
            <div className="slowmo-visuals">
              {s.id === 'update' ? (
                <div className="slowmo-numbers">
                  <div>
                    <span>Loss on this batch before</span>
                    <strong data-testid="slowmo-loss-before">{nums.lossBefore.toFixed(3)}</strong>
                  </div>
                  <div>
                    <span>after one step</span>
                    <strong data-testid="slowmo-loss-after">{nums.lossAfter.toFixed(3)}</strong>
                  </div>
                  <div>
                    <span>Learning rate</span>
                    <strong>{learningRate}</strong>
                  </div>
                  <div>
                    <span>Mean move of a point</span>
                    <strong>{nums.moved.toFixed(4)}</strong>
                  </div>
                </div>
              ) : (
                <MatrixCanvas
                  batch={s.id === 'after' ? after : before}
                  temperature={explain.temperature}
                  mode={s.id === 'softmax' ? 'softmax' : s.id === 'forces' ? 'forces' : 'similarity'}
                  label={`${s.title}: matrix of the batch ${s.id === 'after' ? 'after' : 'before'} the update`}
                />
              )}
              <MiniScatter
                before={explain.before}
                after={s.id === 'after' || s.id === 'update' ? explain.after : null}
                rows={2 * explain.n}
                dim={explain.dim}
                labels={explain.labels}
                forces={s.id === 'forces' ? forces : null}
                label={`The batch's ${2 * explain.n} points${s.id === 'after' || s.id === 'update' ? ' before (hollow) and after (filled) the update' : ''}${s.id === 'forces' ? ' with their forces' : ''}`}
              />
            </div>
          </>
        ) : (
          <p className="slowmo-caption">The engine is running one step and re-embedding its views after the update…</p>
        )}
        <footer className="slowmo-nav">
          <button
            onClick={() => go(stage - 1)}
            disabled={!explain || stage === 0}
            aria-label="Back"
            title="The previous stage (left arrow)."
          >
            ◀ Back
          </button>
          <button onClick={onAgain} title="Run the next training step in slow motion.">
            Explain the next update
          </button>
          <button
            className="primary"
            onClick={() => go(stage + 1)}
            disabled={!explain || stage === last}
            aria-label="Next"
            title="The next stage (right arrow)."
          >
            Next ▶
          </button>
        </footer>
      </section>
    </div>
  );
}
