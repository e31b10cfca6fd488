// Seeded, class-balanced splits and subsets. MNIST-10k: 200 test images per class gives a
// 2,000-image balanced test set; the rest (8,000, not balanced: the package holds 863 fives
// and 1,127 ones) is the training pool.

import type { Split } from './dataset';
import { Rng } from './rng';

/** Indices of each class, in the order given. Throws on a label outside [0, numClasses). */
function byClass(indices: ArrayLike<number>, labels: Int32Array, numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const l = labels[i];
    if (!(l >= 0 && l < numClasses)) {
      throw new Error(`label ${l} of image ${i} is outside [0, ${numClasses})`);
    }
    groups[l].push(i);
  }
  return groups;
}

/**
 * Each class's images are shuffled (seeded); the first testPerClass go to test, the rest to
 * train; both lists are then shuffled. Disjoint, and together they cover every image.
 */
export function balancedSplit(labels: Int32Array, numClasses: number, testPerClass: number, seed: number): Split {
  const all = new Int32Array(labels.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const groups = byClass(all, labels, numClasses);
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const g = groups[c];
    if (g.length < testPerClass) {
      throw new Error(`class ${c} has ${g.length} images, fewer than the ${testPerClass} asked for the test set`);
    }
    rng.shuffle(g);
    for (let k = 0; k < g.length; k++) (k < testPerClass ? test : train).push(g[k]);
  }
  return {
    train: rng.shuffle(Int32Array.from(train)) as Int32Array,
    test: rng.shuffle(Int32Array.from(test)) as Int32Array,
  };
}

/**
 * perClass images of each class drawn (seeded) from `indices`, returned shuffled: e.g. the
 * 500-image display set (50 per class of the test split) or the few-labels training sets.
 */
export function balancedSubset(
  indices: Int32Array,
  labels: Int32Array,
  numClasses: number,
  perClass: number,
  seed: number,
  /** Take all of a class that has fewer (a user's classes differ in size); else such a class is an error. */
  opts: { allowFewer?: boolean } = {},
): Int32Array {
  const groups = byClass(indices, labels, numClasses);
  const rng = new Rng(seed);
  const out: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const g = groups[c];
    if (g.length < perClass && !opts.allowFewer) {
      throw new Error(`class ${c} has ${g.length} images here, fewer than the ${perClass} asked for`);
    }
    rng.shuffle(g);
    for (let k = 0; k < Math.min(perClass, g.length); k++) out.push(g[k]);
  }
  return rng.shuffle(Int32Array.from(out)) as Int32Array;
}
