// What leaves the worker as a file or a recovery copy: the display set's embeddings for the
// Projector, and the run's saved state (a download or the page's checkpoint). The worker's
// chores call these between steps, so the weights they read are not moving.

import type { EngineEvent } from '../protocol';
import type { ClipTrainer } from './clip/clipTrainer';
import type { Trainer } from './trainer';

type Post = (ev: EngineEvent, transfer?: Transferable[]) => void;

/** h and z of the display set, with its factors (and CLIP's caption points), transferred. */
export async function exportEmbeddings(t: Trainer, clip: ClipTrainer | null, post: Post): Promise<void> {
  const { h, z } = await t.embedDisplayBoth();
  const idx = t.displayIndices.slice();
  const factors = t.data.factors.map((f) => ({
    name: f.name,
    classes: f.classes,
    values: Int32Array.from(idx, (i) => f.values[i]),
  }));
  const captions = clip === t ? await clip.displayCaptionPoints() : undefined;
  post(
    {
      type: 'embeddings',
      step: t.step,
      count: idx.length,
      indices: idx,
      z,
      zDim: t.encoder.zDim,
      h,
      hDim: t.encoder.hDim,
      factors,
      captions,
    },
    [z.buffer, h.buffer, idx.buffer, ...factors.map((f) => f.values.buffer), ...(captions ? [captions.z.buffer] : [])],
  );
}

/**
 * The run's state, for a download ('modelSaved') or the page's recovery copy ('checkpoint', the
 * same state without the download). `flush` reads deferred losses first: a save never holds
 * weights whose losses are unread.
 */
export async function postState(
  t: Trainer,
  flush: (t: Trainer) => Promise<void>,
  post: Post,
  as: { type: 'modelSaved' } | { type: 'checkpoint'; id: number },
): Promise<void> {
  await flush(t);
  const state = await t.saveState();
  const tensors = [
    ...state.weights,
    ...(state.optimizer ? [...state.optimizer.firstMoment, ...state.optimizer.secondMoment] : []),
  ];
  post(
    { ...as, state },
    tensors.map((x) => x.data.buffer),
  );
}
