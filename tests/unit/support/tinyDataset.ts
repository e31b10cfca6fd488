// A tiny labelled dataset (grey images, 8x8 unless asked, a class-dependent bright pixel over
// noise) for tests that run the real Trainer; at side 28 it has MNIST's shape.
import type { Dataset } from '../../../src/core/dataset';
import { Rng } from '../../../src/core/rng';

export function tinyDataset(side = 8): Dataset {
  const classes = 10,
    perClass = 260,
    h = side,
    w = side;
  const count = classes * perClass;
  const rng = new Rng(17);
  const labels = Int32Array.from({ length: count }, (_, i) => i % classes);
  const pixels = Uint8Array.from({ length: count * h * w }, (_, p) => {
    const c = labels[Math.floor(p / (h * w))];
    // A class-dependent bright pixel over noise, so there is something to learn.
    return p % (h * w) === c * 6 ? 255 : Math.floor(rng.random() * 80);
  });
  const classNames = Array.from({ length: classes }, (_, c) => String(c));
  return {
    id: 'tiny',
    height: h,
    width: w,
    channels: 1,
    pixels,
    labels,
    classNames,
    factors: [{ name: 'digit', classes: classNames, values: labels }],
    count,
  };
}
