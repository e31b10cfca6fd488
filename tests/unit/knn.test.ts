import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, knnPredict, topK, vote } from '../../src/core/knn';
import { Rng } from '../../src/core/rng';
import { knnPredictTf } from '../../src/engine/eval';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Gaussian clusters around random class centres: kNN must recover the labels. */
function clusters(n: number, dim: number, classes: number, spread: number, seed: number) {
  const rng = new Rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, gauss));
  const x = new Float32Array(n * dim),
    y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let d = 0; d < dim; d++) x[i * dim + d] = centres[y[i]][d] + spread * gauss();
  }
  return { x, y };
}

describe('vote', () => {
  it('takes the majority', () => {
    expect(vote([0, 1, 2], [0.9, 0.5, 0.4], [3, 1, 1], 4)).toBe(1);
  });
  it('breaks a tie by summed similarity', () => {
    // Two neighbours of class 0 (0.9 + 0.1) against two of class 2 (0.6 + 0.5).
    expect(vote([0, 1, 2, 3], [0.9, 0.6, 0.5, 0.1], [0, 2, 2, 0], 3)).toBe(2);
  });
});

describe('topK', () => {
  it('returns the largest values in order', () => {
    const t = topK([0.1, 0.9, -0.5, 0.7], 2);
    expect(Array.from(t.indices)).toEqual([1, 3]);
    expect(t.values[0]).toBeCloseTo(0.9);
  });
});

describe('cosine kNN (plain TypeScript)', () => {
  it('finds the exact neighbour with k = 1 and ignores the scale of a vector', () => {
    const train = new Float32Array([1, 0, 0, 1, -1, 0]);
    const test = new Float32Array([5, 0.1, 0.1, 3, -7, -0.2]);
    expect(Array.from(knnPredict({ train, trainLabels: [0, 1, 2], test, dim: 2, k: 1, numClasses: 3 }))).toEqual([
      0, 1, 2,
    ]);
  });
  it('is near 100% on well-separated clusters and near chance on random labels', () => {
    const a = clusters(400, 16, 5, 0.3, 1),
      b = clusters(200, 16, 5, 0.3, 1);
    // Same centres (same seed) for train and test: test points come from the same clusters.
    const pred = knnPredict({ train: a.x, trainLabels: a.y, test: b.x, dim: 16, k: 20, numClasses: 5 });
    expect(accuracy(pred, b.y)).toBeGreaterThan(0.98);
    const rng = new Rng(5);
    const shuffled = Int32Array.from(a.y, () => rng.int(5));
    const chance = accuracy(
      knnPredict({ train: a.x, trainLabels: shuffled, test: b.x, dim: 16, k: 20, numClasses: 5 }),
      b.y,
    );
    expect(chance).toBeLessThan(0.35);
  });
});

describe('tfjs kNN (src/engine/eval.ts)', () => {
  it('agrees with the plain version on synthetic data, across chunk boundaries', async () => {
    const a = clusters(300, 8, 4, 1.2, 2),
      b = clusters(150, 8, 4, 1.2, 3);
    for (const k of [1, 5, 20]) {
      const plain = knnPredict({ train: a.x, trainLabels: a.y, test: b.x, dim: 8, k, numClasses: 4 });
      const before = tf.memory().numTensors;
      const fast = await knnPredictTf(a.x, a.y, b.x, 8, k, 4, 64);
      expect(tf.memory().numTensors).toBe(before);
      // Float rounding may reorder near-equal similarities; allow a rare disagreement.
      let diff = 0;
      for (let i = 0; i < plain.length; i++) if (plain[i] !== fast[i]) diff++;
      expect(diff).toBeLessThanOrEqual(1);
    }
  });
});
