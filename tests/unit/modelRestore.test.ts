// Save and restore through the real Trainer and the file format: a restored run embeds the
// display set exactly as the saved one did and continues with the very same next steps (Adam's
// state and the data order included). Tiny 8x8 images so the cpu backend stays quick.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModelFile, encodeModelFile } from '../../src/core/modelFile';
import { tinyDataset } from './support/tinyDataset';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { Trainer } from '../../src/engine/trainer';

const settings: Settings = { ...defaultSettings('mnist'), batchSize: 8, embeddingDim: 8, seed: 5 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('saving and restoring a run', () => {
  it('restores weights, step and Adam state exactly, leaks nothing, and refuses a misfit', async () => {
    const data = tinyDataset();
    const a = new Trainer(data, settings);
    for (let i = 0; i < 3; i++) await a.trainStep();
    const saved = await a.saveState();
    expect(saved.step).toBe(3);
    expect(saved.optimizer?.iterations).toBe(3);
    const file = encodeModelFile(saved);
    const before = await a.embedDisplayBoth();

    const decoded = decodeModelFile(file);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const tensorsBefore = tf.memory().numTensors;
    const b = new Trainer(data, settings);
    expect(await b.restore(decoded.state)).toBe(null);
    expect(b.step).toBe(3);
    expect(b.epoch).toBeCloseTo(a.epoch, 12);
    const after = await b.embedDisplayBoth();
    expect(Array.from(after.z)).toEqual(Array.from(before.z));
    expect(Array.from(after.h)).toEqual(Array.from(before.h));

    // The same next steps: same batch, same augmentations, same Adam update.
    for (let i = 0; i < 2; i++) {
      const [ra, rb] = [await a.trainStep(), await b.trainStep()];
      expect(Array.from(rb.batch!.indices)).toEqual(Array.from(ra.batch!.indices));
      expect(rb.loss).toBe(ra.loss);
    }
    const za = (await a.embedDisplayBoth()).z,
      zb = (await b.embedDisplayBoth()).z;
    expect(Array.from(zb)).toEqual(Array.from(za));

    // A restored trainer holds as many tensors as one that trained itself.
    b.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    // Weights of another dimension do not fit: refused before anything changes.
    const c = new Trainer(data, { ...settings, embeddingDim: 16 });
    const zc = (await c.embedDisplayBoth()).z;
    const msg = await c.restore(decoded.state);
    expect(msg).toMatch(/Not loaded \(training is unchanged\): weight \d+ has shape/);
    expect(c.step).toBe(0);
    expect(Array.from((await c.embedDisplayBoth()).z)).toEqual(Array.from(zc));
    c.dispose();
    a.dispose();
  });

  it('a run saved before its first step restores without optimizer state', async () => {
    const data = tinyDataset();
    const a = new Trainer(data, settings);
    const saved = await a.saveState();
    expect(saved.optimizer).toBe(null);
    const b = new Trainer(data, settings);
    expect(await b.restore(saved)).toBe(null);
    const [ra, rb] = [await a.trainStep(), await b.trainStep()];
    expect(rb.loss).toBe(ra.loss);
    a.dispose();
    b.dispose();
  });
});
