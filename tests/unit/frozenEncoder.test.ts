// An evaluation spreads its chunks over many training steps. It must embed every image with the
// weights of the moment it began, not with whatever the live encoder has become by each chunk.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { embed, frozenEncoder } from '../../src/engine/eval';
import { Trainer } from '../../src/engine/trainer';
import { tinyDataset } from './support/tinyDataset';

const settings: Settings = { ...defaultSettings('mnist'), batchSize: 8, embeddingDim: 8, seed: 4 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('frozenEncoder', () => {
  it('lends the weights of the moment it was taken, whatever training does after, and leaves no tensor', async () => {
    const data = tinyDataset();
    const t = new Trainer(data, settings);
    await t.trainStep(false, false);
    const idx = t.test.slice(0, 6);
    const before = await embed(t.encoder, data, idx);
    const frozen = await frozenEncoder(t.encoder, () => t.freshEncoder());
    const tensors = tf.memory().numTensors;

    for (let i = 0; i < 3; i++) await t.trainStep(false, false);
    const live = await embed(t.encoder, data, idx);
    // Training moved the live encoder (else this test could not fail)...
    expect(Math.max(...live.z.map((v, i) => Math.abs(v - before.z[i])))).toBeGreaterThan(1e-3);

    // ...but every loan embeds exactly as the encoder did when frozen.
    for (let k = 0; k < 2; k++) {
      const lent = frozen();
      const got = await embed(lent.encoder, data, idx);
      lent.done();
      expect(Array.from(got.h)).toEqual(Array.from(before.h));
      expect(Array.from(got.z)).toEqual(Array.from(before.z));
    }
    expect(tf.memory().numTensors).toBe(tensors);
    t.dispose();
  });
});
