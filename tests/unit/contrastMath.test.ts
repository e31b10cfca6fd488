import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyseAnchor,
  batchForces,
  batchGradient,
  type ContrastBatch,
  effectiveNegatives,
  lossTerms,
  ntXent,
  partnerOf,
  similarityMatrix,
  tangent,
} from '../../src/core/contrastMath';
import { ntXentLoss } from '../../src/engine/ops/losses';
import { Rng } from '../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 2N random unit rows (seeded), labels from `classes` classes. */
function randomBatch(seed: number, n: number, dim: number, classes = 3): ContrastBatch {
  const rng = new Rng(seed);
  const z = new Float32Array(2 * n * dim);
  for (let i = 0; i < 2 * n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) {
      z[i * dim + d] = rng.normal();
      s += z[i * dim + d] ** 2;
    }
    for (let d = 0; d < dim; d++) z[i * dim + d] /= Math.sqrt(s);
  }
  const labels = Int32Array.from({ length: 2 * n }, (_, i) => (i % n) % classes);
  return { z, n, dim, labels };
}

function tfLoss(b: ContrastBatch, tau: number): number {
  const z = tf.tensor2d(b.z, [2 * b.n, b.dim]);
  const [a, c] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
  const l = ntXentLoss(a, c, tau);
  const v = l.dataSync()[0];
  tf.dispose([z, a, c, l]);
  return v;
}

describe('contrastMath against the tfjs ntXentLoss', () => {
  for (const tau of [0.05, 0.2, 1]) {
    it(`the mean of l_i is the training loss at tau ${tau}`, () => {
      const b = randomBatch(3, 6, 5);
      expect(ntXent(b, tau)).toBeCloseTo(tfLoss(b, tau), 4);
      const l = lossTerms(b, tau);
      for (let i = 0; i < l.length; i++) expect(analyseAnchor(b, i, tau).loss).toBeCloseTo(l[i], 10);
    });
  }

  it('tf.grad of the loss matches the full-batch gradient formula (tangent part, as tfjs normalises)', () => {
    const b = randomBatch(11, 5, 4);
    const tau = 0.3;
    const m = 2 * b.n;
    const grad = tf.grad((z: tf.Tensor) => {
      const [a, c] = tf.split(z as tf.Tensor2D, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
      return ntXentLoss(a, c, tau);
    });
    const zt = tf.tensor2d(b.z, [m, b.dim]);
    const gt = grad(zt);
    const g = gt.dataSync();
    tf.dispose([zt, gt]);
    const ours = batchGradient(b, tau);
    for (let i = 0; i < m; i++) {
      // tfjs differentiates through the L2 normalisation, whose Jacobian at a unit z is (I - z z^T).
      const t = tangent(b.z.subarray(i * b.dim, (i + 1) * b.dim), ours.subarray(i * b.dim, (i + 1) * b.dim));
      for (let d = 0; d < b.dim; d++) expect(g[i * b.dim + d]).toBeCloseTo(t[d], 4);
    }
    // And the forces are exactly minus that.
    const f = batchForces(b, tau);
    for (let k = 0; k < f.length; k++) expect(f[k]).toBeCloseTo(-g[k], 4);
  });
});

describe('contrastMath against finite differences', () => {
  const h = 1e-4;
  function bumped(b: ContrastBatch, row: number, d: number, delta: number): ContrastBatch {
    const z = Float64Array.from(b.z);
    z[row * b.dim + d] += delta;
    // Keep float64 precision for the difference: scale into a Float32 copy only at the end would
    // lose it, so evaluate with a float64-backed batch.
    return { ...b, z: z as unknown as Float32Array };
  }

  it('the full-batch gradient (z as free vectors)', () => {
    const b = randomBatch(5, 4, 3);
    const tau = 0.25;
    const g = batchGradient(b, tau);
    for (let i = 0; i < 2 * b.n; i++) {
      for (let d = 0; d < b.dim; d++) {
        const fd = (ntXent(bumped(b, i, d, h), tau) - ntXent(bumped(b, i, d, -h), tau)) / (2 * h);
        expect(g[i * b.dim + d]).toBeCloseTo(fd, 6);
      }
    }
  });

  it('the force on an anchor is minus the gradient of its own term l_i w.r.t. z_i', () => {
    const b = randomBatch(8, 5, 4);
    const tau = 0.1;
    for (const i of [0, 3, 7]) {
      const a = analyseAnchor(b, i, tau);
      for (let d = 0; d < b.dim; d++) {
        const lp = analyseAnchor(bumped(b, i, d, h), i, tau).loss;
        const lm = analyseAnchor(bumped(b, i, d, -h), i, tau).loss;
        expect(a.force[d]).toBeCloseTo(-(lp - lm) / (2 * h), 5);
      }
    }
  });
});

describe('contrastMath invariants', () => {
  it("total push equals pull: 1 - p+ = sum of the negatives' weights; tangent parts add up", () => {
    const b = randomBatch(21, 8, 6);
    for (const tau of [0.05, 0.5]) {
      const a = analyseAnchor(b, 2, tau);
      const pushSum = a.negatives.reduce((s, n) => s + n.p, 0);
      expect(1 - a.pPos).toBeCloseTo(pushSum, 12);
      expect(a.loss).toBeCloseTo(-Math.log(a.pPos), 10);
      for (let d = 0; d < b.dim; d++) {
        const total = a.pull[d] + a.negatives.reduce((s, n) => s + n.push[d], 0);
        expect(total).toBeCloseTo(a.forceTangent[d], 10);
      }
      // The tangent force is orthogonal to the anchor.
      let dot = 0;
      for (let d = 0; d < b.dim; d++) dot += a.forceTangent[d] * b.z[2 * b.dim + d];
      expect(dot).toBeCloseTo(0, 5); // float32 rows are unit only to ~1e-7
    }
  });

  it('negatives are sorted hardest first, exclude the anchor and its positive, and flag false negatives', () => {
    const b = randomBatch(2, 6, 3, 2);
    const a = analyseAnchor(b, 1, 0.2);
    expect(a.positive).toBe(partnerOf(1, 6));
    expect(a.negatives).toHaveLength(10);
    expect(a.negatives.map((n) => n.index)).not.toContain(1);
    expect(a.negatives.map((n) => n.index)).not.toContain(7);
    for (let k = 1; k < a.negatives.length; k++)
      expect(a.negatives[k - 1].sim).toBeGreaterThanOrEqual(a.negatives[k].sim);
    for (const n of a.negatives) expect(n.falseNegative).toBe(b.labels![n.index] === b.labels![1]);
    // Larger similarity, larger weight: the softmax is monotone.
    for (let k = 1; k < a.negatives.length; k++) expect(a.negatives[k - 1].p).toBeGreaterThanOrEqual(a.negatives[k].p);
  });

  it('effective negatives: 510 similarities evenly on [-1, 1] give about 35/69/138/315/438 (docs/science.md)', () => {
    const s = Array.from({ length: 510 }, (_, k) => -1 + (2 * k) / 509);
    const want: [number, number][] = [
      [0.05, 35],
      [0.1, 69],
      [0.2, 138],
      [0.5, 315],
      [1, 438],
    ];
    for (const [tau, n] of want) expect(Math.abs(effectiveNegatives(s, tau) - n)).toBeLessThan(1.5);
  });

  it('the anchor analysis gives the same effective number as the standalone formula', () => {
    const b = randomBatch(9, 16, 8);
    const a = analyseAnchor(b, 5, 0.3);
    expect(a.effectiveNegatives).toBeCloseTo(
      effectiveNegatives(
        a.negatives.map((n) => n.sim),
        0.3,
      ),
      8,
    );
    expect(a.effectiveNegatives).toBeLessThanOrEqual(30);
  });

  it('stays finite at tau = 0.01 with near-identical rows, and collapse gives log(2N - 1)', () => {
    const n = 4,
      dim = 3;
    const z = new Float32Array(2 * n * dim);
    for (let i = 0; i < 2 * n; i++) z[i * dim] = 1;
    const b = { z, n, dim };
    expect(ntXent(b, 0.01)).toBeCloseTo(Math.log(2 * n - 1), 8);
    const a = analyseAnchor(b, 0, 0.01);
    expect(a.effectiveNegatives).toBeCloseTo(2 * n - 2, 8);
    for (const v of batchGradient(b, 0.01)) expect(Number.isFinite(v)).toBe(true);
  });

  it('the similarity matrix is symmetric with a unit diagonal', () => {
    const b = randomBatch(4, 3, 5);
    const s = similarityMatrix(b.z, 6, 5);
    for (let i = 0; i < 6; i++) {
      expect(s[i * 6 + i]).toBeCloseTo(1, 6);
      for (let j = 0; j < 6; j++) expect(s[i * 6 + j]).toBe(s[j * 6 + i]);
    }
  });
});
