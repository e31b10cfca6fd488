// The parts every small chart draws the same way, on a ChartFrame: the SVG box, horizontal
// grid lines with their value labels, x tick labels, and a labelled reference line (a chance
// level, a baseline). Styling stays in CSS through the class names (.grid, and the reference
// line's own class on its group).

import type { ReactNode } from 'react';
import type { ChartFrame, TickScale } from './chartFrame';

export function ChartSvg({
  frame,
  label,
  className,
  testId,
  children,
}: {
  frame: ChartFrame;
  label: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <svg className={className} viewBox={`0 0 ${frame.w} ${frame.h}`} role="img" aria-label={label} data-testid={testId}>
      {children}
    </svg>
  );
}

/** Grid lines across the plot area at the scale's round values, labelled in the left margin. */
export function YGrid({
  frame,
  y,
  ticks,
  format = String,
}: {
  frame: ChartFrame;
  y: TickScale;
  ticks: number;
  format?: (v: number) => string;
}) {
  return (
    <>
      {y.ticks(ticks).map((t) => (
        <g key={t}>
          <line x1={frame.left} x2={frame.right} y1={y(t)} y2={y(t)} className="grid" />
          <text x={frame.left - 4} y={y(t)} dy="0.32em" textAnchor="end">
            {format(t)}
          </text>
        </g>
      ))}
    </>
  );
}

/** Labels under the plot area at the scale's round values, or at `values` when given
 *  (a log axis wants 1, 10, 100, not every tick d3 proposes). */
export function XTicks({
  frame,
  x,
  ticks = 4,
  values,
  format = String,
}: {
  frame: ChartFrame;
  x: TickScale;
  ticks?: number;
  values?: number[];
  format?: (v: number) => string;
}) {
  return (
    <>
      {(values ?? x.ticks(ticks)).map((t) => (
        <text key={t} x={x(t)} y={frame.h - 6} textAnchor="middle">
          {format(t)}
        </text>
      ))}
    </>
  );
}

/** A horizontal line at one value across the plot area, its label just above it at the
 *  start or the end. Draws nothing for a value that is not finite. */
export function RefLine({
  frame,
  y,
  value,
  className,
  label,
  at = 'end',
}: {
  frame: ChartFrame;
  y: (v: number) => number;
  value: number | undefined;
  className: string;
  label: string;
  at?: 'start' | 'end';
}) {
  if (value === undefined || !Number.isFinite(value)) return null;
  return (
    <g className={className}>
      <line x1={frame.left} x2={frame.right} y1={y(value)} y2={y(value)} />
      <text
        x={at === 'end' ? frame.right : frame.left + 4}
        y={y(value) - 4}
        textAnchor={at === 'end' ? 'end' : 'start'}
      >
        {label}
      </text>
    </g>
  );
}
