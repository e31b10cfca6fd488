// Times the real training step (src/engine/step.ts) on one backend: the `reference` model (the
// PyTorch benchmark's CNN) or ours, NT-Xent tau 0.1, Adam 1e-3, fixed views, so the figures
// compare with that PyTorch benchmark's. Loss is read back every step, as the trainer does.

import { FlatAdam } from '../engine/adam';
import * as tf from '@tensorflow/tfjs';
import { MNIST_AUGMENTS, augmentParams } from '../core/augmentSettings';
import { deriveSeed, Rng } from '../core/rng';
import { selectBackend } from '../engine/backend';
import { makeViews } from '../engine/augmentBatch';
import { buildEncoder } from '../engine/model';
import { lossAndGrads } from '../engine/step';
import type { BenchRequest, BenchResult } from './types';

self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  const req = e.data;
  const res: BenchResult = { ...req };
  try {
    const info = await selectBackend(req.backend);
    res.ran = info.name;
    res.adapter = info.adapter;
    if (info.name !== req.backend) throw new Error(`${req.backend} did not start: ${info.failures.join('; ')}`);
    const encoder = buildEncoder(req.model, { height: 28, width: 28, channels: 1, embeddingDim: 32 }, 0);
    const opt = new FlatAdam(encoder.variables, 1e-3);
    const r = new Rng(0);
    const x = tf.tensor4d(Float32Array.from({ length: req.n * 784 }, () => r.random()), [req.n, 28, 28, 1]);
    const params = augmentParams(MNIST_AUGMENTS);
    const aug: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const [a, b] = makeViews(x, params, deriveSeed(0, i));
      await Promise.all([a.data(), b.data()]);
      aug.push(performance.now() - t);
      tf.dispose([a, b]);
    }
    const [v1, v2] = makeViews(x, params, 99);
    const step = async () => {
      const { value, grads, z } = lossAndGrads(encoder, v1, v2, { loss: 'ntxent', temperature: 0.1 });
      const loss = (await value.data())[0];
      opt.applyGradients(grads);
      tf.dispose([value, z]);
      tf.dispose(grads);
      return loss;
    };
    let t = performance.now();
    res.firstLoss = await step();
    res.firstStepMs = performance.now() - t;
    for (let i = 0; i < 3; i++) await step();
    const prof = await tf.profile(step);
    res.kernelsPerStep = prof.kernels.length;
    // Per-kernel time, summed by kernel name: where a step's time goes.
    const byName = new Map<string, number>();
    for (const k of prof.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (Number(k.kernelTimeMs) || 0));
    res.topKernels = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 }));
    const steps = Math.max(3, Math.min(20, Math.floor(req.budgetMs / Math.max(1, res.firstStepMs))));
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      t = performance.now();
      res.lastLoss = await step();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    res.timedSteps = steps;
    res.medianStepMs = median(times);
    res.minStepMs = times[0];
    aug.sort((a, b) => a - b);
    res.augmentMs = median(aug.slice(1));
    tf.dispose([x, v1, v2]);
    encoder.dispose();
    opt.dispose();
  } catch (err) {
    res.error = err instanceof Error ? err.message : String(err);
  }
  (self as unknown as Worker).postMessage(res);
};

function median(a: number[]): number {
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}
