import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import {
  CLIP_INIT_TEMPERATURE,
  CLIP_MAX_LOGIT_SCALE,
  clipLoss,
  LearnedTemperature,
} from '../../src/engine/ops/clipLoss';
import { useBackend } from './support/wasmBackend';

type M = number[][];

// ---- float64 reference: CLIP's pseudocode, with logsumexp written out ----
function normRows(x: M): M {
  return x.map((r) => {
    const n = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
    return r.map((v) => v / n);
  });
}

function lse(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

function refClip(imgRaw: M, txtRaw: M, tau: number, negRaw: M = []): number {
  const img = normRows(imgRaw),
    txt = normRows(txtRaw),
    neg = normRows(negRaw);
  const n = img.length;
  const cos = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * b[k], 0);
  const logits = img.map((a) => txt.map((b) => cos(a, b) / tau));
  let i2t = 0,
    t2i = 0;
  for (let i = 0; i < n; i++) {
    i2t += lse([...logits[i], ...neg.map((b) => cos(img[i], b) / tau)]) - logits[i][i];
    t2i += lse(logits.map((row) => row[i])) - logits[i][i];
  }
  return (i2t / n + t2i / n) / 2;
}

function randMat(rng: Rng, n: number, d: number): M {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
}

function tfLoss(img: M, txt: M, tau: number | tf.Scalar): number {
  return tf.tidy(() => clipLoss(tf.tensor2d(img), tf.tensor2d(txt), tau).dataSync()[0]);
}

describe('clipLoss', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const tau of [1, 0.5, 0.07, 0.01]) {
    it(`matches the float64 reference at temperature ${tau}`, () => {
      const rng = new Rng(11);
      const img = randMat(rng, 7, 5),
        txt = randMat(rng, 7, 5);
      const ref = refClip(img, txt, tau);
      expect(Number.isFinite(ref)).toBe(true);
      expect(tfLoss(img, txt, tau)).toBeCloseTo(ref, tau < 0.05 ? 2 : 4);
    });
  }

  it('is the same with the two inputs swapped (symmetric)', () => {
    const rng = new Rng(3);
    const img = randMat(rng, 9, 4),
      txt = randMat(rng, 9, 4);
    expect(tfLoss(img, txt, 0.1)).toBeCloseTo(tfLoss(txt, img, 0.1), 5);
  });

  it('is log N at chance (every embedding the same)', () => {
    for (const n of [2, 8, 32]) {
      const row = [0.3, -1, 2];
      const same = Array.from({ length: n }, () => row.slice());
      expect(tfLoss(same, same, 0.07)).toBeCloseTo(Math.log(n), 5);
    }
  });

  it("does not depend on the rows' lengths (they are normalised)", () => {
    const rng = new Rng(4);
    const img = randMat(rng, 6, 3),
      txt = randMat(rng, 6, 3);
    const scaled = img.map((r, i) => r.map((v) => v * (i + 1) * 10));
    expect(tfLoss(scaled, txt, 0.2)).toBeCloseTo(tfLoss(img, txt, 0.2), 4);
  });

  it('stays finite at temperature 0.01 with aligned pairs (logits near 100)', () => {
    const rng = new Rng(5);
    const img = randMat(rng, 16, 8);
    const txt = img.map((r) => r.map((v) => v + 0.01 * rng.normal()));
    const v = tfLoss(img, txt, 0.01);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeCloseTo(refClip(img, txt, 0.01), 2);
  });

  it('takes the temperature as a scalar tensor too', () => {
    const rng = new Rng(6);
    const img = randMat(rng, 5, 4),
      txt = randMat(rng, 5, 4);
    const t = tf.scalar(0.3);
    expect(tfLoss(img, txt, t)).toBeCloseTo(refClip(img, txt, 0.3), 4);
    t.dispose();
  });

  it('adds hard negatives to the image-to-text choices only (float64 reference)', () => {
    const rng = new Rng(12);
    const img = randMat(rng, 6, 4),
      txt = randMat(rng, 6, 4),
      neg = randMat(rng, 3, 4);
    const v = tf.tidy(() => clipLoss(tf.tensor2d(img), tf.tensor2d(txt), 0.1, tf.tensor2d(neg)).dataSync()[0]);
    expect(v).toBeCloseTo(refClip(img, txt, 0.1, neg), 4);
    expect(v).toBeGreaterThan(tfLoss(img, txt, 0.1));
  });

  it('rejects inputs of different shapes', () => {
    expect(() => tf.tidy(() => clipLoss(tf.zeros([3, 2]), tf.zeros([4, 2]), 0.1))).toThrow(/differ/);
  });

  it('has the gradient finite differences give (both inputs, and the temperature)', () => {
    const rng = new Rng(7);
    const n = 5,
      d = 3,
      tau = 0.2;
    const img = randMat(rng, n, d),
      txt = randMat(rng, n, d);
    const [gi, gt] = tf.tidy(() => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => clipLoss(a as tf.Tensor2D, b as tf.Tensor2D, tau));
      return g([tf.tensor2d(img), tf.tensor2d(txt)]).map((x) => x.arraySync() as M);
    });
    const h = 1e-5;
    for (const [which, grad] of [
      [0, gi],
      [1, gt],
    ] as const) {
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < d; k++) {
          const plus = [img, txt].map((m) => m.map((r) => r.slice()));
          const minus = [img, txt].map((m) => m.map((r) => r.slice()));
          plus[which][i][k] += h;
          minus[which][i][k] -= h;
          const fd = (refClip(plus[0], plus[1], tau) - refClip(minus[0], minus[1], tau)) / (2 * h);
          expect(grad[i][k]).toBeCloseTo(fd, 3);
        }
      }
    }
    const dTau = tf.tidy(
      () =>
        tf
          .grad((t: tf.Tensor) => clipLoss(tf.tensor2d(img), tf.tensor2d(txt), t as tf.Scalar))(tf.scalar(tau))
          .dataSync()[0],
    );
    const fdTau = (refClip(img, txt, tau + h) - refClip(img, txt, tau - h)) / (2 * h);
    expect(dTau).toBeCloseTo(fdTau, 2);
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const a = tf.randomNormal([8, 4]) as tf.Tensor2D,
      b = tf.randomNormal([8, 4]) as tf.Tensor2D;
    const v = clipLoss(a, b, 0.1);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => clipLoss(x as tf.Tensor2D, y as tf.Tensor2D, 0.1))([a, b]);
    tf.dispose([a, b, v, ...g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('LearnedTemperature', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('starts at 0.07 and its scale is capped at 100', async () => {
    const t = new LearnedTemperature();
    expect(await t.value()).toBeCloseTo(CLIP_INIT_TEMPERATURE, 6);
    t.logScale.assign(tf.scalar(Math.log(1000)));
    expect(tf.tidy(() => t.temperature().dataSync()[0])).toBeCloseTo(1 / CLIP_MAX_LOGIT_SCALE, 6);
    t.clamp();
    expect(t.logScale.dataSync()[0]).toBeCloseTo(Math.log(CLIP_MAX_LOGIT_SCALE), 5);
    t.dispose();
  });

  it('gets a gradient through the loss, pointing the way finite differences do', () => {
    const rng = new Rng(8);
    const img = randMat(rng, 6, 4);
    const txt = img.map((r) => r.map((v) => v + 0.3 * rng.normal()));
    const t = new LearnedTemperature(0.5);
    const { grads } = tf.variableGrads(
      () => clipLoss(tf.tensor2d(img), tf.tensor2d(txt), t.temperature()),
      [t.logScale],
    );
    const g = grads[t.logScale.name].dataSync()[0];
    const s = Math.log(2),
      h = 1e-4;
    const fd = (refClip(img, txt, 1 / Math.exp(s + h)) - refClip(img, txt, 1 / Math.exp(s - h))) / (2 * h);
    expect(g).toBeCloseTo(fd, 3);
    tf.dispose(Object.values(grads));
    t.dispose();
  });
});

describe('clipLoss on wasm (every op exists there)', () => {
  let ok = false;
  beforeAll(async () => {
    ok = await useBackend('wasm');
  });
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('matches the reference, values and gradient', () => {
    expect(ok).toBe(true);
    const rng = new Rng(9);
    const img = randMat(rng, 6, 4),
      txt = randMat(rng, 6, 4);
    expect(tfLoss(img, txt, 0.05)).toBeCloseTo(refClip(img, txt, 0.05), 3);
    const g = tf.tidy(() =>
      tf
        .grad((a: tf.Tensor) => clipLoss(a as tf.Tensor2D, tf.tensor2d(txt), 0.05))(tf.tensor2d(img))
        .dataSync(),
    );
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
  });
});
