// Fine-tuning starts from a copy of the pre-trained weights and leaves the encoder that keeps
// training alone; a supervised run keeps to its declared budget; a whole label study measures
// every method over its draws without leaking a tensor.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINETUNE, labelledDraw } from '../../src/core/labelRecipe';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { readWeights } from '../../src/engine/eval';
import { studyLabels } from '../../src/engine/labelStudy';
import { studyContext } from '../../src/engine/probeJob';
import { encoderFrom, trainSupervised } from '../../src/engine/supervised';
import { Trainer } from '../../src/engine/trainer';
import { tinyDataset } from './support/tinyDataset';

const settings: Settings = { ...defaultSettings('mnist'), batchSize: 8, embeddingDim: 8, seed: 6 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const maxDiff = (a: Float32Array[], b: Float32Array[]) =>
  Math.max(...a.map((x, i) => Math.max(...x.map((v, j) => Math.abs(v - b[i][j])))));

describe('fine-tuning', () => {
  it('starts from the pre-trained weights and never touches the training encoder', async () => {
    const data = tinyDataset();
    const t = new Trainer(data, settings);
    for (let i = 0; i < 2; i++) await t.trainStep(false, false);
    const pretrained = await readWeights(t.encoder);
    const before = tf.memory().numTensors;
    const ft = encoderFrom(() => t.freshEncoder(), pretrained);
    expect(maxDiff(await readWeights(ft), pretrained)).toBe(0);
    // Pre-training moved the encoder away from its initialisation (else "from the pre-trained
    // weights" could not be told apart from "from scratch").
    const init = t.freshEncoder();
    expect(maxDiff(await readWeights(init), pretrained)).toBeGreaterThan(1e-3);
    init.dispose();

    const { fit, val } = labelledDraw(t.train, data.labels, 10, 10, settings.seed);
    const g = trainSupervised({
      data,
      encoder: ft,
      fit,
      val,
      test: t.test,
      settings,
      steps: 4,
      ...FINETUNE,
      evalEvery: 2,
      patience: 5,
    });
    await g.next();
    // After one Adam step each weight has moved by at most the encoder's step size: it started
    // from the pre-trained weights, not from a fresh initialisation.
    const afterOne = await readWeights(ft);
    const moved = maxDiff(afterOne, pretrained);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(FINETUNE.encoderLr * 1.01);
    for (;;) if ((await g.next()).done) break;
    // The training encoder is exactly as it was, and nothing is left on the backend.
    expect(maxDiff(await readWeights(t.encoder), pretrained)).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    // Training goes on from the untouched weights.
    await t.trainStep(false, false);
    expect(maxDiff(await readWeights(t.encoder), pretrained)).toBeGreaterThan(0);
    t.dispose();
  });
});

describe('supervised budgets', () => {
  const data = tinyDataset();
  it('without validation runs exactly the declared steps; with it, stops within patience of its best check', async () => {
    const t = new Trainer(data, settings);
    const noVal = labelledDraw(t.train, data.labels, 10, 2, settings.seed);
    let r = await drain(
      trainSupervised({
        data,
        encoder: t.freshEncoder(),
        ...noVal,
        test: t.test,
        settings,
        steps: 7,
        encoderLr: 1e-3,
        headLr: 1e-3,
      }),
    );
    expect(r).toMatchObject({ steps: 7, ran: 7 });
    const withVal = labelledDraw(t.train, data.labels, 10, 20, settings.seed);
    r = await drain(
      trainSupervised({
        data,
        encoder: t.freshEncoder(),
        ...withVal,
        test: t.test,
        settings,
        steps: 40,
        encoderLr: 1e-3,
        headLr: 1e-3,
        evalEvery: 3,
        patience: 2,
      }),
    );
    expect(r.ran).toBeLessThanOrEqual(40);
    expect(r.steps % 3 === 0 || r.steps === r.ran).toBe(true);
    // Stopped early only after `patience` checks without a better one; else ran to the cap.
    expect(r.ran === 40 || r.ran === r.steps + 2 * 3).toBe(true);
    t.dispose();
  });

  it('a label study reports every method over 3 draws at 10 per class, and frees what it made', async () => {
    const t = new Trainer(data, settings);
    await t.trainStep(false, false);
    const before = tf.memory().numTensors;
    const ctx = await studyContext(t, settings, 0.01);
    const study = await drain(studyLabels(ctx, 10, () => {}));
    expect(study.draws).toBe(3);
    expect(study.valCount).toBe(20);
    expect(study.fitCount).toBe(80);
    for (const m of ['pretrained', 'finetune', 'scratch', 'scratchConverged', 'pixels', 'random'] as const) {
      const s = study.results[m]!;
      expect(s.n).toBe(3);
      expect(s.min).toBeLessThanOrEqual(s.mean);
      expect(s.max).toBeGreaterThanOrEqual(s.mean);
    }
    // Compute-matched from scratch got pre-training's images plus fine-tuning's, scaled.
    expect(study.scratchMatchedSteps).toBe(
      Math.max(1, Math.round(Math.ceil((2 * t.seen + study.fineTuneSteps! * 64) / 64) * 0.01)),
    );
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  }, 120_000);
});

async function drain<T>(g: AsyncGenerator<unknown, T>): Promise<T> {
  for (;;) {
    const r = await g.next();
    if (r.done) return r.value;
  }
}
