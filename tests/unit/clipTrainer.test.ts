// The CLIP run as the worker builds it, on the cpu backend with a small batch: its training list
// holds no held-out composition, a step pairs images with captions in the batch's 2N rows, reads
// a learned temperature with the loss, and leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairsOf } from '../../src/core/clipData';
import { isHeldOut } from '../../src/core/heldOutPairs';
import { defaultSettings } from '../../src/core/settings';
import { makeShapes } from '../../src/core/shapes';
import { ClipTrainer } from '../../src/engine/clip/clipTrainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ClipTrainer', () => {
  it('trains on no image of a held-out pair, steps, and leaks nothing', async () => {
    const data = makeShapes(2400, 11);
    const s = {
      ...defaultSettings('shapes'),
      loss: 'clip' as const,
      batchSize: 8,
      embeddingDim: 8,
      learnTemperature: 'on' as const,
    };
    const t = new ClipTrainer(data, s);
    const pairs = pairsOf(data)!;
    expect(t.heldOut).toHaveLength(8);
    for (const i of t.train) for (const p of pairs(i)) expect(isHeldOut(t.heldOut, p.colour, p.shape)).toBe(false);
    // The held-out split still shows them: that is where compositions are measured.
    expect(Array.from(t.test).some((i) => pairs(i).some((p) => isHeldOut(t.heldOut, p.colour, p.shape)))).toBe(true);

    await t.trainStep();
    const before = tf.memory().numTensors;
    const r = await t.trainStep();
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.captions).toHaveLength(8);
    expect(r.batch!.embeddings.length).toBe(2 * 8 * 8);
    // Row i + N is image i's caption: the batch's labels repeat.
    expect(Array.from(r.labels.subarray(8))).toEqual(Array.from(r.labels.subarray(0, 8)));
    // The learned temperature moved off its start, within the cap.
    expect(t.temperatureNow()).not.toBe(0.07);
    expect(t.temperatureNow()).toBeGreaterThanOrEqual(0.01);
    await t.embedDisplay();
    const st = t.state();
    expect(st.captions!.texts).toHaveLength(t.displayIndices.length);
    expect(st.gapPath.values.length).toBe(1);
    expect(st.gapPath.values[0]).toBeGreaterThan(0);
    t.dispose();
  });

  it('previews the views CLIP trains on: colour jitter asked for, none applied', async () => {
    const data = makeShapes(2400, 12);
    const s = { ...defaultSettings('shapes'), loss: 'clip' as const, batchSize: 8, embeddingDim: 8 };
    const t = new ClipTrainer(data, s);
    const off = Object.fromEntries(Object.entries(s.augments).map(([k, v]) => [k, { ...v, on: false }]));
    const jitterOnly = { ...off, colorJitter: { on: true, strength: 1 } } as typeof s.augments;
    const plain = await t.preview(off as typeof s.augments);
    const jittered = await t.preview(jitterOnly);
    // With every other augmentation off, a preview that applied the jitter would differ.
    expect(Array.from(jittered.pixels)).toEqual(Array.from(plain.pixels));
    t.dispose();
  });
});
