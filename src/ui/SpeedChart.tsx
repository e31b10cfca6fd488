// Steps per second over the last minutes, as a sparkline: shows what a backend, a batch size
// or the speed setting does to the pace (the worker measures; the page only keeps a trail).

import * as d3 from 'd3';
import { useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../protocol';
import './panels.css';

const W = 320, H = 64, M = { l: 36, r: 8, t: 6, b: 14 };
/** Seconds of history kept, and the least time between two samples. */
const SPAN_S = 180;
const SAMPLE_MS = 250;

export function SpeedChart({ snapshot }: { snapshot: Snapshot | null }) {
  const trail = useRef<{ t: number; v: number }[]>([]);
  const [, redraw] = useState(0);

  useEffect(() => {
    if (!snapshot) return;
    const now = performance.now() / 1000;
    const pts = trail.current;
    const last = pts[pts.length - 1];
    if (last && (now - last.t) * 1000 < SAMPLE_MS && snapshot.playing) return;
    pts.push({ t: now, v: snapshot.playing ? snapshot.stepsPerSecond : 0 });
    while (pts.length && now - pts[0].t > SPAN_S) pts.shift();
    redraw((k) => k + 1);
  }, [snapshot]);

  const pts = trail.current;
  const now = pts.length ? pts[pts.length - 1].t : 0;
  const x = d3.scaleLinear().domain([now - Math.min(SPAN_S, Math.max(10, now - (pts[0]?.t ?? now))), now]).range([M.l, W - M.r]);
  const y = d3.scaleLinear().domain([0, Math.max(1, d3.max(pts, (p) => p.v) ?? 1)]).nice(3).range([H - M.b, M.t]);
  const path = pts.length > 1 ? d3.line<{ t: number; v: number }>().x((p) => x(p.t)).y((p) => y(p.v))(pts) ?? '' : '';
  const current = snapshot?.playing ? snapshot.stepsPerSecond : 0;
  return (
    <figure className="panel chart speed-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Steps per second over time, now ${current.toFixed(1)}`}>
        {y.ticks(2).map((t) => (
          <g key={t}>
            <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="grid" />
            <text x={M.l - 4} y={y(t)} dy="0.32em" textAnchor="end">{t}</text>
          </g>
        ))}
        <path d={path} className="speed-line" />
        <text x={W - M.r} y={H - 2} textAnchor="end">now</text>
        <text x={M.l} y={H - 2}>−{Math.round(x.domain()[1] - x.domain()[0])} s</text>
      </svg>
      <figcaption>Steps per second over time</figcaption>
    </figure>
  );
}
