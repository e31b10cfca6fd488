// Steps per second over the last minutes, as a sparkline: shows what a backend, a batch size
// or the speed setting does to the pace (the worker measures; the page only keeps a trail).

import { useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../protocol';
import { ChartSvg, YGrid } from './ChartAxes';
import { chartFrame, linearX, linearY, linePath } from './chartFrame';
import './panels.css';

const FRAME = chartFrame(320, 64, { l: 36, r: 8, t: 6, b: 14 });
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

  const f = FRAME;
  const pts = trail.current;
  const now = pts.length ? pts[pts.length - 1].t : 0;
  const span = Math.min(SPAN_S, Math.max(10, now - (pts[0]?.t ?? now)));
  const x = linearX(f, [now - span, now]);
  const y = linearY(f, [0, Math.max(1, ...pts.map((p) => p.v))], 3);
  const path = linePath(
    pts.map((p) => p.t),
    pts.map((p) => p.v),
    x,
    y,
  );
  const current = snapshot?.playing ? snapshot.stepsPerSecond : 0;
  return (
    <figure className="panel chart speed-chart">
      <ChartSvg frame={f} label={`Steps per second over time, now ${current.toFixed(1)}`}>
        <YGrid frame={f} y={y} ticks={2} />
        <path d={path} className="speed-line" />
        <text x={f.right} y={f.h - 2} textAnchor="end">
          now
        </text>
        <text x={f.left} y={f.h - 2}>
          −{Math.round(span)} s
        </text>
      </ChartSvg>
      <figcaption>Steps per second over time</figcaption>
    </figure>
  );
}
