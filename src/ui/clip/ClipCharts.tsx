// Small line charts of a CLIP run's paths on the shared chart frame: the learned temperature,
// and the modality gap (the distance between the image and caption centroids of the display set).

import { ChartSvg, XTicks, YGrid } from '../ChartAxes';
import { chartFrame, linearX, linearY, linePath } from '../chartFrame';

const FRAME = chartFrame(300, 96, { l: 44, r: 10, t: 8, b: 22 });

export function ClipPathChart({
  path,
  label,
  testId,
  format = String,
  yMin,
}: {
  path: { steps: Int32Array; values: Float32Array };
  label: string;
  testId: string;
  format?: (v: number) => string;
  yMin?: number;
}) {
  const n = path.steps.length;
  const last = n ? path.values[n - 1] : NaN;
  const x = linearX(FRAME, [n ? path.steps[0] : 0, Math.max(1, n ? path.steps[n - 1] : 1)]);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of path.values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (yMin !== undefined) lo = Math.min(lo, yMin);
  const y = linearY(FRAME, [lo, hi > lo ? hi : lo + 1e-3], 3);
  return (
    <figure className="clip-chart">
      <ChartSvg
        frame={FRAME}
        label={`${label}: ${Number.isFinite(last) ? format(last) : 'no data yet'}`}
        testId={testId}
      >
        <YGrid frame={FRAME} y={y} ticks={3} format={format} />
        <XTicks frame={FRAME} x={x} ticks={3} />
        <path d={linePath(path.steps, path.values, x, y)} className="clip-line" />
      </ChartSvg>
      <figcaption className="muted">
        {label}: <b>{Number.isFinite(last) ? format(last) : '–'}</b>
      </figcaption>
    </figure>
  );
}
