import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignmentForces } from '../../src/core/contrastMath';
import { alignment, uniformity } from '../../src/core/geometry';
import { alignmentLoss } from '../../src/engine/ops/losses';
import { Rng } from '../../src/core/rng';

type M = number[][];

const norm = (r: number[]) => {
  const n = Math.hypot(...r);
  return r.map((v) => v / n);
};

function al(a: M, b: M): number {
  const ta = tf.tensor2d(a),
    tb = tf.tensor2d(b);
  const l = alignmentLoss(ta, tb);
  const v = l.dataSync()[0];
  tf.dispose([ta, tb, l]);
  return v;
}

function refAlign(a: M, b: M): number {
  let s = 0;
  a.forEach((r, i) => {
    const x = norm(r),
      y = norm(b[i]);
    s += x.reduce((acc, v, k) => acc + (v - y[k]) ** 2, 0);
  });
  return s / a.length;
}

const randMat = (rng: Rng, n: number, d: number): M =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('alignment-only loss', () => {
  it('is the mean squared distance of the normalised pairs on known inputs', () => {
    // Rows normalise to (1,0)/(0,1) and (0,1)/(0,-1): squared distances 2 and 4.
    expect(
      al(
        [
          [1, 0],
          [0, 2],
        ],
        [
          [0, 1],
          [0, -3],
        ],
      ),
    ).toBeCloseTo(3, 6);
    // Opposite pairs give the maximum 4; orthogonal pairs 2 = 2 - 2 cos.
    expect(al([[1, 1, 0]], [[-2, -2, 0]])).toBeCloseTo(4, 6);
  });

  it('matches the float64 reference and 2 - 2 mean cosine on random data, and geometry.alignment', () => {
    const rng = new Rng(21);
    const a = randMat(rng, 12, 7),
      b = randMat(rng, 12, 7);
    const v = al(a, b);
    expect(Math.abs(v - refAlign(a, b))).toBeLessThan(1e-5);
    const meanCos = a.reduce((s, r, i) => s + norm(r).reduce((acc, x, k) => acc + x * norm(b[i])[k], 0), 0) / a.length;
    expect(Math.abs(v - (2 - 2 * meanCos))).toBeLessThan(1e-5);
    // The metric the page shows (plain arrays, rows already normalised) agrees.
    const fa = Float32Array.from(a.flatMap(norm)),
      fb = Float32Array.from(b.flatMap(norm));
    expect(Math.abs(v - alignment(fa, fb, 12, 7))).toBeLessThan(1e-5);
  });

  it('is zero when the views coincide, whatever their scale, and at total collapse', () => {
    const rng = new Rng(4);
    const a = randMat(rng, 8, 5);
    expect(al(a, a)).toBeLessThan(1e-6);
    expect(
      al(
        a,
        a.map((r) => r.map((v) => 3 * v)),
      ),
    ).toBeLessThan(1e-6);
    // Every image on one point: the loss is at its minimum although nothing is told apart,
    // and uniformity says so (0 = collapse).
    const one = [0.2, -0.5, 0.8, 0.1, 0.3];
    const collapsed = Array.from({ length: 8 }, () => one);
    expect(al(collapsed, collapsed)).toBeLessThan(1e-6);
    expect(Math.abs(uniformity(Float32Array.from(collapsed.flatMap(norm)), 8, 5))).toBeLessThan(1e-6);
  });

  it('its gradient pulls each view toward its partner (descent lowers the loss)', () => {
    // a = (1, 0), b = (0, 1): d/da = -2 (I - a a^T) b = (0, -2), so -grad points at b.
    const ta = tf.tensor2d([[1, 0]]),
      tb = tf.tensor2d([[0, 1]]);
    const g = tf.grad((x: tf.Tensor) => alignmentLoss(x as tf.Tensor2D, tb))(ta);
    const gv = Array.from(g.dataSync());
    expect(gv[0]).toBeCloseTo(0, 5);
    expect(gv[1]).toBeCloseTo(-2, 4);
    tf.dispose([ta, tb, g]);

    const rng = new Rng(9);
    const a = randMat(rng, 6, 4),
      b = randMat(rng, 6, 4);
    const xa = tf.tensor2d(a),
      xb = tf.tensor2d(b);
    const ga = tf.grad((x: tf.Tensor) => alignmentLoss(x as tf.Tensor2D, xb))(xa);
    const gArr = ga.arraySync() as M;
    // Central finite differences of the float64 reference.
    const h = 1e-3;
    let maxErr = 0,
      maxAbs = 0;
    for (let i = 0; i < 6; i++) {
      for (let k = 0; k < 4; k++) {
        const plus = a.map((r) => [...r]),
          minus = a.map((r) => [...r]);
        plus[i][k] += h;
        minus[i][k] -= h;
        const fd = (refAlign(plus, b) - refAlign(minus, b)) / (2 * h);
        maxAbs = Math.max(maxAbs, Math.abs(fd));
        maxErr = Math.max(maxErr, Math.abs(gArr[i][k] - fd));
      }
    }
    expect(maxAbs).toBeGreaterThan(1e-3);
    expect(maxErr).toBeLessThan(1e-2 * maxAbs);
    // A small step against the gradient lowers the loss.
    const stepped = a.map((r, i) => r.map((v, k) => v - 0.05 * gArr[i][k]));
    expect(refAlign(stepped, b)).toBeLessThan(refAlign(a, b));
    tf.dispose([xa, xb, ga]);
  });

  it('the pull the page draws (alignmentForces) is minus the gradient tfjs trains with, on unit rows', () => {
    const rng = new Rng(12);
    const n = 5,
      d = 4;
    const z = randMat(rng, 2 * n, d).map(norm);
    const tz = tf.tensor2d(z);
    const g = tf.grad((x: tf.Tensor) => {
      const [a, b] = tf.split(x as tf.Tensor2D, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
      return alignmentLoss(a, b);
    })(tz);
    const grad = g.dataSync();
    const f = alignmentForces({ z: Float32Array.from(z.flat()), n, dim: d });
    for (let k = 0; k < f.length; k++) expect(f[k]).toBeCloseTo(-grad[k], 5);
    tf.dispose([tz, g]);
  });

  it('leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const a = tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      b = tf.tensor2d([
        [0, 1],
        [1, 0],
      ]);
    const l = alignmentLoss(a, b);
    tf.dispose([a, b, l]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
