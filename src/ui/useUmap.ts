// UMAP of the display set, computed on demand in a worker (see umapWorker.ts). The layout is
// a snapshot: it is computed once for the display set of the moment and kept (training goes on),
// until the user asks to recompute for the latest one.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../protocol';
import type { UmapReply, UmapRequest } from './umapWorker';

type Display = NonNullable<Snapshot['display']>;

export interface UmapState {
  /** n x 2, centred and scaled so the bulk of the cloud fills the unit disk; null until done. */
  layout: Float32Array | null;
  /** The training step of the display set it was computed from. */
  step: number;
  computing: boolean;
  error: string | null;
  recompute: () => void;
}

export function useUmap(display: Display | null, dim: number, on: boolean): UmapState {
  const [state, setState] = useState<Omit<UmapState, 'recompute'>>({
    layout: null,
    step: -1,
    computing: false,
    error: null,
  });
  const worker = useRef<Worker | null>(null);
  const reqId = useRef(0);
  const latest = useRef(display);
  latest.current = display;

  const recompute = useCallback(() => {
    const d = latest.current;
    if (!d) return;
    // Created on first use, so nothing of UMAP is fetched until it is asked for.
    const w = (worker.current ??= new Worker(new URL('./umapWorker.ts', import.meta.url), {
      type: 'module',
      name: 'umap',
    }));
    const id = ++reqId.current;
    const n = d.labels.length;
    w.onmessage = (e: MessageEvent<UmapReply>) => {
      if (e.data.id !== reqId.current) return; // a newer request supersedes this one
      const r = e.data;
      setState((s) =>
        'error' in r
          ? { ...s, computing: false, error: r.error }
          : { layout: fitUnitDisk(r.layout, n), step: d.step, computing: false, error: null },
      );
    };
    setState((s) => ({ ...s, computing: true, error: null }));
    // A copy, so the snapshot the page draws keeps its buffer.
    w.postMessage({ id, embeddings: d.embeddings.slice(), n, dim } satisfies UmapRequest);
  }, [dim]);

  // First switch to UMAP (or a new embedding width): compute for what is shown now.
  const needs =
    on &&
    !!display &&
    !state.computing &&
    !state.error &&
    (!state.layout || state.layout.length !== 2 * display.labels.length);
  useEffect(() => {
    if (needs) recompute();
  }, [needs, recompute]);
  // A different model width makes the old layout meaningless.
  useEffect(() => {
    reqId.current++;
    setState({ layout: null, step: -1, computing: false, error: null });
  }, [dim]);
  useEffect(() => () => worker.current?.terminate(), []);
  return { ...state, recompute };
}

/** Centres the layout and scales it so 97% of the points fall inside the unit disk (as PCA). */
function fitUnitDisk(xy: Float32Array, n: number): Float32Array {
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += xy[2 * i] / n;
    my += xy[2 * i + 1] / n;
  }
  const radii = new Float64Array(n);
  for (let i = 0; i < n; i++) radii[i] = Math.hypot(xy[2 * i] - mx, xy[2 * i + 1] - my);
  radii.sort();
  const s = 1 / Math.max(1e-6, radii[Math.floor(0.97 * Math.max(0, n - 1))] ?? 1);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = (xy[2 * i] - mx) * s;
    out[2 * i + 1] = (xy[2 * i + 1] - my) * s;
  }
  return out;
}
