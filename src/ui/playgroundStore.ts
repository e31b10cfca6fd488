// The few choices the embedding view and the anchor panels share (which batch row is the
// anchor, what colours the points, whether every batch point shows its force), kept in one
// tiny store so neither component owns the other and App.tsx only places them.

import { useSyncExternalStore } from 'react';

export interface PlaygroundState {
  /** Batch row (0..2N-1) whose forces, triple and loss term are shown. */
  anchor: number;
  /** Index into the dataset's factors (0 = the class label). */
  colourBy: number;
  showAllForces: boolean;
  /** Each class (or factor value) drawn in its own shape as well as its colour. */
  markers: boolean;
}

let state: PlaygroundState = { anchor: 0, colourBy: 0, showAllForces: false, markers: false };
const listeners = new Set<() => void>();

export function setPlayground(patch: Partial<PlaygroundState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function usePlayground(): PlaygroundState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
