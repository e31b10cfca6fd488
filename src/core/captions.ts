// Captions for CLIP mode, generated (seeded) from each image's recorded factors. Every
// caption is true to its image: it may leave an attribute out, never state a wrong one. The
// templates vary word order on purpose, so a text encoder cannot learn one fixed slot per
// attribute, and incomplete captions are how real alt-text looks.

import type { Dataset } from './dataset';
import type { Rng } from './rng';
import { COLOUR_NAMES, POSITION_NAMES, SHAPE_NAMES, SIZE_NAMES } from './shapes';

/** What a Shapes caption may say about one image. */
export interface ShapeFacts {
  shape: number;
  colour: number;
  sizeBin: number;
  position: number;
  darkBackground: boolean;
}

/** How each position bin is said after a preposition ("in the top left", "on the left"). */
const POSITION_PHRASES: Record<(typeof POSITION_NAMES)[number], string[]> = {
  'top-left': ['in the top left'],
  top: ['at the top'],
  'top-right': ['in the top right'],
  left: ['on the left'],
  centre: ['in the centre', 'in the middle'],
  right: ['on the right'],
  'bottom-left': ['in the bottom left'],
  bottom: ['at the bottom'],
  'bottom-right': ['in the bottom right'],
};

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/** The words of the fixed template text (articles, prepositions, joiners). */
const TEMPLATE_WORDS = [
  'a',
  'an',
  'the',
  'and',
  'on',
  'in',
  'at',
  'of',
  'to',
  'is',
  'with',
  'picture',
  'photo',
  'background',
  'dark',
  'light',
  'middle',
  'handwritten',
  'digit',
  'number',
  'left',
  'right',
  'shape',
  'shapes',
  'two',
];

/** Every word a caption generator here can emit: the tokenizer's vocabulary. */
export function captionVocabulary(): string[] {
  const words = new Set<string>(TEMPLATE_WORDS);
  for (const list of [SHAPE_NAMES, COLOUR_NAMES, SIZE_NAMES, DIGIT_WORDS]) for (const w of list) words.add(w);
  for (const phrases of Object.values(POSITION_PHRASES))
    for (const p of phrases) for (const w of p.split(' ')) words.add(w);
  for (let d = 0; d < 10; d++) words.add(String(d));
  return [...words].sort();
}

/**
 * Background brightness is not one of Shapes' factors (the background is drawn near black or
 * near white), so it is read from the image's first pixel: the shape keeps a margin from the
 * border, so that pixel is always background.
 */
export function isDarkBackground(d: Dataset, i: number): boolean {
  const o = i * d.height * d.width * d.channels;
  const p = d.pixels;
  return (p[o] + p[o + 1] + p[o + 2]) / 3 < 128;
}

function factorValues(d: Dataset, name: string): Int32Array {
  const f = d.factors.find((x) => x.name === name);
  if (!f) throw new Error(`dataset ${d.id} has no factor "${name}"`);
  return f.values;
}

export function shapeFacts(d: Dataset, i: number): ShapeFacts {
  return {
    shape: factorValues(d, 'shape')[i],
    colour: factorValues(d, 'colour')[i],
    sizeBin: factorValues(d, 'size')[i],
    position: factorValues(d, 'position')[i],
    darkBackground: isDarkBackground(d, i),
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/**
 * One caption of a Shapes image. omitProb (the inverse of "caption detail") is the chance
 * that each of colour, size, position and background is left out; the shape is always named,
 * so every caption says what the object is.
 */
export function shapeCaption(f: ShapeFacts, rng: Rng, omitProb: number): string {
  const keep = () => !rng.bool(omitProb);
  const shape = SHAPE_NAMES[f.shape];
  const colour = keep() ? COLOUR_NAMES[f.colour] : null;
  const size = keep() ? SIZE_NAMES[f.sizeBin] : null;
  const where = keep() ? pick(rng, POSITION_PHRASES[POSITION_NAMES[f.position]]) : null;
  const bg = keep() ? `on a ${f.darkBackground ? 'dark' : 'light'} background` : null;
  const phrases = [where, bg].filter((x): x is string => x !== null);
  if (rng.bool()) phrases.reverse();
  const adjectives: string[] = [size, colour].filter((x) => x !== null);
  const noun = [...adjectives, shape].join(' ');
  switch (rng.int(4)) {
    case 0: // "red star": the short alt-text form
      return [noun, ...phrases].join(' ');
    case 1: // "a star, red, large": attributes listed after the noun
      return [`${article(shape)} ${shape}`, ...adjectives.slice().reverse(), ...phrases].join(', ');
    case 2: // "a picture of a small red star on a dark background"
      return [`${pick(rng, ['a picture of', 'a photo of'])} ${article(noun)} ${noun}`, ...phrases].join(' ');
    default: // "a large red star in the top left"
      return [`${article(noun)} ${noun}`, ...phrases].join(' ');
  }
}

/** One caption of an MNIST digit: "a handwritten seven", "the digit 7", "number seven". */
export function digitCaption(digit: number, rng: Rng): string {
  const word = DIGIT_WORDS[digit];
  switch (rng.int(5)) {
    case 0:
      return `a handwritten ${word}`;
    case 1:
      return `the digit ${digit}`;
    case 2:
      return `number ${word}`;
    case 3:
      return `the number ${digit}`;
    default:
      return `${article(word)} ${word}`;
  }
}

/**
 * A caption for image i of a captioned dataset (Shapes or MNIST; two-shapes images have their
 * own generator in twoShapes.ts).
 */
export function captionFor(d: Dataset, i: number, rng: Rng, omitProb: number): string {
  if (d.id === 'mnist' || d.factors[0]?.name === 'digit') return digitCaption(d.labels[i], rng);
  if (d.id === 'shapes') return shapeCaption(shapeFacts(d, i), rng, omitProb);
  throw new Error(`no captions for dataset ${d.id}`);
}

/** Captions of the given images, one each, in order. */
export function captionBatch(d: Dataset, indices: ArrayLike<number>, rng: Rng, omitProb: number): string[] {
  return Array.from({ length: indices.length }, (_, k) => captionFor(d, indices[k], rng, omitProb));
}

/** What a search result shows, for its alt text: "red star, small, top left, dark background". */
export function describeShape(f: ShapeFacts): string {
  return [
    `${COLOUR_NAMES[f.colour]} ${SHAPE_NAMES[f.shape]}`,
    SIZE_NAMES[f.sizeBin],
    POSITION_NAMES[f.position].replace('-', ' '),
    `${f.darkBackground ? 'dark' : 'light'} background`,
  ].join(', ');
}

/** What an MNIST search result shows, for its alt text: "digit 7". */
export function describeDigit(digit: number): string {
  return `digit ${digit}`;
}
