// What the temperature does to one anchor's negatives, recomputed from the last batch at the
// slider's value (also while paused): the softmax weight of each negative, most similar first,
// and how many negatives effectively count, exp(H). Low tau: a few hard negatives take all
// the weight; high tau: every negative pushes about equally.

import * as d3 from 'd3';
import type { LossId } from '../core/settings';
import { hasNegatives, NO_NEGATIVES_NOTE } from './lossNames';
import type { BatchAnalysis } from './anchorAnalysis';
import { ChartSvg, RefLine, YGrid } from './ChartAxes';
import { bandX, chartFrame, linearY } from './chartFrame';

const FRAME = chartFrame(360, 150, { l: 44, r: 10, t: 10, b: 30 });

export function TemperaturePanel({
  a,
  temperature,
  trainedAt,
  loss = 'ntxent',
}: {
  a: BatchAnalysis;
  temperature: number;
  trainedAt: number;
  loss?: LossId;
}) {
  const an = a.analysis;
  if (!hasNegatives(loss)) {
    return (
      <section className="panel tpanel" aria-label="Temperature and the weight of the negatives">
        <h2>No negatives, no push</h2>
        <p className="tpanel-read" data-testid="no-negatives">
          {NO_NEGATIVES_NOTE}
        </p>
        <p className="muted tpanel-note">
          The temperature (τ = {temperature}) changes nothing here: it only shapes the softmax over negatives in NT-Xent
          and SupCon. This anchor's positive has similarity s = {an.posSim.toFixed(2)}. Switch the loss back to NT-Xent
          to see the negatives push.
        </p>
      </section>
    );
  }
  const negs = an.negatives;
  const count = negs.length;
  const f = FRAME;
  const x = bandX(f, d3.range(count)).paddingInner(count > 80 ? 0 : 0.15);
  const maxP = Math.max(1e-12, ...negs.map((g) => g.p));
  const y = linearY(f, [0, maxP], 3);
  const uniform = (1 - an.pPos) / Math.max(1, count);
  const eff = an.effectiveNegatives;
  return (
    <section className="panel tpanel" aria-label="Temperature and the weight of the negatives">
      <h2>Temperature τ = {temperature}</h2>
      <p className="tpanel-read">
        <span
          className="tpanel-big"
          data-testid="effective-negatives"
          title="exp(entropy) of the softmax weights over this anchor's negatives: how many of them effectively push."
        >
          {eff.toFixed(1)}
        </span>
        <span>
          {' '}
          of {count} negatives effectively push <span className="muted">(exp H)</span>
        </span>
      </p>
      <ChartSvg
        frame={f}
        label={`Softmax weight of each of ${count} negatives, most similar first`}
        testId="weight-chart"
      >
        <YGrid frame={f} y={y} ticks={3} format={fmtTick} />
        {negs.map((g, k) => (
          <rect
            key={g.index}
            x={x(k)}
            width={Math.max(0.6, x.bandwidth())}
            y={y(g.p)}
            height={Math.max(0, f.bottom - y(g.p))}
            className={g.falseNegative ? 'tpanel-bar tpanel-false' : 'tpanel-bar'}
          />
        ))}
        <RefLine frame={f} y={y} value={uniform} className="tpanel-uniform" label="equal share" />
        <text x={f.left} y={f.h - 8}>
          most similar
        </text>
        <text x={f.right} y={f.h - 8} textAnchor="end">
          least similar →
        </text>
      </ChartSvg>
      <p className="muted tpanel-note">
        Weights p<sub>j</sub> of this anchor's negatives (orange: same class). Move the temperature slider: low τ hands
        the push to the hardest few.
        {Math.abs(trainedAt - temperature) > 1e-9 && ` The batch was trained at τ = ${trainedAt}.`}
      </p>
    </section>
  );
}

const fmtTick = (t: number) => (t === 0 ? '0' : t >= 0.01 ? String(+t.toFixed(3)) : t.toExponential(0));
