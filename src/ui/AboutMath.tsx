// "About the math": the InfoNCE / NT-Xent loss taken line by line, each line typeset in MathML
// with the current anchor's numbers beside it, then the gradient and why it is hardness-aware.
// Everything is recomputed here from the last snapshot's batch at the slider's temperature (as
// the temperature panel does), so the numbers move while it trains and while τ is dragged.
// The formulas themselves are in aboutMathFormulas.tsx. Loaded on demand (React.lazy): the first
// screen does not need it.

import { useEffect, useRef, type ReactNode } from 'react';
import { effectiveNegatives, ntXent } from '../core/contrastMath';
import type { LossId } from '../core/settings';
import type { Snapshot } from '../protocol';
import { LossFormula } from './LossFormula';
import { usePlayground } from './playgroundStore';
import { anchorAnalysis } from './anchorAnalysis';
import {
  ANCHOR_LOSS,
  COSINE,
  GRADIENT,
  MEAN_LOSS,
  SCALED,
  SOFTMAX,
  UNIT_VIEW,
  WEIGHT_RATIO,
} from './aboutMathFormulas';
import './panels.css';
import { chanceLoss } from '../core/chance';

interface Props {
  snapshot: Snapshot | null;
  temperature: number;
  loss: LossId;
  onClose: () => void;
}

/** Temperatures of the comparison table: the range the slider covers, in the steps papers use. */
const TAUS = [0.05, 0.1, 0.2, 0.5, 1];
const HARDEST = 5;

const LOSS_NOTE: Partial<Record<LossId, string>> = {
  supcon:
    'You are training with SupCon, which also counts same-class views as positives; the numbers below are the NT-Xent view of the same batch.',
  align:
    'You are training with alignment only (no negatives); the numbers below are what NT-Xent would make of the same batch.',
};

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const fp = (p: number) => (!Number.isFinite(p) ? '–' : p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

export default function AboutMath({ snapshot, temperature, loss, onClose }: Props) {
  const { anchor } = usePlayground();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const batch = snapshot?.batch ?? null;
  const a = snapshot ? anchorAnalysis(batch, snapshot.dim, temperature, anchor) : null;
  const an = a?.analysis;
  const tau = temperature;
  const n = batch?.n ?? 0;
  const negs = an?.negatives ?? [];
  const sims = negs.map((g) => g.sim);
  const meanNeg = sims.length ? sims.reduce((x, y) => x + y, 0) / sims.length : NaN;
  const median = sims.length ? sims[Math.floor(sims.length / 2)] : NaN;
  const hard = negs[0];
  const topShare = an ? negs.slice(0, HARDEST).reduce((s, g) => s + g.p, 0) / Math.max(1e-300, 1 - an.pPos) : NaN;
  const batchLoss = a && batch ? ntXent({ z: batch.embeddings, n: batch.n, dim: a.dim }, tau) : NaN;
  const live = (x: ReactNode) => (an ? x : <span className="muted">press Play or Step</span>);

  return (
    <div className="slowmo-backdrop">
      <section
        ref={ref}
        tabIndex={-1}
        className="about-math panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="about-title"
        onKeyDown={(e) => {
          // Space and the right arrow still train (the numbers follow); the lesson and
          // presentation keys must not act behind the dialog.
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          } else if (e.key !== ' ' && e.key !== 'ArrowRight') e.stopPropagation();
        }}
      >
        <header className="slowmo-head">
          <h2 id="about-title">About the math: the InfoNCE (NT-Xent) loss</h2>
          <button
            onClick={onClose}
            aria-label="Close About the math"
            title="Close and go back to the playground (Escape)."
          >
            ×
          </button>
        </header>
        <p className="about-intro">
          {an ? (
            <>
              Live numbers from the current anchor, row {an.anchor + 1} of the batch's {2 * n} views, at τ = {tau}. They
              change while it trains and while you drag the temperature.
            </>
          ) : (
            <>The numbers fill in from the current anchor once a batch has been trained: press Play or Step.</>
          )}
          {LOSS_NOTE[loss] && <> {LOSS_NOTE[loss]}</>}
        </p>

        <ol className="about-lines">
          <Line
            title="Two views, one direction each"
            math={UNIT_VIEW}
            live={live(
              <>
                {2 * n} views of {n} images; z has {a?.dim} numbers
              </>,
            )}
          >
            Each of the N images is augmented twice. The encoder f and the projection head g turn view x<sub>i</sub>{' '}
            into a vector, scaled to length 1: only its direction counts.
          </Line>

          <Line
            title="Similarity is a cosine"
            math={COSINE}
            live={live(
              <>
                positive s<sub>+</sub> = <b data-testid="about-pos-sim">{f(an?.posSim ?? NaN, 2)}</b>; hardest negative{' '}
                {f(hard?.sim ?? NaN, 2)}; mean negative {f(meanNeg, 2)}
              </>,
            )}
          >
            1 means the same direction, 0 unrelated, −1 opposite. The positive i+ is the other view of the same image;
            every other view in the batch is a negative.
          </Line>

          <Line
            title="Divide by the temperature"
            math={SCALED}
            live={live(
              <>
                s<sub>+</sub>/τ = {f((an?.posSim ?? NaN) / tau, 2)}; hardest negative {f((hard?.sim ?? NaN) / tau, 2)}
              </>,
            )}
          >
            A small τ stretches the differences between similarities before they are exponentiated.
          </Line>

          <Line
            title="Softmax over the other 2N − 1 views"
            math={SOFTMAX}
            live={live(
              <>
                p<sub>+</sub> = <b data-testid="about-p-positive">{fp(an?.pPos ?? NaN)}</b> among {2 * n - 1} views;
                hardest negative p = {fp(hard?.p ?? NaN)}
              </>,
            )}
          >
            The anchor spreads one unit of weight over every other view in the batch, itself excluded. The loss wants it
            all on the positive.
          </Line>

          <Line
            title="The anchor's loss"
            math={ANCHOR_LOSS}
            live={live(
              <>
                ℓ = <b data-testid="about-anchor-loss">{f(an?.loss ?? NaN)}</b>
              </>,
            )}
          >
            It is the cross-entropy of picking the positive out of the batch: 0 when p<sub>+</sub> = 1, log(2N − 1) when
            every view gets the same weight.
          </Line>

          <Line
            title="Average over all 2N anchors"
            math={MEAN_LOSS}
            live={live(
              <>
                L = {f(batchLoss)} on this batch at τ = {tau}; chance level log(2N − 1) = {f(chanceLoss(n))}
              </>,
            )}
          >
            Every view takes a turn as the anchor. Computed as a log-sum-exp minus the positive's logit, so τ = 0.01
            (logits up to 100) cannot overflow.
          </Line>

          <Line
            title="The gradient: pull and push"
            math={GRADIENT}
            live={live(
              <>
                pull (1 − p<sub>+</sub>)/τ = {f((1 - (an?.pPos ?? NaN)) / tau)}; push of the hardest negative p
                <sub>j</sub>/τ = {f((hard?.p ?? NaN) / tau)}
              </>,
            )}
          >
            Gradient descent raises s<sub>+</sub> and lowers each s<sub>ij</sub>. The push on negative j is proportional
            to its weight p<sub>j</sub>, and all the pushes together equal the pull.
          </Line>

          <Line
            title="Hardness-aware: the weight goes to the hardest negatives"
            math={WEIGHT_RATIO}
            live={live(
              <>
                <span className="about-big" data-testid="about-effective-negatives">
                  {f(an?.effectiveNegatives ?? NaN, 1)}
                </span>{' '}
                of {negs.length} negatives effectively push (exp of the entropy of their weights); the hardest {HARDEST}{' '}
                carry {f(100 * topShare, 0)}% of the push; the hardest gets{' '}
                {fmtRatio(Math.exp(((hard?.sim ?? NaN) - median) / tau))} times the weight of the median negative
              </>,
            )}
          >
            A negative more similar to the anchor by Δs gets e<sup>Δs/τ</sup> times the push. As τ drops, that factor
            explodes and the push concentrates on the few hardest negatives; as τ grows, every negative pushes about
            equally.
          </Line>
        </ol>

        {an && (
          <table className="about-taus" aria-label="Effective negatives of this anchor at each temperature">
            <caption>This anchor's effective number of negatives at other temperatures</caption>
            <thead>
              <tr>
                <th scope="row">τ</th>
                {TAUS.map((t) => (
                  <th key={t} scope="col" className={t === tau ? 'now' : ''}>
                    {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">exp H</th>
                {TAUS.map((t) => (
                  <td key={t} className={t === tau ? 'now' : ''}>
                    {effectiveNegatives(sims, t).toFixed(1)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        )}
        {a && <LossFormula a={a} />}
        <p className="muted about-foot">
          SimCLR's code returns 2L (both directions summed); this page, like lightly's NTXentLoss, shows L. On the
          sphere only the tangent part of each force moves z: the length is normalised away.
        </p>
      </section>
    </div>
  );
}

function Line({
  title,
  math,
  live,
  children,
}: {
  title: string;
  math: ReactNode;
  live: ReactNode;
  children: ReactNode;
}) {
  return (
    <li className="about-line">
      <h3>{title}</h3>
      <math display="block" className="about-formula">
        {math}
      </math>
      <p className="about-words">{children}</p>
      <p className="about-live">{live}</p>
    </li>
  );
}

function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x < 1000 ? String(+x.toPrecision(3)) : x.toExponential(1);
}
