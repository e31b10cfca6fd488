// A run's weights and Adam's moments as a saved-model state, and back again. Where the data
// order stands is the Trainer's own (it redraws the epoch's order from it); here it only travels.

import * as tf from '@tensorflow/tfjs';
import type { ModelState, SavedTensor } from '../core/modelFile';
import type { Settings } from '../core/settings';
import type { FlatAdam } from './adam';

/** Where a run stands in its data, saved beside the weights so a restored run draws the same batches. */
export interface DataPosition {
  step: number;
  seen: number;
  orderEpoch: number;
  cursor: number;
}

/** Reads the weights and (once a step has run) Adam's moments back into a saveable state. */
export async function readModelState(
  vars: tf.Variable[],
  optimizer: FlatAdam,
  s: Settings,
  at: DataPosition,
): Promise<ModelState> {
  const read = async (t: tf.Tensor): Promise<SavedTensor> => ({
    shape: t.shape.slice(),
    data: Float32Array.from((await t.data()) as Float32Array),
  });
  const weights = await Promise.all(vars.map(read));
  let saved: ModelState['optimizer'] = null;
  if (optimizer.iterations > 0) {
    const m = await optimizer.moments();
    const asSaved = (parts: Float32Array[]) =>
      parts.map((data, i): SavedTensor => ({ shape: vars[i].shape.slice(), data }));
    saved = { iterations: m.iterations, firstMoment: asSaved(m.first), secondMoment: asSaved(m.second) };
  }
  return {
    arch: { dataset: s.dataset, model: s.model, embeddingDim: s.embeddingDim, seed: s.seed },
    step: at.step,
    seen: at.seen,
    orderEpoch: at.orderEpoch,
    cursor: at.cursor,
    weights,
    optimizer: saved,
    savedAt: new Date().toISOString(),
  };
}

/** Assigns a saved state's weights and moments; the caller has checked that every shape fits. */
export function installModelState(vars: tf.Variable[], optimizer: FlatAdam, state: ModelState): void {
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(state.weights[i].data, state.weights[i].shape))));
  const o = state.optimizer;
  // decodeModelFile has checked that each moment has its weight's shape, and the weights fit.
  if (o)
    optimizer.setMoments({
      iterations: o.iterations,
      first: o.firstMoment.map((t) => t.data),
      second: o.secondMoment.map((t) => t.data),
    });
}
