// The geometry the page's small d3 charts share: a fixed viewBox (the SVG scales with its
// panel, so sizes are in viewBox units), margins that hold the tick labels, and scales whose
// ranges fill the plot area between them. A chart picks its domains; the frame says where
// they land, so the grid, the axes (ChartAxes.tsx) and the marks always agree.

import * as d3 from 'd3';

export interface Margin {
  l: number;
  r: number;
  t: number;
  b: number;
}

export interface ChartFrame {
  w: number;
  h: number;
  m: Margin;
  /** Edges of the plot area; SVG y grows downward, so bottom > top. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function chartFrame(w: number, h: number, m: Margin): ChartFrame {
  return { w, h, m, left: m.l, right: w - m.r, top: m.t, bottom: h - m.b };
}

/** What the grid and the axes need of a scale: a position for a value, and round values. */
export interface TickScale {
  (v: number): number;
  ticks(count?: number): number[];
}

export function linearX(f: ChartFrame, domain: [number, number]): d3.ScaleLinear<number, number> {
  return d3.scaleLinear().domain(domain).range([f.left, f.right]);
}

/** For quantities that span decades (labels per class, learning rates); the domain must be > 0. */
export function logX(f: ChartFrame, domain: [number, number]): d3.ScaleLogarithmic<number, number> {
  return d3.scaleLog().domain(domain).range([f.left, f.right]);
}

/** Groups side by side (bar charts); pad the band scale further at the call site. */
export function bandX<D extends string | number>(f: ChartFrame, domain: D[]): d3.ScaleBand<D> {
  return d3.scaleBand<D>().domain(domain).range([f.left, f.right]);
}

/** Values up the plot area; `nice` rounds the domain out to `nice` ticks' worth (true: d3's default). */
export function linearY(
  f: ChartFrame,
  domain: [number, number],
  nice?: boolean | number,
): d3.ScaleLinear<number, number> {
  const y = d3.scaleLinear().domain(domain);
  if (nice === true) y.nice();
  else if (typeof nice === 'number') y.nice(nice);
  return y.range([f.bottom, f.top]);
}

/** One path through the points whose value is finite (gaps where it is not); '' below two points. */
export function linePath(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return '';
  return (
    d3
      .line<number>()
      .x((i) => x(xs[i]))
      .y((i) => y(ys[i]))
      .defined((i) => Number.isFinite(ys[i]))(d3.range(n)) ?? ''
  );
}

/** A shaded band between two series (a spread around a mean); '' below two points. */
export function bandPath(
  xs: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  const n = Math.min(xs.length, lo.length, hi.length);
  if (n < 2) return '';
  return (
    d3
      .area<number>()
      .x((i) => x(xs[i]))
      .y0((i) => y(lo[i]))
      .y1((i) => y(hi[i]))
      .defined((i) => Number.isFinite(lo[i]) && Number.isFinite(hi[i]))(d3.range(n)) ?? ''
  );
}
