// Every few-label method at 1 / 10 / 100 labels per class (and all), as bars: where
// pre-training pays off is the few-label end.

import * as d3 from 'd3';
import { LABELS_PER_CLASS, type ProbeReport } from '../protocol';
import { ChartSvg, YGrid } from './ChartAxes';
import { bandX, chartFrame, linearY } from './chartFrame';
import { METHOD_STYLE } from './methodNames';

const FRAME = chartFrame(320, 160, { l: 34, r: 6, t: 8, b: 30 });

const percent = (t: number) => `${Math.round(t * 100)}%`;

export function ProbeChart({ probes }: { probes: Record<string, ProbeReport> }) {
  const f = FRAME;
  const groups = LABELS_PER_CLASS.map(String);
  const x0 = bandX(f, groups).paddingInner(0.25).paddingOuter(0.1);
  const x1 = d3
    .scaleBand()
    .domain(METHOD_STYLE.map((s) => s.key))
    .range([0, x0.bandwidth()])
    .padding(0.08);
  const y = linearY(f, [0, 1]);
  return (
    <ChartSvg
      frame={f}
      className="probe-chart"
      label="Held-out accuracy against labels per class: probe, fine-tuned, from scratch at two budgets, and baselines"
    >
      <YGrid frame={f} y={y} ticks={5} format={percent} />
      {groups.map((g) => {
        const r = probes[g];
        return (
          <g key={g} transform={`translate(${x0(g)},0)`}>
            {METHOD_STYLE.map((s) => {
              const v = r?.results[s.key]?.mean;
              if (v === undefined) return null;
              return (
                <rect key={s.key} x={x1(s.key)} y={y(v)} width={x1.bandwidth()} height={y(0) - y(v)} className={s.cls}>
                  <title>{`${s.label}, ${g} per class: ${(100 * v).toFixed(1)}%`}</title>
                </rect>
              );
            })}
            <text x={x0.bandwidth() / 2} y={f.bottom + 12} textAnchor="middle">
              {g}
            </text>
          </g>
        );
      })}
      <text x={(f.left + f.right) / 2} y={f.h - 4} textAnchor="middle" className="axis-title">
        labels per class
      </text>
    </ChartSvg>
  );
}
