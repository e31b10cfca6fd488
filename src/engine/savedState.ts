// Weights and optimizer state saved on the device, to go back to: a deferred-read window's
// checkpoint (trainer.ts) and the compile-ahead pass (precompile.ts) both need it.

import * as tf from '@tensorflow/tfjs';
import type { FlatAdam } from './adam';

/** What is saved: variables, and the optimizers that move them. */
export interface Assigned {
  variables: tf.Variable[];
  optimizers: FlatAdam[];
}

export interface SavedState {
  /** Puts the variables and optimizers back as they were when saved (the copy is kept). */
  restore(): void;
  dispose(): void;
}

export function saveState(assigned: Assigned): SavedState {
  const weights = assigned.variables.map((v) => tf.clone(v));
  const states = assigned.optimizers.map((o) => o.snapshot());
  return {
    restore() {
      assigned.variables.forEach((v, i) => v.assign(weights[i]));
      assigned.optimizers.forEach((o, i) => o.restore(states[i]));
    },
    dispose() {
      tf.dispose(weights);
      assigned.optimizers.forEach((o, i) => o.disposeSnapshot(states[i]));
    },
  };
}

/** Runs `run`, then puts the variables and the optimizers' state back as they were before it. */
export function keepingState(assigned: Assigned, run: () => void): void {
  const saved = saveState(assigned);
  try {
    run();
  } finally {
    saved.restore();
    saved.dispose();
  }
}
