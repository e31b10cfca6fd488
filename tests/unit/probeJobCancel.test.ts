// A reset cancels a running probe by abandoning its job (return()). Whatever stage it is in
// (features, the linear probe, supervised from scratch), every tensor it made must be freed:
// a class resets often, and each cancelled probe would otherwise keep a whole CNN and its Adam.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { probeJob } from '../../src/engine/probeJob';
import { Trainer } from '../../src/engine/trainer';
import type { ProbeReport } from '../../src/protocol';
import { tinyDataset } from './support/tinyDataset';

const settings: Settings = { ...defaultSettings('mnist'), batchSize: 8, embeddingDim: 8, seed: 5 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('probeJob cancelled', () => {
  it('frees every tensor at whatever stage it is abandoned', { timeout: 120_000 }, async () => {
    const t = new Trainer(tinyDataset(), settings);
    await t.trainStep(false, false);
    const base = tf.memory().numTensors;
    const stagesSeen = new Set<string>();
    // Stages caught holding tensors of their own while suspended (else this test could not fail).
    const held = new Set<string>();
    // Abandoned after k slices, for k spread over the job, until it is caught training from scratch.
    for (let k = 1; ![...stagesSeen].some((m) => /from scratch/.test(m)); k *= 2) {
      let message = '';
      let peak = base;
      const job = probeJob({ trainer: t, settings: () => settings }, 1, 0.05, (r: Partial<ProbeReport>) => {
        message = r.message ?? message;
      });
      let finished = false;
      for (let i = 0; i < k; i++) {
        if ((await job.next()).done) {
          finished = true;
          break;
        }
        peak = Math.max(peak, tf.memory().numTensors);
      }
      stagesSeen.add(message.replace(/^Draw \d+ of \d+: /, ''));
      if (!finished) await job.return(undefined);
      expect(tf.memory().numTensors, `abandoned after ${k} slices (${message})`).toBe(base);
      expect(finished).toBe(false);
      if (peak > base) held.add(message.replace(/^Draw \d+ of \d+: /, ''));
    }
    // It was caught inside both stages that hold tensors between slices.
    expect([...stagesSeen].some((m) => /linear probe/.test(m))).toBe(true);
    expect([...stagesSeen].some((m) => /fine-tuning/.test(m))).toBe(true);
    expect(
      [...held].some((m) => /fine-tuning|from scratch/.test(m)),
      [...held].join('; '),
    ).toBe(true);
    t.dispose();
  });
});
