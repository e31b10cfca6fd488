// The measurement column: numbers, progress over training, and few-label probes. One
// element for App to mount; the worker does every computation (this only draws).

import type { Command, LabelCurveReport, Metrics, ProbeReport } from '../protocol';
import { MetricsPanel } from './MetricsPanel';
import { ProbePanel } from './ProbePanel';
import { ProgressChart } from './ProgressChart';
import './metrics.css';

interface Props {
  metrics: Metrics | null | undefined;
  probes: Record<string, ProbeReport> | undefined;
  labelCurve: LabelCurveReport | null | undefined;
  send: (c: Command) => void;
}

export function Measurements({ metrics, probes, labelCurve, send }: Props) {
  return (
    <>
      <MetricsPanel metrics={metrics ?? null} send={send} />
      <ProgressChart metrics={metrics ?? null} />
      <ProbePanel probes={probes ?? {}} curve={labelCurve ?? null} send={send} />
    </>
  );
}
