import { describe, expect, it } from 'vitest';
import { makeShapes } from '../../src/core/shapes';
import { imageLabel, nearestByCosine } from '../../src/core/searchByExample';
import { buildUserDataset } from '../../src/core/userDataset';
import { USER_IMAGE_BYTES } from '../../src/core/imagePixels';
import { MNIST_CLASS_NAMES } from '../../src/core/mnist';

describe('nearest neighbours by cosine', () => {
  // Rows at angles 0, 10, 20, ... 350 degrees on the unit circle, at different lengths.
  const angles = Array.from({ length: 36 }, (_, i) => i * 10);
  const refs = Float32Array.from(
    angles.flatMap((a, i) => [
      (1 + (i % 3)) * Math.cos((a * Math.PI) / 180),
      (1 + (i % 3)) * Math.sin((a * Math.PI) / 180),
    ]),
  );

  it('ranks by angle, whatever the lengths, most similar first', () => {
    const q = Float32Array.from([0.01, 3]); // just right of 90 degrees: 80 before 100, 70 before 110
    const nb = nearestByCosine(q, refs, 2, 5);
    expect(nb.map((n) => n.row)).toEqual([9, 8, 10, 7, 11]);
    expect(nb[0].similarity).toBeCloseTo(1, 4);
    expect(nb[1].similarity).toBeCloseTo(Math.cos(Math.PI / 18), 2);
    expect(nb.every((n, i) => i === 0 || n.similarity <= nb[i - 1].similarity)).toBe(true);
  });

  it('leaves the query out when it is one of the references, and gives 12 by default', () => {
    const q = refs.slice(2 * 4, 2 * 5);
    const nb = nearestByCosine(q, refs, 2, 12, 4);
    expect(nb).toHaveLength(12);
    expect(nb.map((n) => n.row)).not.toContain(4);
    expect(
      nb
        .slice(0, 2)
        .map((n) => n.row)
        .sort(),
    ).toEqual([3, 5]);
  });

  it('gives nothing for a zero query and at most n rows', () => {
    expect(nearestByCosine(new Float32Array(2), refs, 2)).toEqual([]);
    expect(nearestByCosine(Float32Array.from([1, 0]), refs.slice(0, 6), 2, 12)).toHaveLength(3);
  });
});

describe('image labels', () => {
  it('names digits, coloured shapes and user classes', () => {
    const labels = Int32Array.from([1, 7]);
    expect(imageLabel({ id: 'mnist', labels, classNames: MNIST_CLASS_NAMES, factors: [] }, 1)).toBe('digit 7');
    const shapes = makeShapes(16, 3);
    const i = 5;
    const colour = shapes.factors[1].classes[shapes.factors[1].values[i]];
    expect(imageLabel(shapes, i)).toBe(`${colour} ${shapes.classNames[shapes.labels[i]]}`);
    const user = buildUserDataset([
      { className: 'my mugs', name: 'm.png', pixels: new Uint8Array(USER_IMAGE_BYTES) },
    ]).dataset;
    expect(imageLabel(user, 0)).toBe('my mugs');
  });
});
