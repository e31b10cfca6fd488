// Loss over steps, with the chance line log(2N-1): the loss of an embedding that carries no
// information. d3 for the scales and the path; the component only draws what it is given.

import * as d3 from 'd3';
import type { LossId } from '../core/settings';
import { hasNegatives, LOSS_NAMES } from './lossNames';

interface Props {
  steps: Int32Array;
  losses: Float32Array;
  chance: number;
  /** Alignment alone has no chance level: a collapsed embedding scores its best, 0. */
  loss?: LossId;
}

const W = 320, H = 140, M = { l: 36, r: 8, t: 8, b: 22 };

export function LossChart({ steps, losses, chance, loss = 'ntxent' }: Props) {
  const n = losses.length;
  const maxStep = n ? steps[n - 1] : 1;
  const x = d3.scaleLinear().domain([0, Math.max(1, maxStep)]).range([M.l, W - M.r]);
  const showChance = hasNegatives(loss);
  let hi = showChance ? chance * 1.05 : 0.1;
  for (const l of losses) if (Number.isFinite(l)) hi = Math.max(hi, l);
  const y = d3.scaleLinear().domain([0, hi]).nice().range([H - M.b, M.t]);
  const line = d3.line<number>().x((i) => x(steps[i])).y((i) => y(losses[i])).defined((i) => Number.isFinite(losses[i]));
  const path = n > 1 ? line(d3.range(n)) ?? '' : '';
  return (
    <figure className="panel chart loss-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Loss over training steps">
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="grid" />
            <text x={M.l - 4} y={y(t)} dy="0.32em" textAnchor="end">{t}</text>
          </g>
        ))}
        {showChance && <>
          <line x1={M.l} x2={W - M.r} y1={y(chance)} y2={y(chance)} className="chance" />
          <text x={W - M.r} y={y(chance) - 4} textAnchor="end" className="chance-label">log(2N−1)</text>
        </>}
        <path d={path} className="loss-line" />
        <text x={W - M.r} y={H - 6} textAnchor="end">step {maxStep}</text>
      </svg>
      <figcaption>Loss over steps: {LOSS_NAMES[loss]}{showChance ? '' : '; no chance line, since collapse also scores 0'}</figcaption>
    </figure>
  );
}
