// The order a run walks its training images in: a seeded permutation per epoch, walked from the
// start. Drawn from the epoch number alone, so a saved run (its epoch and cursor) resumes with
// the batches the original would have drawn.

import { deriveSeed, Rng } from './rng';

/** Where the walk stands: the permutation's epoch and the next position in it. */
export interface OrderPosition {
  orderEpoch: number;
  cursor: number;
}

export class EpochOrder {
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  private epoch = 0;

  constructor(
    private readonly train: Int32Array,
    private readonly seed: number,
  ) {}

  /** The next n training indices. `seen` (images consumed so far) numbers a new permutation's epoch. */
  next(n: number, seen: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (this.cursor >= this.order.length) {
        // The images already taken from this batch count: a batch that crosses the end of an
        // epoch starts the next epoch's permutation, not the same one again.
        this.epoch = Math.floor((seen + i) / this.train.length);
        this.order = this.permutation(this.epoch);
        this.cursor = 0;
      }
      out[i] = this.order[this.cursor++];
    }
    return out;
  }

  get position(): OrderPosition {
    return { orderEpoch: this.epoch, cursor: this.cursor };
  }

  /** Where the walk stands, to go back to with `restore` (a deferred-read checkpoint). */
  mark(): { order: Int32Array; cursor: number; epoch: number } {
    return { order: this.order, cursor: this.cursor, epoch: this.epoch };
  }

  restore(m: { order: Int32Array; cursor: number; epoch: number }): void {
    ({ order: this.order, cursor: this.cursor, epoch: this.epoch } = m);
  }

  /** Continues a saved run from its position; one that never stepped starts afresh. */
  resume(p: OrderPosition, started: boolean): void {
    this.epoch = p.orderEpoch;
    this.order = started ? this.permutation(p.orderEpoch) : new Int32Array(0);
    this.cursor = Math.min(p.cursor, this.order.length);
  }

  private permutation(epoch: number): Int32Array {
    return new Rng(deriveSeed(this.seed, 1_000_000 + epoch)).shuffle(Int32Array.from(this.train)) as Int32Array;
  }
}
