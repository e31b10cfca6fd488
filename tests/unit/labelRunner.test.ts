// The label curve as a background job: it reports each finished label count, Stop ends it with
// what it measured kept, and nothing it made stays on the backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { LabelRunner } from '../../src/engine/labelRunner';
import { Trainer } from '../../src/engine/trainer';
import type { EngineEvent, LabelCurveReport } from '../../src/protocol';
import { tinyDataset } from './support/tinyDataset';

const settings: Settings = { ...defaultSettings('mnist'), batchSize: 8, embeddingDim: 8, seed: 9 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('LabelRunner', () => {
  it('runs the curve slice by slice; Stop keeps the finished counts and frees every tensor', async () => {
    const t = new Trainer(tinyDataset(), settings);
    await t.trainStep(false, false);
    const events: EngineEvent[] = [];
    const runner = new LabelRunner((ev) => events.push(ev));
    runner.start(t, () => settings);
    const before = tf.memory().numTensors;
    runner.requestCurve(0.001);
    const curves = () => events.filter((e): e is LabelCurveReport => e.type === 'labelCurve');
    let slices = 0;
    while (runner.hasIdleWork() && !curves().some((c) => c.points.length >= 2)) {
      await runner.idleSlice();
      slices++;
    }
    expect(slices).toBeGreaterThan(1);
    const got = curves().at(-1)!;
    expect(got.points.map((p) => p.labelsPerClass)).toEqual([1, 2]);
    expect(got.points[0].draws).toBe(3);
    expect(Object.keys(got.points[0].results).sort()).toEqual([
      'finetune',
      'pixels',
      'pretrained',
      'random',
      'scratch',
      'scratchConverged',
    ]);
    // The progress never goes back.
    const progress = curves().map((c) => c.progress);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);

    await runner.stopCurve();
    const last = curves().at(-1)!;
    expect(last.status).toBe('stopped');
    expect(last.points.length).toBe(2);
    expect(runner.hasIdleWork()).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  }, 120_000);
});
