// Deferred loss reads (GPU backends): a window of updates is applied unread and its losses read
// together. The run must be the very same as reading every loss, and a bad loss inside a window
// must take the weights, Adam and the data position back to where the window began.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { NonFiniteLossError, Trainer } from '../../src/engine/trainer';
import { tinyDataset } from './support/tinyDataset';

const settings: Settings = { ...defaultSettings('mnist'), batchSize: 8, embeddingDim: 8, seed: 3 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('deferred loss reads', () => {
  it('give the same losses and weights as reading every step, and undo a window with a NaN', async () => {
    const data = tinyDataset();
    const every = new Trainer(data, settings);
    const deferred = new Trainer(data, settings);
    deferred.readEvery = 4;
    const ref: number[] = [];
    for (let i = 0; i < 5; i++) ref.push((await every.trainStep(false, false)).loss);

    const seen: { step: number; loss: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await deferred.trainStep(false, false);
      expect(r.losses.length).toBe(i === 3 ? 4 : 0); // read together at the window's end
      seen.push(...r.losses);
    }
    expect(seen.map((l) => l.step)).toEqual([1, 2, 3, 4]);
    expect(seen.map((l) => l.loss)).toEqual(ref.slice(0, 4));

    // Window 2: steps 5-8, step 6 poisoned. Steps 6 and 7 are applied unread; at step 8 the
    // read finds the NaN and the trainer goes back to step 4.
    const tensors = tf.memory().numTensors;
    const at4 = await deferred.embedDisplayBoth();
    await deferred.trainStep(false, false);
    deferred.poisonNext = true;
    await deferred.trainStep(false, false);
    await deferred.trainStep(false, false);
    const err = await deferred.trainStep(false, false).catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBe(4);
    expect(deferred.step).toBe(4);
    expect(Array.from((await deferred.embedDisplayBoth()).z)).toEqual(Array.from(at4.z));
    // It trains on from step 4 exactly as the reference did (same batch, same Adam state).
    const r5 = await deferred.trainStep(false, false);
    expect(await deferred.flush()).toEqual([{ step: 5, loss: ref[4] }]);
    expect(r5.losses).toEqual([]);
    expect(Array.from((await deferred.embedDisplayBoth()).z)).toEqual(Array.from((await every.embedDisplayBoth()).z));
    // Nothing left behind: one checkpoint held then as now, no pending losses.
    expect(tf.memory().numTensors).toBe(tensors);
    every.dispose();
    deferred.dispose();
  });
});
