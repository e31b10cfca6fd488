import { describe, expect, it } from 'vitest';
import { EpochOrder } from '../../src/core/epochOrder';

const train = Int32Array.from({ length: 10 }, (_, i) => 100 + i);

describe('EpochOrder', () => {
  it('walks a fresh permutation of the training images each epoch', () => {
    const o = new EpochOrder(train, 7);
    const e0 = o.next(10, 0),
      e1 = o.next(10, 10);
    expect([...e0].sort()).toEqual([...train]);
    expect([...e1].sort()).toEqual([...train]);
    expect([...e0]).not.toEqual([...e1]);
  });

  it('a saved position resumes with the batches the uninterrupted run draws', () => {
    const a = new EpochOrder(train, 3);
    let seen = 0;
    for (const n of [4, 4, 4, 3]) seen += a.next(n, seen).length; // into epoch 1, mid-permutation
    const saved = a.position;
    expect(saved).toEqual({ orderEpoch: 1, cursor: 5 });
    const b = new EpochOrder(train, 3);
    b.resume(saved, true);
    expect([...b.next(8, seen)]).toEqual([...a.next(8, seen)]);
  });

  it('goes back to a mark, and a run that never stepped starts afresh', () => {
    const o = new EpochOrder(train, 5);
    o.next(3, 0);
    const mark = o.mark();
    const after = [...o.next(4, 3)];
    o.restore(mark);
    expect([...o.next(4, 3)]).toEqual(after);
    const fresh = new EpochOrder(train, 5);
    fresh.resume({ orderEpoch: 0, cursor: 6 }, false);
    expect([...fresh.next(3, 0)]).toEqual([...new EpochOrder(train, 5).next(3, 0)]);
  });
});
