import { describe, expect, it } from 'vitest';
import { gatherImages } from '../../src/core/dataset';
import { USER_IMAGE_BYTES } from '../../src/core/imagePixels';
import {
  assignClasses,
  buildUserDataset,
  capBatchSize,
  capToLimit,
  classCounts,
  classFromPath,
  cleanClassName,
  heldOutCount,
  upToPerClass,
  userReadiness,
  userSplit,
  USER_IMAGE_CAP,
  type UserImage,
} from '../../src/core/userDataset';

const img = (className: string, k: number, id?: number): UserImage => ({
  className,
  name: `${className}-${k}.png`,
  pixels: new Uint8Array(USER_IMAGE_BYTES).fill(k % 256),
  id,
});

function images(counts: Record<string, number>): UserImage[] {
  return Object.entries(counts).flatMap(([c, n]) => Array.from({ length: n }, (_, k) => img(c, k)));
}

describe('class assignment', () => {
  it('takes the immediate parent folder as the class', () => {
    expect(classFromPath({ name: '1.jpg', webkitRelativePath: 'animals/cats/1.jpg' }, 'mine')).toBe('cats');
    expect(classFromPath({ name: '1.jpg', webkitRelativePath: 'animals/cats/old/1.jpg' }, 'mine')).toBe('old');
    // A file directly in the picked folder: the picked folder is its parent.
    expect(classFromPath({ name: '1.jpg', webkitRelativePath: 'dogs/1.jpg' }, 'mine')).toBe('dogs');
  });

  it('puts loose files (no relative path) into the named class', () => {
    expect(classFromPath({ name: 'a.png', webkitRelativePath: '' }, 'mugs')).toBe('mugs');
    expect(classFromPath({ name: 'a.png' }, 'mugs')).toBe('mugs');
    const { assigned } = assignClasses(
      [{ name: 'a.png' }, { name: 'b.png', webkitRelativePath: 'x/cups/b.png' }],
      '  my   mugs ',
    );
    expect(assigned.map((a) => a.className)).toEqual(['my mugs', 'cups']);
  });

  it('skips folder litter and refuses an unnamed loose class', () => {
    const files = [
      { name: '.DS_Store', webkitRelativePath: 'pets/cats/.DS_Store' },
      { name: 'Thumbs.db', webkitRelativePath: 'pets/cats/Thumbs.db' },
      { name: 'c.jpg', webkitRelativePath: 'pets/cats/c.jpg' },
    ];
    const { assigned, skipped } = assignClasses(files, 'mine');
    expect(assigned).toEqual([{ file: files[2], className: 'cats' }]);
    expect(skipped).toEqual(['.DS_Store', 'Thumbs.db']);
    expect(() => assignClasses(files, '   ')).toThrow(/name the class/);
  });

  it('cleans class names', () => {
    expect(cleanClassName('  red \t apples ')).toBe('red apples');
    expect(cleanClassName('   ')).toBeNull();
    expect(cleanClassName('x'.repeat(60))).toHaveLength(40);
    // A folder whose name cleans to nothing falls back to the loose class.
    expect(classFromPath({ name: 'a.png', webkitRelativePath: 'root/   /a.png' }, 'mine')).toBe('mine');
  });
});

describe('the cap', () => {
  it('keeps what fits and says how many were kept', () => {
    const incoming = Array.from({ length: 5320 }, (_, i) => i);
    const r = capToLimit(0, incoming);
    expect(r.kept).toHaveLength(USER_IMAGE_CAP);
    expect(r.kept[4999]).toBe(4999);
    expect(r.dropped).toBe(320);
    expect(r.notice).toBe(
      'Kept 5,000 of the 5,320 images added: at most 5,000 images are kept in all (320 not added).',
    );
  });

  it('counts the images already there', () => {
    const r = capToLimit(
      4990,
      Array.from({ length: 30 }, (_, i) => i),
    );
    expect(r.kept).toHaveLength(10);
    expect(r.notice).toMatch(/Kept 10 of the 30 .*20 not added; 4,990 were here already/);
    expect(capToLimit(5000, [1]).kept).toHaveLength(0);
    expect(capToLimit(10, [1, 2, 3]).notice).toBeNull();
  });
});

describe('the dataset', () => {
  it("has the built-in datasets' format, with classes in a stable natural order", () => {
    const list = [img('class 10', 0, 7), img('class 2', 1, 8), img('apple', 2), img('class 2', 3, 9)];
    const { dataset: d, ids, names } = buildUserDataset(list);
    expect(d).toMatchObject({ id: 'user', height: 32, width: 32, channels: 3, count: 4 });
    expect(d.classNames).toEqual(['apple', 'class 2', 'class 10']);
    expect(Array.from(d.labels)).toEqual([2, 1, 0, 1]);
    expect(d.factors[0].values).toBe(d.labels);
    expect(Array.from(ids)).toEqual([7, 8, -1, 9]);
    expect(names[1]).toBe('class 2-1.png');
    // The trainer's gather reads each image back from its place.
    const x = gatherImages(d, [3]);
    expect(x.length).toBe(USER_IMAGE_BYTES);
    expect(x[0]).toBeCloseTo(3 / 255);
  });

  it('refuses pixels of the wrong size', () => {
    expect(() => buildUserDataset([{ className: 'a', name: 'bad.png', pixels: new Uint8Array(10) }])).toThrow(
      /bad\.png: 10 bytes/,
    );
  });

  it('handles no images at all', () => {
    const { dataset } = buildUserDataset([]);
    expect(dataset.count).toBe(0);
    expect(dataset.classNames).toEqual([]);
  });
});

describe('the split', () => {
  const { dataset: d } = buildUserDataset(images({ cats: 23, dogs: 7, mugs: 1, owls: 2 }));

  it('holds out a share of each class, disjoint and complete', () => {
    const s = userSplit(d.labels, d.classNames, 42);
    const all = [...s.train, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: d.count }, (_, i) => i));
    const held = classCounts(d.labels, d.classNames.length, s.test);
    // cats 23 -> 5, dogs 7 -> 1, mugs 1 -> 0, owls 2 -> 1
    expect(held).toEqual([5, 1, 0, 1]);
    expect(heldOutCount(10)).toBe(2);
    expect(heldOutCount(5)).toBe(1);
  });

  it('is seeded, and a class keeps its split when another class grows', () => {
    const a = userSplit(d.labels, d.classNames, 42);
    const b = userSplit(d.labels, d.classNames, 42);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    const c = userSplit(d.labels, d.classNames, 43);
    expect(new Set(c.test)).not.toEqual(new Set(a.test));
    // More dogs: the cats held out are the same cats.
    const bigger = buildUserDataset(images({ cats: 23, dogs: 30, mugs: 1, owls: 2 })).dataset;
    const catsHeld = (ds: typeof d, s: typeof a) =>
      Array.from(s.test)
        .filter((i) => ds.labels[i] === 0)
        .sort((x, y) => x - y);
    expect(catsHeld(bigger, userSplit(bigger.labels, bigger.classNames, 42))).toEqual(catsHeld(d, a));
  });

  it('draws up to perClass per class for the display set', () => {
    const s = userSplit(d.labels, d.classNames, 1);
    const shown = upToPerClass(s.test, d.labels, d.classNames.length, 2, 5);
    expect(classCounts(d.labels, 4, shown)).toEqual([2, 1, 0, 1]);
  });
});

describe('readiness and the batch cap', () => {
  const ready = (counts: Record<string, number>) => {
    const { dataset: d } = buildUserDataset(images(counts));
    return userReadiness(d.labels, d.classNames, userSplit(d.labels, d.classNames, 3));
  };

  it('needs a few images to train', () => {
    expect(ready({ a: 2 }).canTrain).toBe(false);
    expect(ready({ a: 2 }).messages[0]).toMatch(/at least 4 images to train/);
    expect(ready({ a: 6 }).canTrain).toBe(true);
  });

  it('says when there is a single class', () => {
    const r = ready({ cats: 40 });
    expect(r.knn).toBe(false);
    expect(r.messages.join(' ')).toMatch(/one class \(cats\)/);
  });

  it('turns kNN on once two classes have 5 images each', () => {
    expect(ready({ a: 5, b: 4, c: 1 }).knn).toBe(false);
    expect(ready({ a: 5, b: 4, c: 1 }).messages.join(' ')).toMatch(/now: a 5, b 4, c 1/);
    expect(ready({ a: 5, b: 5, c: 1 }).knn).toBe(true);
  });

  it('offers the probes whose label count every class can meet', () => {
    expect(ready({ a: 5, b: 5 }).probeLabels).toEqual([1, 'all']);
    expect(ready({ a: 13, b: 20 }).probeLabels).toEqual([1, 10, 'all']);
    expect(ready({ a: 13, b: 20, c: 1 }).probeLabels).toEqual([1, 'all']);
    expect(ready({ a: 3, b: 3 }).probeLabels).toEqual([]);
  });

  it('caps a batch to the training images, with a notice', () => {
    expect(capBatchSize(64, 500)).toEqual({ batchSize: 64, notice: null });
    expect(capBatchSize(64, 40)).toEqual({
      batchSize: 40,
      notice: 'Batch size 64 is more than your 40 training images: each step uses all 40.',
    });
  });
});
