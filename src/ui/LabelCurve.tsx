// The label-efficiency curve: held-out accuracy against labels per class on a log axis, one
// line per method, the range over labelled draws as a band. Computed on demand in the worker
// (between training steps); this only asks for it, shows its progress, and draws it.

import type { Command, LabelCurveReport, LabelStudy } from '../protocol';
import { ChartSvg, XTicks, YGrid } from './ChartAxes';
import { bandPath, chartFrame, linePath, linearY, logX } from './chartFrame';
import { METHOD_STYLE, pct } from './methodNames';
import { studyBudgetScale } from './studyBudget';

const FRAME = chartFrame(320, 180, { l: 34, r: 8, t: 8, b: 36 });
const percent = (t: number) => `${Math.round(t * 100)}%`;

/** Where a label count sits on the x axis: 'all' at the training split's images per class. */
function xOf(p: LabelStudy, points: LabelStudy[]): number {
  if (p.labelsPerClass !== 'all') return p.labelsPerClass;
  const known = points.find((q) => q.labelsPerClass !== 'all');
  const classes = known ? known.trainCount / (known.labelsPerClass as number) : 10;
  return p.trainCount / classes;
}

export function LabelCurve({ curve, send }: { curve: LabelCurveReport | null; send: (c: Command) => void }) {
  const running = curve?.status === 'running';
  const points = curve?.points ?? [];
  return (
    <div className="label-curve-box">
      <h3>Label efficiency</h3>
      <div className="probe-controls">
        <button
          onClick={() => send({ type: 'labelCurve', budgetScale: studyBudgetScale() })}
          disabled={running}
          aria-label="Run label curve"
          title="Every method at 1, 2, 5, 10, 20, 50, 100 and all labels per class, from the encoder as it is now (runs between training steps; long)."
        >
          Run label curve
        </button>
        <button
          onClick={() => send({ type: 'stopLabelCurve' })}
          disabled={!running}
          aria-label="Stop label curve"
          title="Stop; the label counts already measured stay."
        >
          Stop
        </button>
      </div>
      {curve && curve.status !== 'done' && (
        <div className="probe-progress" data-testid="curve-progress">
          <progress max={1} value={curve.progress} aria-label="Label curve progress" />
          <span data-testid="curve-status">
            {curve.status === 'running' ? curve.message : `${curve.status}: ${curve.message}`}
          </span>
        </div>
      )}
      {points.length > 0 && <CurveChart points={points} step={curve!.step} />}
      {points.length > 0 && <CurveTable points={points} />}
      {points.some((p) => p.budgetScale < 1) && (
        <p className="muted">
          <strong>Test budgets: not the recipe's figures.</strong>
        </p>
      )}
    </div>
  );
}

function CurveChart({ points, step }: { points: LabelStudy[]; step: number }) {
  const f = FRAME;
  const xs = points.map((p) => xOf(p, points));
  const x = logX(f, [1, Math.max(2, ...xs) * 1.15]);
  const y = linearY(f, [0, 1]);
  return (
    <ChartSvg
      frame={f}
      className="label-curve"
      testId="label-curve"
      label={`Held-out accuracy against labels per class (log scale), one line per method, encoder at step ${step}`}
    >
      <YGrid frame={f} y={y} ticks={5} format={percent} />
      <XTicks
        frame={f}
        x={x}
        values={xs}
        format={(v) => (points[xs.indexOf(v)]?.labelsPerClass === 'all' ? 'all' : String(v))}
      />
      {METHOD_STYLE.map((m) => {
        const stat = points.map((p) => p.results[m.key]);
        const mean = stat.map((s) => s?.mean ?? NaN),
          lo = stat.map((s) => s?.min ?? NaN),
          hi = stat.map((s) => s?.max ?? NaN);
        return (
          <g key={m.key} className={m.cls} data-testid={`curve-${m.key}`}>
            <path className="band" d={bandPath(xs, lo, hi, x, y)} />
            <path className="line" d={linePath(xs, mean, x, y)} />
            {points.map(
              (p, i) =>
                Number.isFinite(mean[i]) && (
                  <circle key={i} cx={x(xs[i])} cy={y(mean[i])} r={1.8}>
                    <title>{`${m.label}, ${p.labelsPerClass} per class: ${pct(mean[i])}%${(stat[i]?.n ?? 0) > 1 ? ` (${pct(lo[i])}–${pct(hi[i])} over ${stat[i]!.n} draws)` : ''}`}</title>
                  </circle>
                ),
            )}
          </g>
        );
      })}
      <text x={(f.left + f.right) / 2} y={f.bottom + 14} textAnchor="middle" className="axis-title">
        labels per class
      </text>
    </ChartSvg>
  );
}

/** The curve's figures as a table: the chart's text alternative, and what the benchmark reads. */
function CurveTable({ points }: { points: LabelStudy[] }) {
  return (
    <details className="curve-figures">
      <summary>Figures</summary>
      <div className="probe-table-wrap">
        <table
          className="probe-table"
          data-testid="curve-table"
          aria-label="Label-efficiency curve: held-out accuracy (%), mean and range over draws"
        >
          <thead>
            <tr>
              <th scope="col">labels</th>
              {METHOD_STYLE.map((m) => (
                <th key={m.key} scope="col" title={m.title}>
                  {m.short}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={String(p.labelsPerClass)} data-lpc={String(p.labelsPerClass)} data-draws={p.draws}>
                <th scope="row">{String(p.labelsPerClass)}</th>
                {METHOD_STYLE.map((m) => {
                  const s = p.results[m.key];
                  return (
                    <td key={m.key} data-method={m.key} data-mean={s?.mean} data-min={s?.min} data-max={s?.max}>
                      {pct(s?.mean)}
                      {s && s.n > 1 ? ` (${pct(s.min)}–${pct(s.max)})` : ''}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
