// The page's handle on the training worker: sends commands, keeps the latest events as React
// state. The only place in the UI that knows a worker exists.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClipEval, ClipSearch, ClipState } from '../protocol';
import type { BackendInfo, Command, EmbeddingsExport, EngineError, EngineEvent, Explain, Metrics, ModelLoaded, ModelSaved, ProbeReport, Ready, Snapshot, TransferFailed, ViewPairs } from '../protocol';

export interface EngineState {
  snapshot: Snapshot | null;
  backend: BackendInfo | null;
  ready: Ready | null;
  errors: EngineError[];
  /** The augmentation panel's preview pairs (answer to a 'preview' command). */
  preview?: ViewPairs | null;
  /** The last slow-motion step: the batch before and after its update. */
  explain?: Explain | null;
  /** kNN, geometry and their history; baselines (the measurement panel). */
  metrics?: Metrics | null;
  /** The latest report of each on-demand probe, by labels per class ('1', '10', '100', 'all'). */
  probes?: Record<string, ProbeReport>;
  /** The latest answers about export and restore (each a new object, so a view can react once). */
  exported?: EmbeddingsExport | null;
  saved?: ModelSaved | null;
  loaded?: ModelLoaded | null;
  transferFailed?: TransferFailed | null;
  /** CLIP mode: the run's temperature and gap paths, caption points; the latest evaluation and search. */
  clipState?: ClipState | null;
  clipEval?: ClipEval | null;
  clipSearch?: ClipSearch | null;
}

export function useEngine() {
  const workerRef = useRef<Worker | null>(null);
  const [state, setState] = useState<EngineState>({ snapshot: null, backend: null, ready: null, errors: [] });

  useEffect(() => {
    const worker = new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module', name: 'engine' });
    workerRef.current = worker;
    worker.onmessage = (e: MessageEvent<EngineEvent>) => {
      const ev = e.data;
      setState((s) => {
        switch (ev.type) {
          case 'snapshot':
            // Keep the last display set and batch when a snapshot carries none (each is sent once).
            return { ...s, snapshot: { ...ev, display: ev.display ?? s.snapshot?.display ?? null, batch: ev.batch ?? s.snapshot?.batch ?? null,
              // The batch's views and factors belong to the batch: kept with it, replaced with it.
              batchViews: ev.batch ? ev.batchViews ?? null : s.snapshot?.batchViews ?? null,
              batchFactors: ev.batch ? ev.batchFactors ?? null : s.snapshot?.batchFactors ?? null,
              batchCaptions: ev.batch ? ev.batchCaptions ?? null : s.snapshot?.batchCaptions ?? null } };
          case 'backend':
            return { ...s, backend: ev };
          case 'ready':
            return { ...s, ready: ev, snapshot: null, probes: {}, clipState: null, clipEval: null, clipSearch: null };
          case 'preview':
            return { ...s, preview: ev.views };
          case 'explain':
            return { ...s, explain: ev };
          case 'metrics':
            return { ...s, metrics: ev };
          case 'probe':
            return { ...s, probes: { ...s.probes, [String(ev.labelsPerClass)]: ev } };
          case 'error':
            return { ...s, errors: [...s.errors.slice(-4), ev] };
          case 'embeddings':
            return { ...s, exported: ev };
          case 'modelSaved':
            return { ...s, saved: ev };
          case 'modelLoaded':
            return { ...s, loaded: ev };
          case 'transferFailed':
            return { ...s, transferFailed: ev };
          case 'clipState':
            return { ...s, clipState: ev };
          case 'clipEval':
            return { ...s, clipEval: ev };
          case 'clipSearch':
            return { ...s, clipSearch: ev };
        }
      });
    };
    worker.onerror = (e) => {
      setState((s) => ({ ...s, errors: [...s.errors, { type: 'error', kind: 'fatal', message: `The training worker crashed: ${e.message}` }] }));
    };
    (window as unknown as { __engine?: Worker }).__engine = worker;
    return () => worker.terminate();
  }, []);

  const send = useCallback((cmd: Command) => workerRef.current?.postMessage(cmd), []);
  const dismissError = useCallback((i: number) => setState((s) => ({ ...s, errors: s.errors.filter((_, k) => k !== i) })), []);
  return { ...state, send, dismissError };
}
