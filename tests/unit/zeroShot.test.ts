import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import {
  bindingAccuracy,
  classEmbeddings,
  classPrompts,
  duplicateCaptionShare,
  fillTemplate,
  modalityGap,
  normalizeRows,
  precisionAtK,
  searchTopK,
  zeroShotClassify,
} from '../../src/core/zeroShot';

const rows = (...r: number[][]) => Float32Array.from(r.flat());

describe('zero-shot helpers', () => {
  it('fill templates and list prompts class-major', () => {
    expect(fillTemplate('a {colour} {shape}', { colour: 'red', shape: 'star' })).toBe('a red star');
    expect(fillTemplate('a {colour} thing', {})).toBe('a {colour} thing');
    expect(classPrompts(['a {shape}', '{shape}'], [{ shape: 'star' }, { shape: 'ring' }])).toEqual([
      'a star',
      'star',
      'a ring',
      'ring',
    ]);
  });

  it('average each class over its templates after normalising, then renormalise', () => {
    // Class 0: two prompts of very different lengths along x and y; class 1 along -x.
    const p = rows([10, 0], [0, 1], [-1, 0], [-3, 0]);
    const c = classEmbeddings(p, 2, 2, 2);
    expect(c[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(c[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect([c[2], c[3]]).toEqual([-1, 0]);
  });

  it('classify by the most similar class, with accuracy and a confusion matrix', () => {
    const classes = rows([1, 0], [0, 1], [-1, 0]);
    const img = rows([2, 0.1], [0.1, 3], [-1, -0.2], [0.9, 0.2]);
    const r = zeroShotClassify(img, classes, [0, 1, 2, 1], 2);
    expect(Array.from(r.predictions)).toEqual([0, 1, 2, 0]);
    expect(r.accuracy).toBe(0.75);
    expect(Array.from(r.confusion)).toEqual([1, 0, 0, 1, 1, 0, 0, 0, 1]);
  });

  it('search returns the top k by cosine, best first, and precision at k counts the relevant', () => {
    const img = rows([1, 0], [0.7, 0.7], [0, 1], [5, 0.5]);
    const hits = searchTopK(rows([1, 0]), img, 2, 3);
    expect(hits.map((h) => h.index)).toEqual([0, 3, 1]);
    expect(hits[0].score).toBeCloseTo(1, 6);
    expect(hits[2].score).toBeCloseTo(Math.SQRT1_2, 3);
    expect(precisionAtK(hits, (i) => i !== 1)).toBeCloseTo(2 / 3, 6);
    expect(precisionAtK([], () => true)).toBe(0);
  });

  it('binding test: the true caption must beat the swapped one; ties fail', () => {
    const img = rows([1, 0], [0, 1], [1, 1]);
    const truth = rows([1, 0.1], [0, 1], [1, 1]);
    const swapped = rows([0, 1], [1, 0.1], [1, 1]);
    expect(bindingAccuracy(img, truth, swapped, 2)).toBeCloseTo(2 / 3, 6);
  });

  it('modality gap: zero for the same cloud, the centroid distance otherwise', () => {
    const rng = new Rng(1);
    const a = Float32Array.from({ length: 40 * 3 }, () => rng.normal());
    expect(modalityGap(a, a, 3).centroidDistance).toBeCloseTo(0, 6);
    // Two clouds around opposite poles.
    const img = rows([1, 0, 0], [1, 0.01, 0]),
      txt = rows([-1, 0, 0], [-1, 0, 0.01]);
    const g = modalityGap(img, txt, 3);
    expect(g.centroidDistance).toBeCloseTo(2, 3);
    expect(g.angleDegrees).toBeCloseTo(180, 0);
    expect(modalityGap(rows([1, 0]), rows([0, 1]), 2).angleDegrees).toBeCloseTo(90, 4);
  });

  it('duplicate captions: the share of rows whose caption another row also has', () => {
    expect(duplicateCaptionShare(['red star', 'Red star.', 'blue ring', 'a red star'])).toBe(0.5);
    expect(duplicateCaptionShare(['a', 'b', 'c'])).toBe(0);
    expect(duplicateCaptionShare([])).toBe(0);
  });

  it('normalises rows, leaving zero rows zero', () => {
    expect(Array.from(normalizeRows(rows([3, 4], [0, 0]), 2))).toEqual([0.6, 0.8, 0, 0].map((v) => Math.fround(v)));
  });
});
