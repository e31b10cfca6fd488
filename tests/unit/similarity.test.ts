import { describe, expect, it } from 'vitest';
import { partnerOf, similarityMatrix } from '../../src/core/contrastMath';
import { positiveNegativeMeans, rowSoftmaxMatrix, sampleRows, subMatrix } from '../../src/core/similarity';

/** Unit rows at the given angles on the circle. */
const circle = (angles: number[]) => Float32Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a)]));

describe('row softmax of the similarity matrix', () => {
  it('excludes the diagonal and sums to 1 per row', () => {
    const z = circle([0, 0.3, 1, 2, 2.5, 4]);
    const s = similarityMatrix(z, 6, 2);
    for (const tau of [0.01, 0.2, 2]) {
      const p = rowSoftmaxMatrix(s, 6, tau);
      for (let i = 0; i < 6; i++) {
        expect(p[i * 6 + i]).toBe(0);
        let sum = 0;
        for (let k = 0; k < 6; k++) sum += p[i * 6 + k];
        expect(sum).toBeCloseTo(1, 12);
      }
    }
  });
  it('matches a float64 reference and stays finite at tau = 0.01', () => {
    const z = circle([0, 0.1, 3, 3.1]);
    const s = similarityMatrix(z, 4, 2);
    const tau = 0.5;
    const p = rowSoftmaxMatrix(s, 4, tau);
    const e = [1, 2, 3].map((k) => Math.exp(Math.cos(0 - [0, 0.1, 3, 3.1][k]) / tau));
    // z is float32, so agreement is to float32 rounding of the inputs.
    expect(p[1]).toBeCloseTo(e[0] / (e[0] + e[1] + e[2]), 7);
    const cold = rowSoftmaxMatrix(s, 4, 0.01);
    expect(cold.every(Number.isFinite)).toBe(true);
    // At a low temperature the nearest other view takes almost all the weight.
    expect(cold[0 * 4 + 1]).toBeGreaterThan(0.99);
  });
  it('collapse: every off-diagonal weight is 1 / (2N - 1)', () => {
    const z = circle([1, 1, 1, 1, 1, 1, 1, 1]);
    const p = rowSoftmaxMatrix(similarityMatrix(z, 8, 2), 8, 0.1);
    expect(p[3]).toBeCloseTo(1 / 7, 12);
  });
});

describe('sampleRows', () => {
  it('keeps every row up to the limit', () => {
    expect(Array.from(sampleRows(3, 64))).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('beyond the limit keeps both views of the first images, so positives stay visible', () => {
    const rows = sampleRows(256, 64);
    expect(rows.length).toBe(128);
    for (let i = 0; i < 64; i++) expect(rows[i + 64]).toBe(partnerOf(rows[i], 256));
  });
});

describe('subMatrix and positive/negative means', () => {
  it('picks rows and columns, and averages positives apart from negatives', () => {
    // Two images: rows 0, 1 are view 1, rows 2, 3 view 2; positives (0,2), (1,3).
    const z = circle([0, Math.PI / 2, 0, Math.PI / 2]);
    const s = similarityMatrix(z, 4, 2);
    expect(Array.from(subMatrix(s, 4, Int32Array.of(0, 2))).map((v) => Math.round(v))).toEqual([1, 1, 1, 1]);
    const { positive, negative } = positiveNegativeMeans(s, 2);
    expect(positive).toBeCloseTo(1, 6);
    expect(negative).toBeCloseTo(0, 6);
  });
});
