// Linear probes on demand: how good is the frozen representation h with 1, 10 or 100 labels
// per class (or all), next to the same measurement on raw pixels, on the untrained encoder,
// and the same CNN trained supervised from scratch on the same labels.

import { useState } from 'react';
import { LABELS_PER_CLASS, SCRATCH_BUDGET, type Command, type LabelsPerClass, type ProbeReport } from '../protocol';
import { ProbeChart, SERIES } from './ProbeChart';

interface Props {
  probes: Record<string, ProbeReport>;
  send: (c: Command) => void;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : (100 * x).toFixed(1));
const parse = (v: string): LabelsPerClass => (v === 'all' ? 'all' : (Number(v) as LabelsPerClass));

export function ProbePanel({ probes, send }: Props) {
  const [lpc, setLpc] = useState<LabelsPerClass>(10);
  const active = Object.values(probes).filter((p) => p.status === 'running' || p.status === 'queued');
  const running = active.find((p) => p.status === 'running');
  const rows = LABELS_PER_CLASS.map(String).filter((g) => probes[g]);
  // The most compute pre-training had over a probe whose from-scratch budget hit its cap (0: none did).
  const cappedAt = Math.max(0, ...rows.map((g) => probes[g]).filter((r) => (r.scratchMatchedSteps ?? 0) > (r.scratchSteps ?? Infinity)).map((r) => r.scratchMatchedSteps!));
  return (
    <section className="panel probes" aria-label="Linear probes with few labels">
      <h2>Few labels: probe vs from scratch</h2>
      <div className="probe-controls">
        <label title="How many labelled training images per class the probe and the from-scratch baseline may use.">
          <span>Labels per class</span>
          <select aria-label="Labels per class" value={String(lpc)} onChange={(e) => setLpc(parse(e.target.value))}>
            {LABELS_PER_CLASS.map((v) => <option key={String(v)} value={String(v)}>{v === 'all' ? 'all' : v}</option>)}
          </select>
        </label>
        <button onClick={() => send({ type: 'evaluate', labelsPerClass: lpc })} aria-label="Run probe"
          title="Train a linear classifier on the frozen h with these labels, and the baselines beside it (runs between training steps).">Run probe</button>
        <button onClick={() => { for (const v of [1, 10, 100] as LabelsPerClass[]) send({ type: 'evaluate', labelsPerClass: v }); }}
          aria-label="Run 1, 10 and 100" title="Queue the probe at 1, 10 and 100 labels per class, to fill the chart.">1 / 10 / 100</button>
      </div>
      {running && (
        <div className="probe-progress" data-testid="probe-progress">
          <progress max={1} value={running.progress} aria-label={`Probe with ${running.labelsPerClass} labels per class`} />
          <span>{running.labelsPerClass}/class: {running.message}</span>
        </div>
      )}
      {active.length > 1 && <p className="muted">{active.length - (running ? 1 : 0)} more queued.</p>}
      {rows.length > 0 && (
        <table className="probe-table" aria-label="Held-out accuracy of the probes (%)">
          <thead>
            <tr>
              <th scope="col" title="Labels per class">labels</th>
              <th scope="col" title="Linear probe on the frozen pre-trained h.">pre-trained</th>
              <th scope="col" title="The same CNN trained supervised from scratch on the same labels.">scratch</th>
              <th scope="col" title="Linear probe on raw pixels.">pixels</th>
              <th scope="col" title="Linear probe on h of the encoder at random initialisation.">random</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((g) => {
              const r = probes[g];
              return (
                <tr key={g} data-testid={`probe-row-${g}`} title={r.status === 'error' ? r.message : `${r.trainCount} labelled images; encoder at step ${r.step} (epoch ${r.epoch.toFixed(1)}); from scratch: ${r.scratchSteps ?? '–'} steps of ${SCRATCH_BUDGET.batch} images.`}>
                  <th scope="row">{g}</th>
                  <td data-testid={`probe-pretrained-${g}`}>{pct(r.pretrained)}</td>
                  <td>{pct(r.scratch)}</td>
                  <td>{pct(r.raw)}</td>
                  <td>{pct(r.random)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rows.length > 0 && (
        <p className="muted probe-note">
          From scratch trains on as many images as pre-training has used (both views), so the two
          get the same compute: {SCRATCH_BUDGET.minSteps.toLocaleString('en-US')} to {SCRATCH_BUDGET.maxSteps.toLocaleString('en-US')} steps of {SCRATCH_BUDGET.batch}.
          {cappedAt > 0 && (
            <strong data-testid="scratch-capped"> Capped: pre-training had used {cappedAt.toLocaleString('en-US')} steps' worth,
              so from scratch had less compute, which favours pre-training.</strong>
          )}
        </p>
      )}
      <ProbeChart probes={probes} />
      <div className="legend">
        {SERIES.map((s) => <span key={s.key} className="legend-item"><i className={`sw ${s.cls}`} />{s.label}</span>)}
      </div>
    </section>
  );
}
