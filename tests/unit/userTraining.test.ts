// "My images" through the real Trainer and the worker's query on the cpu backend: uneven
// classes keep their own seeded split, the batch is capped to the training images, a step
// gives a finite loss, and a query answers with neighbours and an anchor batch, leaking nothing.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { USER_IMAGE_BYTES } from '../../src/core/imagePixels';
import { toDatasetFormat } from '../../src/core/queryImage';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { buildUserDataset, userSplit, type UserImage } from '../../src/core/userDataset';
import { Rng } from '../../src/core/rng';
import { runQuery } from '../../src/engine/query';
import { Trainer } from '../../src/engine/trainer';
import { userDatasetFrom, userProbeRefusal } from '../../src/engine/userData';

const settings: Settings = { ...defaultSettings('user'), batchSize: 64, embeddingDim: 8, seed: 3 };

function images(counts: Record<string, number>): UserImage[] {
  const rng = new Rng(9);
  return Object.entries(counts).flatMap(([className, n], c) =>
    Array.from({ length: n }, (_, i) => ({
      className,
      name: `${className}${i}.png`,
      pixels: Uint8Array.from(
        { length: USER_IMAGE_BYTES },
        (_, p) => (p % 3 === c % 3 ? 200 : 0) + Math.floor(rng.random() * 50),
      ),
    })),
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('the Trainer on a user dataset', () => {
  it('takes the per-class split, caps the batch, trains with a finite loss and answers queries without leaks', async () => {
    const { dataset } = buildUserDataset(images({ cats: 3, dogs: 12, mugs: 1 }));
    const t = new Trainer(dataset, settings);
    const split = userSplit(dataset.labels, dataset.classNames, settings.seed);
    expect(Array.from(t.train).sort()).toEqual(Array.from(split.train).sort());
    expect(Array.from(t.test).sort()).toEqual(Array.from(split.test).sort());
    // Fewer than 50 held out per class: the display set is every held-out image.
    expect(Array.from(t.displayIndices).sort()).toEqual(Array.from(split.test).sort());
    expect(t.test.length).toBe(1 + 2 + 0);
    expect(t.batchSize).toBe(t.train.length);

    const r = await t.trainStep();
    expect(r.n).toBe(t.train.length);
    expect(Number.isFinite(r.loss)).toBe(true);

    const tensors = tf.memory().numTensors;
    const query = {
      kind: 'pixels' as const,
      height: 32,
      width: 32,
      channels: 3 as const,
      pixels: dataset.pixels.slice(0, USER_IMAGE_BYTES),
    };
    const { result } = await runQuery(t, { type: 'query', id: 7, source: query, anchor: true }, settings);
    expect(result.id).toBe(7);
    expect(result.h.indices.length).toBe(3);
    expect(result.zNeighbours.labels.every((l) => dataset.classNames.includes(l))).toBe(true);
    expect(Array.from(result.h.indices).every((i) => t.test.includes(i))).toBe(true);
    const sims = Array.from(result.h.similarities);
    expect(sims).toEqual([...sims].sort((a, b) => b - a));
    expect(result.z.length).toBe(8);
    const a = result.anchor!;
    expect(a.batch.n).toBe(t.train.length);
    expect(a.batch.labels[0]).toBe(-1);
    expect(a.batch.labels[a.batch.n]).toBe(-1);
    expect(a.batch.embeddings.length).toBe(2 * a.batch.n * 8);
    expect(a.views.count).toBe(a.batch.n);
    // A dataset image as the query is left out of its own neighbours.
    const own = t.test[0];
    const byIndex = await runQuery(t, { type: 'query', id: 8, source: { kind: 'index', index: own } }, settings);
    expect(Array.from(byIndex.result.h.indices)).not.toContain(own);
    expect(byIndex.result.anchor).toBeNull();
    expect(tf.memory().numTensors).toBe(tensors);
    t.dispose();
  });
});

describe("the worker's user dataset", () => {
  it('says what is missing instead of building an unusable run', () => {
    expect(() => userDatasetFrom(null)).toThrow(/not added any images/);
    const few = buildUserDataset(images({ a: 2, b: 2 })).dataset;
    expect(() =>
      userDatasetFrom({ type: 'userData', pixels: few.pixels, labels: few.labels, classNames: few.classNames }),
    ).toThrow(/at least 4 images .* \(2 of your 4 are left\)/);
    const ok = buildUserDataset(images({ a: 5, b: 5 })).dataset;
    const d = userDatasetFrom({ type: 'userData', pixels: ok.pixels, labels: ok.labels, classNames: ok.classNames });
    expect(d.count).toBe(10);
    expect(d.id).toBe('user');
  });

  it('refuses a probe with more labels per class than a class has training images, naming the class', () => {
    const d = buildUserDataset(images({ cats: 20, dogs: 6 })).dataset;
    const split = userSplit(d.labels, d.classNames, 1);
    expect(userProbeRefusal(d, split, 1)).toBeNull();
    expect(userProbeRefusal(d, split, 'all')).toBeNull();
    expect(userProbeRefusal(d, split, 10)).toBe(
      '10 labels per class needs 10 training images in every class (now: dogs 5).',
    );
    const one = buildUserDataset(images({ cats: 20 })).dataset;
    expect(userProbeRefusal(one, userSplit(one.labels, one.classNames, 1), 1)).toMatch(
      /two classes with at least 5 images/,
    );
    expect(userProbeRefusal({ ...d, id: 'mnist' }, split, 100)).toBeNull();
  });
});

describe("a query image in the dataset's format", () => {
  it('turns a 32 x 32 RGB picture into a 28 x 28 grey one by area average and channel mean', () => {
    const rgb = new Uint8Array(32 * 32 * 3);
    for (let p = 0; p < 32 * 32; p++) rgb.set([90, 150, 210], 3 * p);
    const grey = toDatasetFormat(
      { height: 32, width: 32, channels: 3, pixels: rgb },
      { height: 28, width: 28, channels: 1 },
    );
    expect(grey.length).toBe(28 * 28);
    expect(grey.every((v) => v === 150)).toBe(true);
    const same = toDatasetFormat(
      { height: 32, width: 32, channels: 3, pixels: rgb },
      { height: 32, width: 32, channels: 3 },
    );
    expect(Array.from(same)).toEqual(Array.from(rgb));
    // Four grey pixels into one: their mean.
    const one = toDatasetFormat(
      { height: 2, width: 2, channels: 1, pixels: Uint8Array.from([0, 100, 200, 100]) },
      { height: 1, width: 1, channels: 3 },
    );
    expect(Array.from(one)).toEqual([100, 100, 100]);
  });
});
