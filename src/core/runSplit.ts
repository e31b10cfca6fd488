// Which images a run trains on, which it holds out, and which held-out ones the page shows.
// Pure data, fixed by the seed, so a restored or repeated run splits the same way.

import type { Dataset } from './dataset';
import { balancedSubset, balancedSplit } from './split';
import { upToPerClass, USER_DATASET_ID, userSplit } from './userDataset';

export const DISPLAY_PER_CLASS = 50;
const TEST_PER_CLASS_SHARE = 0.2;

export interface RunSplit {
  train: Int32Array;
  test: Int32Array;
  displayIndices: Int32Array;
}

/** trainFilter: which training images a run may use (CLIP leaves out its held-out compositions). */
export function runSplit(data: Dataset, seed: number, trainFilter?: (train: Int32Array) => Int32Array): RunSplit {
  const numClasses = data.classNames.length;
  if (data.id === USER_DATASET_ID) {
    // A user's classes differ in size: each holds out its own share, and the display set takes
    // what each class has, up to the built-in datasets' count.
    const split = userSplit(data.labels, data.classNames, seed);
    return {
      train: split.train,
      test: split.test,
      displayIndices: upToPerClass(split.test, data.labels, numClasses, DISPLAY_PER_CLASS, seed + 1),
    };
  }
  const testPerClass = Math.round((data.count / numClasses) * TEST_PER_CLASS_SHARE);
  const split = balancedSplit(data.labels, numClasses, testPerClass, seed);
  return {
    train: trainFilter ? trainFilter(split.train) : split.train,
    test: split.test,
    displayIndices: balancedSubset(split.test, data.labels, numClasses, DISPLAY_PER_CLASS, seed + 1),
  };
}
