#!/usr/bin/env node
// node scripts/simclr-node.mjs [--hash "dataset=mnist&temperature=0.1"] [--steps 1500] [--every 250]
//   [--schedule constant|cosine] [--warmup 0]
// Trains the app's own engine (Trainer, the same settings a link gives) in Node on wasm, one
// thread, and prints kNN accuracy on h (held-out images against the training split, k = 20, as
// the app's readout) against steps. Steps, not seconds, are what it compares: other jobs on a
// shared machine change the seconds but not what a step learns, so settings that keep the step
// time (learning rate, temperature, schedule) can be tried side by side. Time to quality in the
// browser is still `npm run bench:quality`. The TypeScript sources load through Vite's SSR loader.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { cliArgs } from './lib/args.mjs';
import { nodeEngine } from './lib/nodeEngine.mjs';

const { opt } = cliArgs();
const hash = opt('hash', 'dataset=mnist');
const steps = Number(opt('steps', 1500));
const every = Number(opt('every', 250));
const schedule = opt('schedule', 'constant');
const warmup = Number(opt('warmup', 0));
// An experiment on the model's size without a new setting: the default greyscale model's
// convolution widths and h, e.g. --widths 32,64 --h 256.
const widths = opt('widths', '');
const hOpt = opt('h', '');

const { load, close } = await nodeEngine();
const { parseSettings } = await load('/src/core/urlSettings.ts');
const { decodeMnist, decodeAsset } = await load('/src/core/mnist.ts');
const { makeShapes } = await load('/src/core/shapes.ts');
const { Trainer } = await load('/src/engine/trainer.ts');
const { embed, knnPredictTf } = await load('/src/engine/eval.ts');
const { accuracy } = await load('/src/core/knn.ts');
const { DEFAULT_K } = await load('/src/engine/metrics.ts');
const { ARCHITECTURES } = await load('/src/engine/model.ts');
if (widths) widths.split(',').forEach((w, i) => (ARCHITECTURES.default.convs[i].out = Number(w)));
if (hOpt) ARCHITECTURES.default.h = Number(hOpt);

const { settings, notices } = parseSettings('', hash);
if (notices.length) console.log(notices.join('\n'));
const data =
  settings.dataset === 'mnist'
    ? decodeMnist(await decodeAsset(new Uint8Array(readFileSync('public/data/mnist.bin'))))
    : makeShapes(10_000, 20261123);
const t = new Trainer(data, settings);
const baseLr = settings.learningRate;

async function knnOnH() {
  const tr = await embedAll(t.train);
  const te = await embedAll(t.test);
  const dim = tr.length / t.train.length;
  const trainLabels = Array.from(t.train, (i) => data.labels[i]);
  const truth = Array.from(t.test, (i) => data.labels[i]);
  const pred = await knnPredictTf(tr, trainLabels, te, dim, DEFAULT_K, data.classNames.length);
  return accuracy(pred, truth);
}
async function embedAll(indices) {
  const parts = [];
  for (let s = 0; s < indices.length; s += 500)
    parts.push((await embed(t.encoder, data, indices.subarray(s, s + 500))).h);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

console.log(
  `${hash}: lr ${baseLr}, T ${settings.temperature}, batch ${settings.batchSize}, schedule ${schedule}, warm-up ${warmup}, model ${JSON.stringify(ARCHITECTURES.default)}`,
);
const t0 = Date.now();
let lossSum = 0,
  lossCount = 0;
for (let step = 1; step <= steps; step++) {
  const warm = warmup > 0 ? Math.min(1, step / warmup) : 1;
  const cos = schedule === 'cosine' ? 0.5 * (1 + Math.cos((Math.PI * step) / steps)) : 1;
  if (schedule !== 'constant' || warmup > 0) t.update({ ...settings, learningRate: baseLr * warm * cos });
  for (const l of (await t.trainStep(false, false)).losses) {
    lossSum += l.loss;
    lossCount++;
  }
  if (step % every === 0 || step === steps) {
    const loss = lossSum / lossCount;
    lossSum = lossCount = 0;
    const acc = await knnOnH();
    console.log(
      `  step ${step}: mean loss ${loss.toFixed(3)}, kNN on h ${(100 * acc).toFixed(1)}%  (${((Date.now() - t0) / 1000).toFixed(0)} s, tensors ${tf.memory().numTensors})`,
    );
  }
}
t.dispose();
await close();
