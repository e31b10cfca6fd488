// Pre-training + linear probe against the same CNN trained from scratch, at 1 / 10 / 100
// labels per class (and all): where pre-training pays off is the few-label end.

import * as d3 from 'd3';
import { LABELS_PER_CLASS, type ProbeReport } from '../protocol';

const W = 320, H = 160, M = { l: 34, r: 6, t: 8, b: 30 };
export const SERIES = [
  { key: 'pretrained', label: 'pre-trained + probe', cls: 'bar-pre' },
  { key: 'scratch', label: 'supervised from scratch', cls: 'bar-scratch' },
  { key: 'raw', label: 'pixels + probe', cls: 'bar-raw' },
  { key: 'random', label: 'random init + probe', cls: 'bar-random' },
] as const;

export function ProbeChart({ probes }: { probes: Record<string, ProbeReport> }) {
  const groups = LABELS_PER_CLASS.map(String);
  const x0 = d3.scaleBand().domain(groups).range([M.l, W - M.r]).paddingInner(0.25).paddingOuter(0.1);
  const x1 = d3.scaleBand().domain(SERIES.map((s) => s.key)).range([0, x0.bandwidth()]).padding(0.08);
  const y = d3.scaleLinear().domain([0, 1]).range([H - M.b, M.t]);
  return (
    <svg className="probe-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Held-out accuracy against labels per class: pre-trained plus linear probe, supervised from scratch, and baselines">
      {y.ticks(5).map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="grid" />
          <text x={M.l - 4} y={y(t)} dy="0.32em" textAnchor="end">{Math.round(t * 100)}%</text>
        </g>
      ))}
      {groups.map((g) => {
        const r = probes[g];
        return (
          <g key={g} transform={`translate(${x0(g)},0)`}>
            {SERIES.map((s) => {
              const v = r?.[s.key];
              if (v === null || v === undefined) return null;
              return (
                <rect key={s.key} x={x1(s.key)} y={y(v)} width={x1.bandwidth()} height={y(0) - y(v)} className={s.cls}>
                  <title>{`${s.label}, ${g} per class: ${(100 * v).toFixed(1)}%`}</title>
                </rect>
              );
            })}
            <text x={x0.bandwidth() / 2} y={H - M.b + 12} textAnchor="middle">{g}</text>
          </g>
        );
      })}
      <text x={(M.l + W - M.r) / 2} y={H - 4} textAnchor="middle" className="axis-title">labels per class</text>
    </svg>
  );
}
