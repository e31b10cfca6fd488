// The datasets a run can train on, each made (or fetched) once per worker and kept: switching
// back and forth between them in a lesson must not rebuild 10,000 images each time. The user's
// images are replaced whenever the page sends a new set.

import type { Dataset } from '../core/dataset';
import { loadMnist } from '../core/mnist';
import { makeShapes } from '../core/shapes';
import { makeTwoShapes } from '../core/twoShapes';
import type { UserDataCommand } from '../protocol';
import { userDatasetFrom } from './userData';

const SHAPES_SEED = 20261123;
const SHAPES_COUNT = 10_000;

export class DatasetStore {
  private readonly made = new Map<string, Dataset>();
  /** The user's images as last sent by the page ("My images"). */
  private userData: UserDataCommand | null = null;

  setUserData(cmd: UserDataCommand): void {
    this.userData = cmd;
    this.made.delete('user');
  }

  /** `assetBase`: the page's URL, against which MNIST's file is fetched. */
  async load(id: string, assetBase: string): Promise<Dataset> {
    const cached = this.made.get(id);
    if (cached) return cached;
    const d =
      id === 'user'
        ? userDatasetFrom(this.userData)
        : id === 'shapes'
          ? makeShapes(SHAPES_COUNT, SHAPES_SEED)
          : id === 'twoShapes'
            ? makeTwoShapes(SHAPES_COUNT, SHAPES_SEED)
            : await loadMnist(new URL('data/mnist.bin', assetBase).href);
    this.made.set(id, d);
    return d;
  }
}
