// Few labels on demand: per labels-per-class row, a linear probe on the frozen pre-trained h,
// fine-tuning, the same CNN from scratch at two budgets, and probes on raw pixels and on the
// untrained encoder; below it, the label-efficiency curve.

import { useState } from 'react';
import {
  LABELS_PER_CLASS,
  type Command,
  type LabelCurveReport,
  type LabelsPerClass,
  type ProbeReport,
} from '../protocol';
import { LabelCurve } from './LabelCurve';
import { METHOD_STYLE, pct } from './methodNames';
import { ProbeChart } from './ProbeChart';
import { ProbeNotes } from './ProbeNotes';
import { studyBudgetScale } from './studyBudget';

interface Props {
  probes: Record<string, ProbeReport>;
  curve: LabelCurveReport | null;
  send: (c: Command) => void;
}

const parse = (v: string): LabelsPerClass => (v === 'all' ? 'all' : (Number(v) as LabelsPerClass));
const TESTID: Record<string, string> = {
  pretrained: 'pretrained',
  finetune: 'finetune',
  scratch: 'scratch',
  scratchConverged: 'converged',
  pixels: 'pixels',
  random: 'random',
};

export function ProbePanel({ probes, curve, send }: Props) {
  const [lpc, setLpc] = useState<LabelsPerClass>(10);
  const active = Object.values(probes).filter((p) => p.status === 'running' || p.status === 'queued');
  const running = active.find((p) => p.status === 'running');
  const rows = LABELS_PER_CLASS.map(String).filter((g) => probes[g]);
  const evaluate = (v: LabelsPerClass) =>
    send({ type: 'evaluate', labelsPerClass: v, budgetScale: studyBudgetScale() });
  return (
    <section className="panel probes" aria-label="Few labels: probes, fine-tuning and from scratch">
      <h2>Few labels: what pre-training buys</h2>
      <div className="probe-controls">
        <label title="How many labelled training images per class every method may use.">
          <span>Labels per class</span>
          <select aria-label="Labels per class" value={String(lpc)} onChange={(e) => setLpc(parse(e.target.value))}>
            {LABELS_PER_CLASS.map((v) => (
              <option key={String(v)} value={String(v)}>
                {v === 'all' ? 'all' : v}
              </option>
            ))}
          </select>
        </label>
        <button
          onClick={() => evaluate(lpc)}
          aria-label="Run probe"
          title="Probe the frozen h, fine-tune, and train from scratch with these labels (runs between training steps)."
        >
          Run probe
        </button>
        <button
          onClick={() => {
            for (const v of [1, 10, 100] as LabelsPerClass[]) evaluate(v);
          }}
          aria-label="Run 1, 10 and 100"
          title="Queue 1, 10 and 100 labels per class, to fill the chart."
        >
          1 / 10 / 100
        </button>
      </div>
      {running && (
        <div className="probe-progress" data-testid="probe-progress">
          <progress
            max={1}
            value={running.progress}
            aria-label={`Probe with ${running.labelsPerClass} labels per class`}
          />
          <span>
            {running.labelsPerClass}/class: {running.message}
          </span>
        </div>
      )}
      {active.length > 1 && <p className="muted">{active.length - (running ? 1 : 0)} more queued.</p>}
      {rows.length > 0 && (
        <div className="probe-table-wrap">
          <table className="probe-table" aria-label="Held-out accuracy with few labels (%)">
            <thead>
              <tr>
                <th scope="col" title="Labels per class">
                  labels
                </th>
                {METHOD_STYLE.map((m) => (
                  <th key={m.key} scope="col" title={m.title}>
                    {m.short}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((g) => {
                const r = probes[g];
                const title =
                  r.status === 'error'
                    ? r.message
                    : `${r.trainCount} labelled images (${r.fitCount} fitted, ${r.valCount} for validation), ${r.draws} of ${r.drawsWanted} draws; encoder at step ${r.step} (epoch ${r.epoch.toFixed(1)}); fine-tuning: ${r.fineTuneSteps ?? '–'} steps; from scratch: ${r.scratchSteps ?? '–'} steps of 64 images (compute-matched), ${r.convergedSteps ?? '–'} to convergence.`;
                const out = [
                  <tr key={g} data-testid={`probe-row-${g}`} title={title}>
                    <th scope="row">{g}</th>
                    {METHOD_STYLE.map((m) => (
                      <td key={m.key} data-testid={`probe-${TESTID[m.key]}-${g}`}>
                        {pct(r.results[m.key]?.mean)}
                      </td>
                    ))}
                  </tr>,
                ];
                if (r.drawsWanted > 1 && r.draws > 0) {
                  out.push(
                    <tr key={`${g}-spread`} className="spread" data-testid={`probe-spread-${g}`}>
                      <th scope="row" title="Lowest and highest over the labelled draws">
                        {r.draws} draws
                      </th>
                      {METHOD_STYLE.map((m) => {
                        const s = r.results[m.key];
                        return <td key={m.key}>{s && s.n > 1 ? `${pct(s.min)}–${pct(s.max)}` : ''}</td>;
                      })}
                    </tr>,
                  );
                }
                return out;
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 && <ProbeNotes reports={rows.map((g) => probes[g])} />}
      <ProbeChart probes={probes} />
      <div className="legend">
        {METHOD_STYLE.map((s) => (
          <span key={s.key} className="legend-item">
            <i className={`sw ${s.cls}`} />
            {s.label}
          </span>
        ))}
      </div>
      <LabelCurve curve={curve} send={send} />
    </section>
  );
}
