// Times the real training step (src/engine/step.ts) on one backend: the model of
// scripts/peer/bench_torch.py (or ours), NT-Xent tau 0.1, Adam 1e-3, fixed views, so the figures
// compare with the PyTorch peer's. Losses are read as the trainer reads them: every step on wasm
// and cpu, one read per window of GPU_READ_EVERY steps on the GPU backends, where a read waits
// for the whole queue; a GPU step's time is its window's time over the window's steps.

import { FlatAdam } from '../engine/adam';
import * as tf from '@tensorflow/tfjs';
import { MNIST_AUGMENTS, augmentParams } from '../core/augmentSettings';
import { deriveSeed, Rng } from '../core/rng';
import { crossOriginIsolated, probeWebGpu, selectBackend, setWasmThreads } from '../engine/backend';
import { makeViews } from '../engine/augmentBatch';
import { countDispatches } from '../engine/dispatchCount';
import { checkAgainstCpu } from '../engine/gpuCheck';
import { buildEncoder } from '../engine/model';
import { GPU_READ_EVERY } from '../engine/readPolicy';
import { stockGradients } from '../engine/ops/stockGradients';
import { precompile } from '../engine/precompile';
import { cutKernelCalls, kernelPoolReport } from '../engine/kernels/gradients';
import { lossAndGrads } from '../engine/step';
import type { BenchRequest, BenchResult } from './types';

/** Programs the GPU backend has compiled so far (its caches), or null off the GPU. */
function programsCompiled(): number | null {
  const b = tf.backend() as unknown as { pipelineCache?: object; binaryCache?: object };
  const cache = tf.getBackend() === 'webgpu' ? b.pipelineCache : tf.getBackend() === 'webgl' ? b.binaryCache : null;
  return cache ? Object.keys(cache).length : null;
}

self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  const req = e.data;
  const res: BenchResult = { ...req };
  try {
    res.isolated = crossOriginIsolated();
    if (req.threads !== undefined) setWasmThreads(req.threads);
    if (req.kernelPool === false) cutKernelCalls(1);
    const t0 = performance.now();
    const info = await selectBackend(req.backend);
    res.backendInitMs = performance.now() - t0;
    res.ran = info.name;
    res.adapter = info.adapter;
    if (info.name !== req.backend) throw new Error(`${req.backend} did not start: ${info.failures.join('; ')}`);
    if (info.name === 'webgpu') res.gpu = (await probeWebGpu()).info;
    res.threadsRan = info.threads;
    // A figure labelled with threads it did not run on would mislead: say so instead.
    if (info.name === 'wasm' && req.threads !== undefined && info.threads !== req.threads)
      throw new Error(`asked for ${req.threads} wasm threads, ran ${info.threads}: ${info.adapter}`);
    const encoder = buildEncoder(req.model, { height: 28, width: 28, channels: 1, embeddingDim: 32 }, 0);
    const opt = new FlatAdam(encoder.variables, 1e-3);
    const r = new Rng(0);
    const x = tf.tensor4d(
      Float32Array.from({ length: req.n * 784 }, () => r.random()),
      [req.n, 28, 28, 1],
    );
    const params = augmentParams(MNIST_AUGMENTS);
    const readEvery = stockGradients() ? GPU_READ_EVERY : 1;
    res.readEvery = readEvery;

    const aug: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const [a, b] = makeViews(x, params, deriveSeed(0, i));
      await Promise.all([a.data(), b.data()]);
      aug.push(performance.now() - t);
      tf.dispose([a, b]);
    }
    const augCount = await countDispatches(() => tf.dispose(makeViews(x, params, 98)));
    res.augmentDispatches = augCount.dispatches ?? undefined;
    const [v1, v2] = makeViews(x, params, 99);
    if (req.check) {
      const views = new Float32Array(2 * req.n * 784);
      views.set(await v1.data());
      views.set(await v2.data(), req.n * 784);
      res.againstCpu = await checkAgainstCpu(req.model, views, req.n);
    }

    // One update, its loss left on the device for the caller to read (or to stack with others).
    const update = () => {
      const { value, grads, z } = lossAndGrads(encoder, v1, v2, { loss: 'ntxent', temperature: 0.1 });
      opt.applyGradients(grads);
      tf.dispose([z]);
      tf.dispose(grads);
      return value;
    };
    // `steps` updates and one read of all their losses, as the trainer's deferred window does.
    const window = async (steps: number) => {
      const values = Array.from({ length: steps }, update);
      const stacked = steps === 1 ? values[0] : tf.stack(values);
      const out = (await stacked.data()) as Float32Array;
      tf.dispose(values);
      if (steps > 1) stacked.dispose();
      return out[out.length - 1];
    };

    const compiledBefore = programsCompiled();
    let t = performance.now();
    // As the trainer does: the update's pipelines compiled in parallel first (WebGPU only).
    if (req.precompile !== false) {
      const pre = await precompile(update, { variables: encoder.variables, optimizers: [opt] });
      if (pre) {
        res.precompileMs = pre.ms;
        res.programsPrecompiled = pre.programs;
      }
    }
    res.firstLoss = await window(1);
    res.firstStepMs = performance.now() - t;
    if (compiledBefore !== null) res.programsCompiled = (programsCompiled() ?? 0) - compiledBefore;
    res.secondLoss = await window(1);
    // Dispatches of one update with no read (what a step costs inside a window), then the
    // kernels tf.profile sees for the same.
    const counted = await countDispatches(() => tf.dispose(update()));
    res.dispatchesPerStep = counted.dispatches ?? undefined;
    res.topPrograms = counted.byProgram;
    const prof = await tf.profile(() => tf.dispose(update()));
    res.kernelsPerStep = prof.kernels.length;
    const byName = new Map<string, { ms: number; count: number }>();
    for (const k of prof.kernels) {
      const s = byName.get(k.name) ?? { ms: 0, count: 0 };
      s.ms += Number(k.kernelTimeMs) || 0;
      s.count++;
      byName.set(k.name, s);
    }
    res.topKernels = [...byName]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 16)
      .map(([name, s]) => ({ name, ms: Math.round(s.ms * 10) / 10, count: s.count }));
    await window(1);

    // Timed windows: at least 3 steps, as many as the budget allows, up to 24; budget 0 counts only.
    const perStepGuess = Math.max(1, res.firstStepMs / 2);
    const wanted = req.budgetMs > 0 ? Math.max(3, Math.min(24, Math.floor(req.budgetMs / perStepGuess))) : 0;
    const windows = wanted && Math.max(1, Math.round(wanted / readEvery));
    const times: number[] = [];
    for (let i = 0; i < windows; i++) {
      t = performance.now();
      res.lastLoss = await window(readEvery);
      const perStep = (performance.now() - t) / readEvery;
      for (let j = 0; j < readEvery; j++) times.push(perStep);
    }
    times.sort((a, b) => a - b);
    res.timedSteps = times.length;
    res.kernelThreads = kernelPoolReport();
    if (times.length) {
      res.medianStepMs = median(times);
      res.minStepMs = times[0];
    }
    aug.sort((a, b) => a - b);
    res.augmentMs = median(aug.slice(1));
    tf.dispose([x, v1, v2]);
    encoder.dispose();
    opt.dispose();
    res.tensorsLeft = tf.memory().numTensors;
  } catch (err) {
    res.error = err instanceof Error ? err.message : String(err);
  }
  (self as unknown as Worker).postMessage(res);
};

function median(a: number[]): number {
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}
