// kNN accuracy over training, against steps or epochs: with a smaller batch one epoch holds
// more optimizer steps, so runs with different batch sizes compare fairly only per epoch
// (same images seen) or per step (same number of updates) depending on the question.

import * as d3 from 'd3';
import { useState } from 'react';
import type { Metrics } from '../protocol';

const W = 320, H = 150, M = { l: 34, r: 8, t: 8, b: 22 };
type Axis = 'step' | 'epoch' | 'seconds';
const AXIS_LABEL: Record<Axis, string> = { step: 'steps', epoch: 'epochs', seconds: 'seconds' };

export function ProgressChart({ metrics }: { metrics: Metrics | null }) {
  const [axis, setAxis] = useState<Axis>('step');
  const pts = metrics?.history ?? [];
  const b = metrics?.baselines;
  const xs = pts.map((p) => p[axis]);
  const x = d3.scaleLinear().domain([0, Math.max(axis === 'epoch' ? 0.1 : 1, ...xs)]).range([M.l, W - M.r]);
  const vals = [...pts.flatMap((p) => [p.knnH, p.knnZ]), ...(b ? [b.raw[0], b.randomH[0]] : [])].filter(Number.isFinite);
  const lo = vals.length ? Math.max(0, Math.floor(Math.min(...vals) * 20) / 20 - 0.05) : 0;
  const y = d3.scaleLinear().domain([lo, 1]).range([H - M.b, M.t]);
  const line = (key: 'knnH' | 'knnZ') => (pts.length > 0 ? d3.line<number>().x((i) => x(xs[i])).y((i) => y(pts[i][key]))(d3.range(pts.length)) ?? '' : '');
  const hline = (v: number | undefined, cls: string, label: string) => v !== undefined && Number.isFinite(v) && (
    <g className={cls}>
      <line x1={M.l} x2={W - M.r} y1={y(v)} y2={y(v)} />
      <text x={M.l + 4} y={y(v) - 3}>{label}</text>
    </g>
  );
  return (
    <figure className="panel chart progress-chart">
      <div className="chart-head">
        <figcaption>kNN accuracy ({metrics?.factors[0] ?? 'label'}, k = {metrics?.k ?? 20})</figcaption>
        <div role="radiogroup" aria-label="Progress axis" className="segmented">
          {(['step', 'epoch', 'seconds'] as Axis[]).map((a) => (
            <button key={a} role="radio" aria-checked={axis === a} aria-label={`Against ${AXIS_LABEL[a]}`} className={axis === a ? 'on' : ''}
              title={a === 'step' ? 'Plot against optimizer steps (same number of updates).' : a === 'epoch' ? 'Plot against epochs (same number of images seen; fair across batch sizes).' : 'Plot against wall-clock seconds of training.'}
              onClick={() => setAxis(a)}>{AXIS_LABEL[a]}</button>
          ))}
        </div>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`kNN accuracy over ${AXIS_LABEL[axis]}`}>
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="grid" />
            <text x={M.l - 4} y={y(t)} dy="0.32em" textAnchor="end">{Math.round(t * 100)}%</text>
          </g>
        ))}
        {hline(b?.raw[0], 'base-raw', 'raw pixels')}
        {hline(b?.randomH[0], 'base-random', 'random init (h)')}
        <path d={line('knnZ')} className="knn-z" />
        <path d={line('knnH')} className="knn-h" />
        {pts.map((p, i) => <circle key={i} cx={x(xs[i])} cy={y(p.knnH)} r={2} className="knn-h-dot" />)}
        {x.ticks(4).map((t) => <text key={t} x={x(t)} y={H - 6} textAnchor="middle">{t}</text>)}
      </svg>
      <div className="legend">
        <span className="legend-item"><i className="sw knn-h" />h</span>
        <span className="legend-item"><i className="sw knn-z" />z</span>
        <span className="legend-item"><i className="sw base-raw" />pixels</span>
        <span className="legend-item"><i className="sw base-random" />random init</span>
      </div>
    </figure>
  );
}
