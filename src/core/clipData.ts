// What CLIP mode needs to know about each captioned dataset, in one place shared by the worker,
// the page and the benchmark: how a training caption is drawn, which colour x shape pairs an
// image shows (for the held-out compositions), what a search result's alt text says, and the
// zero-shot factors with their default prompt templates.

import { captionBatch, DIGIT_WORDS, describeDigit, describeShape, shapeFacts } from './captions';
import type { Dataset } from './dataset';
import { type ColourShape, singlePairs } from './heldOutPairs';
import { type Rng } from './rng';
import { COLOUR_NAMES, SHAPE_NAMES } from './shapes';
import { describeTwoShapes, swappedColours, twoShapeCaption, twoShapeFacts, twoShapePairs } from './twoShapes';
import { fillTemplate } from './zeroShot';

/** Longest caption the text encoder reads (every generated caption fits). */
export const CLIP_MAX_LEN = 16;

export function hasCaptions(datasetId: string): boolean {
  return datasetId === 'mnist' || datasetId === 'shapes' || datasetId === 'twoShapes';
}

/** One training caption per image; captionDetail: the chance each optional attribute is said. */
export function trainingCaptions(d: Dataset, indices: ArrayLike<number>, rng: Rng, captionDetail: number): string[] {
  if (d.id === 'twoShapes')
    return Array.from({ length: indices.length }, (_, k) => twoShapeCaption(twoShapeFacts(d, indices[k]), rng));
  return captionBatch(d, indices, rng, 1 - captionDetail);
}

/** The colour x shape pairs an image shows, or null for a dataset without them (MNIST). */
export function pairsOf(d: Dataset): ((i: number) => ColourShape[]) | null {
  if (d.id === 'twoShapes') return twoShapePairs(d);
  if (d.id === 'shapes') return singlePairs(factor(d, 'colour'), factor(d, 'shape'));
  return null;
}

/** What image i shows, in words, for a search result's alt text. */
export function describeImage(d: Dataset, i: number): string {
  if (d.id === 'twoShapes') return describeTwoShapes(twoShapeFacts(d, i));
  if (d.id === 'shapes') return describeShape(shapeFacts(d, i));
  return describeDigit(d.labels[i]);
}

/**
 * Two shapes' hard negatives (NegCLIP): each caption's facts with the colours swapped, said in
 * a fresh caption. A swap that would name a held-out pair is left out, so no training caption,
 * negative or not, names one.
 */
export function swappedNegatives(
  d: Dataset,
  indices: ArrayLike<number>,
  rng: Rng,
  heldOut: (colour: number, shape: number) => boolean,
): string[] {
  const out: string[] = [];
  for (let k = 0; k < indices.length; k++) {
    const f = swappedColours(twoShapeFacts(d, indices[k]));
    if (heldOut(f.leftColour, f.leftShape) || heldOut(f.rightColour, f.rightShape)) continue;
    out.push(twoShapeCaption(f, rng));
  }
  return out;
}

/** A factor zero-shot classification can ask about, with the words for its classes. */
export interface ZeroShotFactor {
  id: string;
  label: string;
  /** Each class's values for the template slots, e.g. { colour: 'red', shape: 'star' }. */
  classes: Record<string, string>[];
  classNames: string[];
  /** Every slot a template may use, with all its values: a slot the class does not fix is averaged over. */
  slots: Record<string, readonly string[]>;
  defaultTemplates: string[];
  /** The true class of image i. */
  labelOf: (d: Dataset, i: number) => number;
}

function factor(d: Dataset, name: string): Int32Array {
  const f = d.factors.find((x) => x.name === name);
  if (!f) throw new Error(`dataset ${d.id} has no factor "${name}"`);
  return f.values;
}

const SHAPE_SLOTS = { shape: SHAPE_NAMES, colour: COLOUR_NAMES };

/** The zero-shot factors of a dataset, the default first. */
export function zeroShotFactors(datasetId: string): ZeroShotFactor[] {
  if (datasetId === 'mnist') {
    return [
      {
        id: 'digit',
        label: 'digit',
        classes: DIGIT_WORDS.map((w, k) => ({ digit: String(k), word: w })),
        classNames: DIGIT_WORDS.map((_, k) => String(k)),
        slots: { digit: DIGIT_WORDS.map((_, k) => String(k)), word: DIGIT_WORDS },
        defaultTemplates: ['a handwritten {word}', 'the digit {digit}', 'number {word}'],
        labelOf: (d, i) => d.labels[i],
      },
    ];
  }
  const two = datasetId === 'twoShapes';
  const shapeName = two ? 'left shape' : 'shape';
  const colourName = two ? 'left colour' : 'colour';
  const where = two ? ' on the left' : '';
  return [
    {
      id: 'shape',
      label: two ? 'left shape' : 'shape',
      classes: SHAPE_NAMES.map((s) => ({ shape: s })),
      classNames: [...SHAPE_NAMES],
      slots: SHAPE_SLOTS,
      defaultTemplates: two ? ['a {colour} {shape} on the left'] : ['a {shape}', 'a picture of a {shape}', '{shape}'],
      labelOf: (d, i) => factor(d, shapeName)[i],
    },
    {
      id: 'colour',
      label: two ? 'left colour' : 'colour',
      classes: COLOUR_NAMES.map((c) => ({ colour: c })),
      classNames: [...COLOUR_NAMES],
      slots: SHAPE_SLOTS,
      // Captions always name the shape, so colour prompts name it too, averaged over every shape.
      defaultTemplates: [`a {colour} {shape}${where}`, `{colour} {shape}${where}`],
      labelOf: (d, i) => factor(d, colourName)[i],
    },
    {
      id: 'both',
      label: two ? 'left colour and shape' : 'colour and shape',
      classes: COLOUR_NAMES.flatMap((c) => SHAPE_NAMES.map((s) => ({ colour: c, shape: s }))),
      classNames: COLOUR_NAMES.flatMap((c) => SHAPE_NAMES.map((s) => `${c} ${s}`)),
      slots: SHAPE_SLOTS,
      defaultTemplates: two
        ? [`a {colour} {shape}${where}`]
        : ['a {colour} {shape}', '{colour} {shape}', 'a picture of a {colour} {shape}'],
      labelOf: (d, i) => factor(d, colourName)[i] * SHAPE_NAMES.length + factor(d, shapeName)[i],
    },
  ];
}

/**
 * Every prompt of one class under the templates: the class fills its own slots, any other slot
 * a template uses takes each of its values in turn (so "a {colour} {shape}" for the colour red
 * is said with every shape). Returned class-major with the same count per class, as
 * classEmbeddings expects.
 */
export function factorPrompts(f: ZeroShotFactor, templates: string[]): { prompts: string[]; perClass: number } {
  let perClass = -1;
  const prompts: string[] = [];
  for (const cls of f.classes) {
    const mine: string[] = [];
    for (const t of templates) {
      const free = [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((k) => !(k in cls) && k in f.slots);
      let fills: Record<string, string>[] = [{ ...cls }];
      for (const k of new Set(free)) fills = fills.flatMap((v) => f.slots[k].map((x) => ({ ...v, [k]: x })));
      for (const v of fills) mine.push(fillTemplate(t, v));
    }
    if (perClass < 0) perClass = mine.length;
    prompts.push(...mine);
  }
  return { prompts, perClass: Math.max(0, perClass) };
}

/** The text-search queries precision at 12 is averaged over: every colour x shape pair. */
export function pairQueries(): { text: string; colour: number; shape: number }[] {
  return COLOUR_NAMES.flatMap((c, ci) => SHAPE_NAMES.map((s, si) => ({ text: `a ${c} ${s}`, colour: ci, shape: si })));
}
