// Loss over steps, with the chance line (log(2N-1), or log N for CLIP): the loss of an embedding that carries no
// information. d3 for the scales and the path; the component only draws what it is given.

import { chanceFormula } from '../core/chance';
import type { LossId } from '../core/settings';
import { ChartSvg, RefLine, YGrid } from './ChartAxes';
import { chartFrame, linearX, linearY, linePath } from './chartFrame';
import { hasNegatives, LOSS_NAMES } from './lossNames';

interface Props {
  steps: Int32Array;
  losses: Float32Array;
  chance: number;
  /** Alignment alone has no chance level: a collapsed embedding scores its best, 0. */
  loss?: LossId;
}

const FRAME = chartFrame(320, 140, { l: 36, r: 8, t: 8, b: 22 });

export function LossChart({ steps, losses, chance, loss = 'ntxent' }: Props) {
  const f = FRAME;
  const n = losses.length;
  const maxStep = n ? steps[n - 1] : 1;
  const x = linearX(f, [0, Math.max(1, maxStep)]);
  const showChance = hasNegatives(loss);
  let hi = showChance ? chance * 1.05 : 0.1;
  for (const l of losses) if (Number.isFinite(l)) hi = Math.max(hi, l);
  const y = linearY(f, [0, hi], true);
  return (
    <figure className="panel chart loss-chart">
      <ChartSvg frame={f} label="Loss over training steps">
        <YGrid frame={f} y={y} ticks={4} />
        {showChance && <RefLine frame={f} y={y} value={chance} className="chance" label={chanceFormula(loss)} />}
        <path d={linePath(steps, losses, x, y)} className="loss-line" />
        <text x={f.right} y={f.h - 6} textAnchor="end">
          step {maxStep}
        </text>
      </ChartSvg>
      <figcaption>
        Loss over steps: {LOSS_NAMES[loss]}
        {showChance ? '' : '; no chance line, since collapse also scores 0'}
      </figcaption>
    </figure>
  );
}
