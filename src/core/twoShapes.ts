// Two shapes: a Shapes variant with two objects per image, one in each half, of different
// shapes and different colours. It exists for the attribute-binding lesson: "a red star and a
// blue ring" and "a blue star and a red ring" hold the same words, so a bag-of-words text
// encoder cannot tell them apart, while an order-aware one can. Same format as Shapes (32 x 32
// RGB, NHWC bytes), drawn with Shapes' own rasteriser.

import type { Dataset } from './dataset';
import type { ColourShape } from './heldOutPairs';
import { Rng } from './rng';
import {
  background,
  clamp255,
  COLOUR_JITTER,
  COLOUR_NAMES,
  PALETTE,
  renderShape,
  SHAPE_NAMES,
  type Rgb,
  type ShapeSpec,
} from './shapes';

/** Circumradius range in pixels: each object must fit in its half of a 32-pixel image. */
const R_RANGE: [number, number] = [5, 6.5];
const MARGIN = 1;

export interface TwoShapeFacts {
  leftShape: number;
  leftColour: number;
  rightShape: number;
  rightColour: number;
}

function objectSpec(shape: number, colour: number, half: 0 | 1, bg: Rgb, rng: Rng, size: number): ShapeSpec {
  const r = rng.uniform(R_RANGE[0], R_RANGE[1]);
  const halfW = size / 2;
  const cx = half * halfW + rng.uniform(r + MARGIN, halfW - r - MARGIN);
  const cy = rng.uniform(r + MARGIN, size - r - MARGIN);
  const fg = PALETTE[COLOUR_NAMES[colour]].map((v) => clamp255(v + rng.uniform(-COLOUR_JITTER, COLOUR_JITTER))) as Rgb;
  return { shape, colour, sizeBin: 0, position: 0, cx, cy, r, angle: rng.uniform(0, 2 * Math.PI), fg, bg };
}

/**
 * count seeded two-object images. The label (factors[0]) is the left shape; the factors record
 * both objects' shape and colour.
 */
export function makeTwoShapes(count: number, seed: number, size = 32): Dataset {
  const rng = new Rng(seed);
  const imageBytes = size * size * 3;
  const pixels = new Uint8Array(count * imageBytes);
  const left = new Uint8Array(imageBytes),
    right = new Uint8Array(imageBytes);
  const values = {
    ls: new Int32Array(count),
    lc: new Int32Array(count),
    rs: new Int32Array(count),
    rc: new Int32Array(count),
  };
  const nS = SHAPE_NAMES.length,
    nC = COLOUR_NAMES.length;
  for (let i = 0; i < count; i++) {
    const ls = rng.int(nS),
      rs = (ls + 1 + rng.int(nS - 1)) % nS;
    const lc = rng.int(nC),
      rc = (lc + 1 + rng.int(nC - 1)) % nC;
    const bg = background(rng);
    // Each object is drawn over the background alone and its half copied: they never overlap,
    // so this is the image with both drawn.
    renderShape(objectSpec(ls, lc, 0, bg, rng, size), size, left);
    renderShape(objectSpec(rs, rc, 1, bg, rng, size), size, right);
    const o = i * imageBytes;
    for (let y = 0; y < size; y++) {
      const row = y * size * 3,
        mid = (size / 2) * 3;
      pixels.set(left.subarray(row, row + mid), o + row);
      pixels.set(right.subarray(row + mid, row + size * 3), o + row + mid);
    }
    values.ls[i] = ls;
    values.lc[i] = lc;
    values.rs[i] = rs;
    values.rc[i] = rc;
  }
  const swatches = COLOUR_NAMES.map((c) => `rgb(${PALETTE[c].join(', ')})`);
  return {
    id: 'twoShapes',
    height: size,
    width: size,
    channels: 3,
    pixels,
    labels: values.ls,
    classNames: [...SHAPE_NAMES],
    factors: [
      { name: 'left shape', classes: [...SHAPE_NAMES], values: values.ls },
      { name: 'left colour', classes: [...COLOUR_NAMES], values: values.lc, swatches },
      { name: 'right shape', classes: [...SHAPE_NAMES], values: values.rs },
      { name: 'right colour', classes: [...COLOUR_NAMES], values: values.rc, swatches },
    ],
    count,
  };
}

export function twoShapeFacts(d: Dataset, i: number): TwoShapeFacts {
  const [ls, lc, rs, rc] = d.factors.map((f) => f.values[i]);
  return { leftShape: ls, leftColour: lc, rightShape: rs, rightColour: rc };
}

/** The two colour x shape pairs an image shows (for the held-out compositions). */
export function twoShapePairs(d: Dataset): (i: number) => ColourShape[] {
  return (i) => {
    const f = twoShapeFacts(d, i);
    return [
      { colour: f.leftColour, shape: f.leftShape },
      { colour: f.rightColour, shape: f.rightShape },
    ];
  };
}

/**
 * One caption: both objects, in either order, with or without where each is ("a red star and
 * a blue ring", "a blue ring on the right and a red star on the left", "a red star to the left
 * of a blue ring"). sideProb: the chance that the sides are said.
 */
export function twoShapeCaption(f: TwoShapeFacts, rng: Rng, sideProb = 0.5): string {
  const l = `a ${COLOUR_NAMES[f.leftColour]} ${SHAPE_NAMES[f.leftShape]}`;
  const r = `a ${COLOUR_NAMES[f.rightColour]} ${SHAPE_NAMES[f.rightShape]}`;
  const leftFirst = rng.bool();
  if (!rng.bool(sideProb)) return leftFirst ? `${l} and ${r}` : `${r} and ${l}`;
  switch (rng.int(2)) {
    case 0:
      return leftFirst ? `${l} on the left and ${r} on the right` : `${r} on the right and ${l} on the left`;
    default:
      return leftFirst ? `${l} to the left of ${r}` : `${r} to the right of ${l}`;
  }
}

/** The same caption form with the two colours swapped: the binding test's wrong caption. */
export function swappedColours(f: TwoShapeFacts): TwoShapeFacts {
  return { ...f, leftColour: f.rightColour, rightColour: f.leftColour };
}

/** What a search result shows, for its alt text: "red star left, blue ring right". */
export function describeTwoShapes(f: TwoShapeFacts): string {
  return `${COLOUR_NAMES[f.leftColour]} ${SHAPE_NAMES[f.leftShape]} left, ${COLOUR_NAMES[f.rightColour]} ${SHAPE_NAMES[f.rightShape]} right`;
}
