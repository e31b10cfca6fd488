// The page's handle on the training worker: sends commands, keeps the latest events as React
// state. The only place in the UI that knows a worker exists; engineSupervisor.ts replaces it
// when it fails.

import { useCallback, useEffect, useRef, useState } from 'react';
import {
  TEST_FAULTS_WORKER_NAME,
  type BackendInfo,
  type Command,
  type EmbeddingsExport,
  type EngineError,
  type EngineEvent,
  type Explain,
  type ClipEval,
  type ClipSearch,
  type ClipState,
  type LabelCurveReport,
  type Metrics,
  type ModelLoaded,
  type ModelSaved,
  type ProbeReport,
  type QueryResult,
  type Ready,
  type Snapshot,
  type TransferFailed,
  type ViewPairs,
} from '../protocol';
import { parseWasmThreads } from '../core/wasmThreads';
import { EngineSupervisor, REAL_TIMING, TEST_TIMING, type WorkerLike } from './engineSupervisor';

/** Read once at load: the page drops its query string when it first writes the hash. ?test=faults
 *  lets the browser tests inject faults into the worker and shortens the fault timings. */
const TEST_FAULTS = new URLSearchParams(location.search).get('test') === 'faults';
/** ?threads=N (or #threads=N): wasm's threads, instead of the worker's own choice. */
const WASM_THREADS = parseWasmThreads(
  new URLSearchParams(location.hash.slice(1)).get('threads') ?? new URLSearchParams(location.search).get('threads'),
);

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
  /** The label-efficiency curve, as far as it got. */
  labelCurve?: LabelCurveReport | null;
  /** The latest answers about export and restore (each a new object, so a view can react once). */
  exported?: EmbeddingsExport | null;
  saved?: ModelSaved | null;
  loaded?: ModelLoaded | null;
  transferFailed?: TransferFailed | null;
  /** The latest answer to a search by example (a drawing, a clicked image). */
  query?: QueryResult | null;
  /** CLIP mode: the run's temperature and gap paths, caption points; the latest evaluation and search. */
  clipState?: ClipState | null;
  clipEval?: ClipEval | null;
  clipSearch?: ClipSearch | null;
}

export function useEngine() {
  const supervisorRef = useRef<EngineSupervisor | null>(null);
  const [state, setState] = useState<EngineState>({ snapshot: null, backend: null, ready: null, errors: [] });

  useEffect(() => {
    const onEvent = (ev: EngineEvent) => {
      setState((s) => {
        switch (ev.type) {
          case 'snapshot':
            // Keep the last display set and batch when a snapshot carries none (each is sent once).
            return {
              ...s,
              snapshot: {
                ...ev,
                display: ev.display ?? s.snapshot?.display ?? null,
                batch: ev.batch ?? s.snapshot?.batch ?? null,
                // The batch's views and factors belong to the batch: kept with it, replaced with it.
                batchViews: ev.batch ? (ev.batchViews ?? null) : (s.snapshot?.batchViews ?? null),
                batchFactors: ev.batch ? (ev.batchFactors ?? null) : (s.snapshot?.batchFactors ?? null),
                batchCaptions: ev.batch ? (ev.batchCaptions ?? null) : (s.snapshot?.batchCaptions ?? null),
              },
            };
          case 'backend':
            return { ...s, backend: ev };
          case 'ready':
            // A run that starts answers the data problem an earlier one had (e.g. too few images).
            return {
              ...s,
              ready: ev,
              snapshot: null,
              probes: {},
              labelCurve: null,
              query: null,
              clipState: null,
              clipEval: null,
              clipSearch: null,
              errors: s.errors.filter((e) => e.kind !== 'data'),
            };
          case 'preview':
            return { ...s, preview: ev.views };
          case 'explain':
            return { ...s, explain: ev };
          case 'metrics':
            return { ...s, metrics: ev };
          case 'probe':
            return { ...s, probes: { ...s.probes, [String(ev.labelsPerClass)]: ev } };
          case 'labelCurve':
            return { ...s, labelCurve: ev };
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
          case 'queryResult':
            return { ...s, query: ev };
          default:
            return s;
        }
      });
    };
    const supervisor = new EngineSupervisor({
      create: () => {
        const w = new Worker(new URL('../engine/worker.ts', import.meta.url), {
          type: 'module',
          name: TEST_FAULTS ? TEST_FAULTS_WORKER_NAME : 'engine',
        });
        // Ahead of the supervisor's 'configure', so it applies before the backend starts.
        if (WASM_THREADS !== undefined) w.postMessage({ type: 'wasmThreads', n: WASM_THREADS } satisfies Command);
        return w as unknown as WorkerLike;
      },
      onEvent,
      onNotice: (message) =>
        setState((s) => ({ ...s, errors: [...s.errors.slice(-4), { type: 'error', kind: 'recovered', message }] })),
      // The browser tests talk to the worker directly (fault injection, NaN poisoning).
      onWorker: (w) => {
        (window as unknown as { __engine?: WorkerLike }).__engine = w;
      },
      timing: TEST_FAULTS ? TEST_TIMING : REAL_TIMING,
      visible: () => document.visibilityState === 'visible',
    });
    supervisorRef.current = supervisor;
    return () => supervisor.dispose();
  }, []);

  const send = useCallback(
    (cmd: Command, transfer: Transferable[] = []) => supervisorRef.current?.send(cmd, transfer),
    [],
  );
  const dismissError = useCallback(
    (i: number) => setState((s) => ({ ...s, errors: s.errors.filter((_, k) => k !== i) })),
    [],
  );
  return { ...state, send, dismissError };
}
