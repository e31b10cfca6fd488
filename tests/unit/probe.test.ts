import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { linearProbe, linearProbeSteps } from '../../src/engine/probe';
import { scratchSteps } from '../../src/engine/scratch';
import { SCRATCH_BUDGET } from '../../src/protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
}

/** Labels from a fixed random linear map of the features: linearly separable by construction. */
function separable(n: number, dim: number, classes: number, rng: Rng, w: number[][]) {
  const x = new Float32Array(n * dim),
    y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Features on very different scales and offsets: the probe must standardise them.
    for (let d = 0; d < dim; d++) x[i * dim + d] = gaussian(rng) * (d + 1) * 10 + 50 * d;
    let best = 0,
      bestV = -Infinity;
    for (let c = 0; c < classes; c++) {
      let v = 0;
      for (let d = 0; d < dim; d++) v += (w[c][d] * (x[i * dim + d] - 50 * d)) / ((d + 1) * 10);
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    y[i] = best;
  }
  return { x, y };
}

describe('linear probe', () => {
  const dim = 12,
    classes = 4;
  it('is near 100% on linearly separable data and frees every tensor', async () => {
    const rng = new Rng(11);
    const w = Array.from({ length: classes }, () => Array.from({ length: dim }, () => gaussian(rng)));
    const tr = separable(600, dim, classes, rng, w),
      te = separable(300, dim, classes, rng, w);
    const before = tf.memory().numTensors;
    const r = await linearProbe(tr.x, tr.y, te.x, te.y, dim, classes);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.trainAccuracy).toBeGreaterThan(0.97);
    expect(r.testAccuracy).toBeGreaterThan(0.95);
  });
  it('with a validation set, keeps its best iteration there and frees every tensor', async () => {
    const rng = new Rng(14);
    const w = Array.from({ length: classes }, () => Array.from({ length: dim }, () => gaussian(rng)));
    const tr = separable(300, dim, classes, rng, w),
      va = separable(60, dim, classes, rng, w),
      te = separable(300, dim, classes, rng, w);
    const before = tf.memory().numTensors;
    const r = await linearProbe(tr.x, tr.y, te.x, te.y, dim, classes, { val: { x: va.x, y: va.y } });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.testAccuracy).toBeGreaterThan(0.9);
  });
  it('is near chance on random labels (it cannot generalise noise)', async () => {
    const rng = new Rng(12);
    const rand = (n: number) => ({
      x: Float32Array.from({ length: n * dim }, () => gaussian(rng)),
      y: Int32Array.from({ length: n }, () => rng.int(classes)),
    });
    const tr = rand(400),
      te = rand(400);
    const r = await linearProbe(tr.x, tr.y, te.x, te.y, dim, classes);
    expect(r.testAccuracy).toBeGreaterThan(0.15);
    expect(r.testAccuracy).toBeLessThan(0.36);
  });
  it('with rows normalised first, still separates classes that differ in direction', async () => {
    const rng = new Rng(13);
    const make = (n: number) => {
      const x = new Float32Array(n * 2),
        y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 3;
        const a = (2 * Math.PI * y[i]) / 3 + 0.3 * gaussian(rng),
          r = 0.5 + 5 * rng.random();
        x[2 * i] = r * Math.cos(a);
        x[2 * i + 1] = r * Math.sin(a);
      }
      return { x, y };
    };
    const tr = make(300),
      te = make(300);
    const r = await linearProbe(tr.x, tr.y, te.x, te.y, 2, 3, { normalize: true });
    expect(r.testAccuracy).toBeGreaterThan(0.95);
  });
  it('learns from one example per class', async () => {
    // Two classes at +-1 along each axis; one labelled point each is enough.
    const x = new Float32Array([1, 0, -1, 0]),
      y = new Int32Array([0, 1]);
    const test = new Float32Array([2, 0.5, -3, 0.2, 0.5, 0.1]);
    const r = await linearProbe(x, y, test, new Int32Array([0, 1, 0]), 2, 2);
    expect(r.testAccuracy).toBe(1);
  });
});

describe('scratchSteps: the from-scratch baseline gets the compute pre-training had', () => {
  it('matches the images pre-training put through the encoder, within its bounds', () => {
    const { batch, minSteps, maxSteps } = SCRATCH_BUDGET;
    // 790 contrastive steps of 64 images, two views each: 1,580 steps of 64 single images.
    expect(scratchSteps(2 * 790 * 64)).toEqual({ steps: 1580, matched: Math.ceil((2 * 790 * 64) / batch) });
    expect(scratchSteps(0)).toEqual({ steps: minSteps, matched: 0 });
    expect(scratchSteps(2 * batch * minSteps + 1).steps).toBe(2 * minSteps + 1);
    // Past the cap, the report can say how much compute from scratch was denied.
    expect(scratchSteps(2 * 3000 * 64)).toEqual({ steps: maxSteps, matched: 6000 });
  });
});

describe('linear probe yielding', () => {
  // The worker runs a probe between training steps; a stretch without a yield holds the worker,
  // and past 15 s the page takes it for hung. Slow iterations (raw pixels, all labels) must
  // yield on time, not only every 25 iterations.
  const rng = new Rng(5);
  const x = Float32Array.from({ length: 40 * 6 }, () => rng.random());
  const y = Int32Array.from({ length: 40 }, (_, i) => i % 3);
  const yields = async (yieldMs?: number) => {
    const g = linearProbeSteps(x, y, x, y, 6, 3, { iterations: 50, ...(yieldMs === undefined ? {} : { yieldMs }) });
    let n = 0;
    for (let r = await g.next(); !r.done; r = await g.next()) n++;
    return n;
  };

  it('yields every 25 iterations when iterations are quick', async () => {
    expect(await yields(60_000)).toBe(2);
  });

  it('yields after every iteration once the time since the last yield is spent', async () => {
    expect(await yields(0)).toBe(50);
  });
});
