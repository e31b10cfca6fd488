// kNN accuracy over training, against steps or epochs: with a smaller batch one epoch holds
// more optimizer steps, so runs with different batch sizes compare fairly only per epoch
// (same images seen) or per step (same number of updates) depending on the question.

import { useState } from 'react';
import type { Metrics } from '../protocol';
import { ChartSvg, RefLine, XTicks, YGrid } from './ChartAxes';
import { chartFrame, linearX, linearY, linePath } from './chartFrame';

const FRAME = chartFrame(320, 150, { l: 34, r: 8, t: 8, b: 22 });
type Axis = 'step' | 'epoch' | 'seconds';
const AXIS_LABEL: Record<Axis, string> = { step: 'steps', epoch: 'epochs', seconds: 'seconds' };

export function ProgressChart({ metrics }: { metrics: Metrics | null }) {
  const [axis, setAxis] = useState<Axis>('step');
  const f = FRAME;
  const pts = metrics?.history ?? [];
  const b = metrics?.baselines;
  const xs = pts.map((p) => p[axis]);
  const x = linearX(f, [0, Math.max(axis === 'epoch' ? 0.1 : 1, ...xs)]);
  const vals = [...pts.flatMap((p) => [p.knnH, p.knnZ]), ...(b ? [b.raw[0], b.randomH[0]] : [])].filter(
    Number.isFinite,
  );
  const lo = vals.length ? Math.max(0, Math.floor(Math.min(...vals) * 20) / 20 - 0.05) : 0;
  const y = linearY(f, [lo, 1]);
  const line = (key: 'knnH' | 'knnZ') =>
    linePath(
      xs,
      pts.map((p) => p[key]),
      x,
      y,
    );
  return (
    <figure className="panel chart progress-chart">
      <div className="chart-head">
        <figcaption>
          kNN accuracy ({metrics?.factors[0] ?? 'label'}, k = {metrics?.k ?? 20})
        </figcaption>
        <div role="radiogroup" aria-label="Progress axis" className="segmented">
          {(['step', 'epoch', 'seconds'] as Axis[]).map((a) => (
            <button
              key={a}
              role="radio"
              aria-checked={axis === a}
              aria-label={`Against ${AXIS_LABEL[a]}`}
              className={axis === a ? 'on' : ''}
              title={
                a === 'step'
                  ? 'Plot against optimizer steps (same number of updates).'
                  : a === 'epoch'
                    ? 'Plot against epochs (same number of images seen; fair across batch sizes).'
                    : 'Plot against wall-clock seconds of training.'
              }
              onClick={() => setAxis(a)}
            >
              {AXIS_LABEL[a]}
            </button>
          ))}
        </div>
      </div>
      <ChartSvg frame={f} label={`kNN accuracy over ${AXIS_LABEL[axis]}`}>
        <YGrid frame={f} y={y} ticks={4} format={(t) => `${Math.round(t * 100)}%`} />
        <RefLine frame={f} y={y} value={b?.raw[0]} className="base-raw" label="raw pixels" at="start" />
        {/* At the other end from "raw pixels": the two baselines are often a few points apart. */}
        <RefLine frame={f} y={y} value={b?.randomH[0]} className="base-random" label="random init (h)" at="end" />
        <path d={line('knnZ')} className="knn-z" />
        <path d={line('knnH')} className="knn-h" />
        {pts.map((p, i) => (
          <circle key={i} cx={x(xs[i])} cy={y(p.knnH)} r={2} className="knn-h-dot" />
        ))}
        <XTicks frame={f} x={x} ticks={4} />
      </ChartSvg>
      <div className="legend">
        <span className="legend-item">
          <i className="sw knn-h" />h
        </span>
        <span className="legend-item">
          <i className="sw knn-z" />z
        </span>
        <span className="legend-item">
          <i className="sw base-raw" />
          pixels
        </span>
        <span className="legend-item">
          <i className="sw base-random" />
          random init
        </span>
      </div>
    </figure>
  );
}
