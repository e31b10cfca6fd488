// The order in which CLIP walks its own training pool: a seeded permutation per epoch, as the
// trainer walks the shared split, kept apart because the pool is another dataset.

import type { Dataset } from '../../core/dataset';
import { deriveSeed, Rng } from '../../core/rng';

/** deriveSeed stream of the pool's epoch permutations, apart from the shared split's. */
const POOL_ORDER_STREAM = 3_000_000;

export class PoolOrder {
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  private epoch = -1;

  constructor(
    readonly data: Dataset,
    /** The pool's images a run may train on. */
    readonly train: Int32Array,
    private readonly seed: number,
  ) {
    if (train.length === 0) throw new Error('CLIP pool has no training images');
  }

  next(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (this.cursor >= this.order.length) {
        this.epoch++;
        this.order = new Rng(deriveSeed(this.seed, POOL_ORDER_STREAM + this.epoch)).shuffle(
          Int32Array.from(this.train),
        ) as Int32Array;
        this.cursor = 0;
      }
      out[i] = this.order[this.cursor++];
    }
    return out;
  }
}
