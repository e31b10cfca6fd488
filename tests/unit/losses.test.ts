import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chanceLoss } from '../../src/core/chance';
import { l2Normalize, ntXentLoss, supConLoss } from '../../src/engine/ops/losses';
import { Rng } from '../../src/core/rng';

// ---- float64 references, straight from docs/science.md ----
type M = number[][];

function normRows(x: M): M {
  return x.map((r) => {
    const n = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
    return r.map((v) => v / n);
  });
}

function sims(z: M): M {
  return z.map((zi) => z.map((zj) => zi.reduce((s, v, k) => s + v * zj[k], 0)));
}

function lse(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

/** SupCon L_out; with labels [0..N-1, 0..N-1] it is NT-Xent. ratio=true uses the naive
 *  -log(exp/sum exp) form (fine in float64 for moderate tau), else logsumexp. */
function refSupCon(zRaw: M, labels: number[], tau: number, ratio = true): number {
  const z = normRows(zRaw);
  const s = sims(z);
  const m = z.length;
  let total = 0,
    count = 0;
  for (let i = 0; i < m; i++) {
    const others = [...Array(m).keys()].filter((k) => k !== i);
    const pos = others.filter((p) => labels[p] === labels[i]);
    if (pos.length === 0) continue;
    let li = 0;
    if (ratio) {
      const den = others.reduce((acc, k) => acc + Math.exp(s[i][k] / tau), 0);
      for (const p of pos) li -= Math.log(Math.exp(s[i][p] / tau) / den);
    } else {
      const l = lse(others.map((k) => s[i][k] / tau));
      for (const p of pos) li -= s[i][p] / tau - l;
    }
    total += li / pos.length;
    count++;
  }
  return total / count;
}

function pairLabels(n: number): number[] {
  return [...Array(2 * n).keys()].map((i) => i % n);
}

function refNtXent(a: M, b: M, tau: number, ratio = true): number {
  return refSupCon([...a, ...b], pairLabels(a.length), tau, ratio);
}

// ---- helpers ----
function randMat(rng: Rng, n: number, d: number): M {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
}

function nt(a: M, b: M, tau: number): number {
  const ta = tf.tensor2d(a),
    tb = tf.tensor2d(b);
  const l = ntXentLoss(ta, tb, tau);
  const v = l.dataSync()[0];
  tf.dispose([ta, tb, l]);
  return v;
}

function sc(z: M, labels: number[], tau: number): number {
  const tz = tf.tensor2d(z);
  const l = supConLoss(tz, labels, tau);
  const v = l.dataSync()[0];
  tf.dispose([tz, l]);
  return v;
}

function expectRel(actual: number, expected: number, rel: number) {
  expect(Number.isFinite(actual)).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

const TAUS = [0.05, 0.1, 0.5, 1];
/** Relative error allowed on a float32 gradient (to its largest entry): float32 rounding stays
 *  far below it, while a wrong term (a missing factor, a dropped view) is off by O(1). */
const GRAD_TOL = 1e-5;

/** Gradients of a float32 tf loss w.r.t. each input matrix, as float64 arrays. */
function tfGrads(loss: (x: tf.Tensor2D[]) => tf.Scalar, inputs: M[]): M[] {
  const ts = inputs.map((m) => tf.tensor2d(m));
  const gs = tf.grads((...x: tf.Tensor[]) => loss(x as tf.Tensor2D[]))(ts);
  const out = gs.map((g) => g.arraySync() as M);
  tf.dispose([...ts, ...gs]);
  return out;
}

/** Central finite differences of a float64 function of a matrix. With h = 1e-5 the truncation
 *  error (~h^2) and the rounding error (~1e-16 / h) are both far below float32's precision. */
function fdGrad(f: (x: M) => number, x: M, h = 1e-5): M {
  return x.map((row, i) =>
    row.map((_, k) => {
      const plus = x.map((r) => [...r]),
        minus = x.map((r) => [...r]);
      plus[i][k] += h;
      minus[i][k] -= h;
      return (f(plus) - f(minus)) / (2 * h);
    }),
  );
}

/** A float32 gradient against its float64 finite-difference reference: every entry within
 *  GRAD_TOL of the largest, and the reference not trivially zero. */
function expectGradClose(got: M, ref: M) {
  let maxAbs = 0,
    maxErr = 0;
  ref.forEach((row, i) =>
    row.forEach((v, k) => {
      maxAbs = Math.max(maxAbs, Math.abs(v));
      maxErr = Math.max(maxErr, Math.abs(got[i][k] - v));
    }),
  );
  expect(maxAbs).toBeGreaterThan(1e-2);
  expect(maxErr / maxAbs).toBeLessThan(GRAD_TOL);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('NT-Xent', () => {
  it('matches the float64 reference at several temperatures', () => {
    const rng = new Rng(7);
    for (const [n, d] of [
      [4, 3],
      [8, 8],
      [16, 16],
    ]) {
      const a = randMat(rng, n, d),
        b = randMat(rng, n, d);
      for (const tau of TAUS) expectRel(nt(a, b, tau), refNtXent(a, b, tau), 1e-4);
    }
  });

  it('is finite and correct at tau = 0.01 (where exp(1/tau) overflows float32)', () => {
    const rng = new Rng(11);
    const a = randMat(rng, 8, 5),
      b = randMat(rng, 8, 5);
    const v = nt(a, b, 0.01);
    expect(Number.isFinite(v)).toBe(true);
    expectRel(v, refNtXent(a, b, 0.01, false), 1e-4);
  });

  it('full collapse gives exactly log(2N-1)', () => {
    for (const n of [4, 9, 16]) {
      const row = [0.3, -1.2, 2.0, 0.7];
      const a = Array.from({ length: n }, () => row.map((v) => v * 2)); // scale is normalised away
      const b = Array.from({ length: n }, () => row);
      for (const tau of [0.01, ...TAUS]) {
        expect(Math.abs(nt(a, b, tau) - Math.log(2 * n - 1))).toBeLessThan(1e-5);
      }
      expect(chanceLoss(n)).toBeCloseTo(Math.log(2 * n - 1), 12);
    }
  });

  it('is invariant to swapping the views and to a consistent batch permutation', () => {
    const rng = new Rng(3);
    const n = 10;
    const a = randMat(rng, n, 6),
      b = randMat(rng, n, 6);
    const perm = rng.shuffle([...Array(n).keys()]) as number[];
    const pa = perm.map((i) => a[i]),
      pb = perm.map((i) => b[i]);
    for (const tau of TAUS) {
      const base = nt(a, b, tau);
      expectRel(nt(b, a, tau), base, 1e-5);
      expectRel(nt(pa, pb, tau), base, 1e-5);
    }
  });

  it('s+ = 1 with every negative at 0 gives -1/tau + log(exp(1/tau) + 2N-2)', () => {
    for (const n of [4, 8]) {
      // One-hot rows: each view equals its partner, and is orthogonal to every other image.
      const e = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, k) => (k === i ? 1 : 0)));
      for (const tau of [0.01, ...TAUS]) {
        const expected = -1 / tau + Math.log(Math.exp(1 / tau) + 2 * n - 2);
        expect(Math.abs(nt(e, e, tau) - expected)).toBeLessThan(1e-5);
      }
    }
  });

  it('as tau -> 0, tau * loss tends to the mean hinge max(0, s_maxneg - s+)', () => {
    const rng = new Rng(5);
    const n = 6,
      tau = 0.01;
    const a = randMat(rng, n, 4),
      b = randMat(rng, n, 4);
    const z = normRows([...a, ...b]);
    const s = sims(z);
    let hinge = 0;
    for (let i = 0; i < 2 * n; i++) {
      const p = (i + n) % (2 * n);
      const maxNeg = Math.max(...s[i].filter((_, k) => k !== i && k !== p));
      hinge += Math.max(0, maxNeg - s[i][p]);
    }
    hinge /= 2 * n;
    expect(hinge).toBeGreaterThan(0.1); // random data: many anchors violate the margin
    // The gap is at most tau * log(2N-1) per anchor, i.e. ~0.024 here.
    const v = nt(a, b, tau) * tau;
    expect(v).toBeGreaterThanOrEqual(hinge - 1e-4);
    expect(v - hinge).toBeLessThan(tau * Math.log(2 * n - 1));
    expect(v / hinge).toBeGreaterThan(0.9);
    expect(v / hinge).toBeLessThan(1.1);
  });

  it('gradients w.r.t. both views match central finite differences of the float64 reference', () => {
    const rng = new Rng(13);
    for (const [n, d] of [
      [4, 3],
      [6, 5],
    ]) {
      const a = randMat(rng, n, d),
        b = randMat(rng, n, d);
      for (const tau of [0.1, 0.5]) {
        const [ga, gb] = tfGrads((x) => ntXentLoss(x[0], x[1], tau), [a, b]);
        expectGradClose(
          ga,
          fdGrad((x) => refNtXent(x, b, tau), a),
        );
        expectGradClose(
          gb,
          fdGrad((x) => refNtXent(a, x, tau), b),
        );
      }
    }
  });

  it('zero rows do not produce NaN in the loss or its gradient', () => {
    // A zero row in each view, in both loss and gradient (w.r.t. both inputs).
    const a = tf.tensor2d([
        [0, 0, 0],
        [1, 2, 3],
      ]),
      b = tf.tensor2d([
        [1, 0, 0],
        [0, 0, 0],
      ]);
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) =>
      ntXentLoss(x as tf.Tensor2D, y as tf.Tensor2D, 0.1),
    )([a, b]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const g of grads) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([a, b, value, ...grads]);
    const z = tf.tensor2d([
      [0, 0, 0],
      [1, 0, 0],
    ]);
    const n = l2Normalize(z);
    expect(Array.from(n.dataSync())).toEqual([0, 0, 0, 1, 0, 0]);
    tf.dispose([z, n]);
  });

  it('trains: optimizer.minimize lowers the loss', () => {
    const rng = new Rng(21);
    const a = tf.variable(tf.tensor2d(randMat(rng, 6, 4)));
    const b = tf.tensor2d(randMat(rng, 6, 4));
    const opt = tf.train.adam(0.05);
    const first = nt(a.arraySync() as M, b.arraySync() as M, 0.5);
    for (let i = 0; i < 50; i++) opt.minimize(() => ntXentLoss(a, b, 0.5));
    expect(nt(a.arraySync() as M, b.arraySync() as M, 0.5)).toBeLessThan(first - 0.1);
    tf.dispose([a, b]);
    opt.dispose();
  });
});

describe('SupCon', () => {
  it('with all images in distinct classes equals NT-Xent', () => {
    const rng = new Rng(17);
    const n = 8;
    const a = randMat(rng, n, 5),
      b = randMat(rng, n, 5);
    for (const tau of [0.01, ...TAUS]) {
      expect(Math.abs(sc([...a, ...b], pairLabels(n), tau) - nt(a, b, tau))).toBeLessThan(1e-5);
    }
  });

  it('with shared classes matches the float64 reference', () => {
    const rng = new Rng(19);
    for (const [n, d, classes] of [
      [6, 4, 2],
      [12, 8, 3],
      [16, 16, 5],
    ]) {
      const z = randMat(rng, 2 * n, d);
      const img = Array.from({ length: n }, () => rng.int(classes));
      const labels = [...img, ...img];
      for (const tau of TAUS) expectRel(sc(z, labels, tau), refSupCon(z, labels, tau), 1e-4);
      expectRel(sc(z, labels, 0.01), refSupCon(z, labels, 0.01, false), 1e-4);
    }
  });

  it('averages only over anchors that have a positive', () => {
    // Rows 0..2 share class 0; row 3 is alone, so it contributes nothing.
    const rng = new Rng(23);
    const z = randMat(rng, 4, 3);
    const labels = [0, 0, 0, 1];
    expectRel(sc(z, labels, 0.5), refSupCon(z, labels, 0.5), 1e-4);
  });
});

describe('SupCon gradient', () => {
  it('matches central finite differences of the float64 reference, with shared classes', () => {
    const rng = new Rng(31);
    for (const [n, d, classes] of [
      [4, 3, 2],
      [6, 5, 3],
    ]) {
      const z = randMat(rng, 2 * n, d);
      const img = Array.from({ length: n }, () => rng.int(classes));
      const labels = [...img, ...img];
      for (const tau of [0.1, 0.5]) {
        const [g] = tfGrads((x) => supConLoss(x[0], labels, tau), [z]);
        expectGradClose(
          g,
          fdGrad((x) => refSupCon(x, labels, tau), z),
        );
      }
    }
  });
});

describe('memory', () => {
  it('neither loss leaks tensors', () => {
    const rng = new Rng(29);
    const a = tf.tensor2d(randMat(rng, 5, 4)),
      b = tf.tensor2d(randMat(rng, 5, 4));
    const z = tf.concat([a, b], 0) as tf.Tensor2D;
    const labels = [0, 1, 0, 2, 3, 0, 1, 0, 2, 3];
    const before = tf.memory().numTensors;
    ntXentLoss(a, b, 0.1).dispose();
    expect(tf.memory().numTensors).toBe(before);
    supConLoss(z, labels, 0.1).dispose();
    expect(tf.memory().numTensors).toBe(before);
    l2Normalize(a).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, z]);
  });
});
