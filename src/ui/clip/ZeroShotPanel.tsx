// Zero-shot classification: each class said in words through editable prompt templates
// (averaged over the templates, as CLIP does), every held-out image given the class whose
// prompt embedding is nearest. Beside it: the held-out compositions (colour x shape pairs never
// trained on), chance, the binding test on two shapes, and the image encoder's linear probe as
// a supervised reference. Re-measured every few seconds while training, and when paused.

import { useEffect, useRef, useState } from 'react';
import { zeroShotFactors } from '../../core/clipData';
import type { ClipEval, Command, ProbeReport } from '../../protocol';

/** Least time between two evaluations while training; and at most this share of the time. */
const EVERY_MS = 8000;
const EVAL_SHARE = 0.15;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : (100 * x).toFixed(1));

interface Props {
  dataset: string;
  result: ClipEval | null;
  probes: Record<string, ProbeReport> | undefined;
  step: number;
  playing: boolean;
  send: (c: Command) => void;
}

export function ZeroShotPanel({ dataset, result, probes, step, playing, send }: Props) {
  const factors = zeroShotFactors(dataset);
  const [factorId, setFactorId] = useState(factors[0].id);
  const factor = factors.find((f) => f.id === factorId) ?? factors[0];
  const [templates, setTemplates] = useState<Record<string, string[]>>({});
  const shownTemplates = templates[factor.id] ?? factor.defaultTemplates;
  const last = useRef({ at: 0, step: -1, tookMs: 0 });
  const templatesRef = useRef(templates);
  templatesRef.current = templates;

  const evaluate = () => {
    last.current = { ...last.current, at: performance.now(), step };
    send({ type: 'clipEvaluate', templates: templatesRef.current });
  };
  // How long the last evaluation took (it shares the CPU with training): the next waits longer.
  useEffect(() => {
    if (result) last.current.tookMs = performance.now() - last.current.at;
  }, [result]);
  useEffect(() => {
    const wait = Math.max(EVERY_MS, last.current.tookMs / EVAL_SHARE);
    const due = playing ? performance.now() - last.current.at > wait : last.current.step !== step;
    // evaluate reads the latest templates through the ref, so only the step and play state matter.
    if (due) evaluate();
  }, [step, playing]);
  useEffect(() => {
    setFactorId(zeroShotFactors(dataset)[0].id);
  }, [dataset]);

  const r = result?.factors.find((f) => f.id === factor.id) ?? null;
  const probe = Object.values(probes ?? {})
    .filter((p) => p.status === 'done' && p.results.pretrained !== undefined)
    .sort((a, b) => b.trainCount - a.trainCount)[0];
  return (
    <section className="panel clip-zeroshot" aria-label="Zero-shot classification" data-testid="zero-shot">
      <h2>Zero-shot classification</h2>
      <p className="muted">
        Each class is said in words; each held-out image takes the class whose prompt is nearest. No label was used to
        train.
      </p>
      <div className="clip-row">
        <label className="field">
          <span>Factor</span>
          <select aria-label="Zero-shot factor" value={factor.id} onChange={(e) => setFactorId(e.target.value)}>
            {factors.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button onClick={evaluate} aria-label="Evaluate zero-shot now">
          Evaluate now
        </button>
      </div>
      <label className="field clip-templates">
        <span>Prompt templates (one per line; {slotsOf(factor.slots)})</span>
        <textarea
          aria-label="Prompt templates"
          rows={3}
          value={shownTemplates.join('\n')}
          onChange={(e) => setTemplates({ ...templates, [factor.id]: e.target.value.split('\n') })}
          onBlur={evaluate}
        />
      </label>
      {r && r.unknown.length > 0 && (
        <p className="notice" role="status">
          Not in the vocabulary: {r.unknown.map((w) => `"${w}"`).join(', ')} (read as an unknown word).
        </p>
      )}
      <dl className="clip-figures">
        <div>
          <dt>Accuracy ({factor.label})</dt>
          <dd>
            <strong data-testid="zero-shot-accuracy">{pct(r?.accuracy)}</strong>%
          </dd>
        </div>
        <div>
          <dt>Chance</dt>
          <dd>
            <span data-testid="zero-shot-chance">{pct(r?.chance)}</span>%
          </dd>
        </div>
        {result?.compositions !== null && result?.compositions !== undefined && (
          <div title="Colour x shape, on held-out images of the pairs that never appeared in training (neither image nor caption).">
            <dt>Held-out compositions ({result.compositionCount} images; each picks 1 of 64 colour x shape prompts)</dt>
            <dd>
              <span data-testid="zero-shot-compositions">{pct(result.compositions)}</span>%
            </dd>
          </div>
        )}
        {result?.precisionAt12 !== null && result?.precisionAt12 !== undefined && (
          <div title="Text search: the share of the 12 best images that match, averaged over all 64 'a {colour} {shape}' queries.">
            <dt>Search precision at 12</dt>
            <dd>
              <span data-testid="search-precision">{pct(result.precisionAt12)}</span>%
            </dd>
          </div>
        )}
        {result?.binding !== null && result?.binding !== undefined && (
          <div title="Does each image prefer its caption over the same caption with the two colours swapped? A bag of words cannot tell: about 50%.">
            <dt>Binding (true vs colours swapped)</dt>
            <dd>
              <span data-testid="binding-accuracy">{pct(result.binding)}</span>%
            </dd>
          </div>
        )}
        <div title="A linear classifier on the same image encoder's features, trained with labels (the Measurements panel's probe): a supervised reference.">
          <dt>Linear probe ({probe ? `${probe.labelsPerClass} labels per class` : 'not run'})</dt>
          <dd>
            {probe ? (
              `${pct(probe.results.pretrained!.mean)}%`
            ) : (
              <button onClick={() => send({ type: 'evaluate', labelsPerClass: 100 })} aria-label="Run the linear probe">
                Run
              </button>
            )}
          </dd>
        </div>
      </dl>
      {result && (
        <p className="clip-all-factors" aria-label="Zero-shot accuracy of every factor">
          {result.factors.map((f) => (
            <span key={f.id}>
              {f.label} <b data-testid={`zero-shot-factor-${f.id}`}>{pct(f.accuracy)}</b>%{' '}
            </span>
          ))}
        </p>
      )}
      <p className="muted">
        Measured at step <span data-testid="zero-shot-step">{result?.step ?? '–'}</span> on {result?.imageCount ?? '–'}{' '}
        held-out images.
      </p>
      {r && r.classNames.length <= 10 && <Confusion names={r.classNames} counts={r.confusion} />}
    </section>
  );
}

function slotsOf(slots: Record<string, readonly string[]>): string {
  return Object.keys(slots)
    .map((k) => `{${k}}`)
    .join(', ');
}

function Confusion({ names, counts }: { names: string[]; counts: Int32Array }) {
  const c = names.length;
  const max = Math.max(1, ...counts);
  return (
    <table className="clip-confusion" aria-label="Zero-shot confusion matrix (rows: true class, columns: predicted)">
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {names.map((n) => (
            <th key={n} scope="col">
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((n, i) => (
          <tr key={n}>
            <th scope="row">{n}</th>
            {names.map((_, j) => {
              const v = counts[i * c + j];
              return (
                <td
                  key={j}
                  style={{ background: `rgba(${i === j ? '40,120,200' : '210,80,60'}, ${(0.85 * v) / max})` }}
                >
                  {v || ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
