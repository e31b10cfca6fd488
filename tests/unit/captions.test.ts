import { describe, expect, it } from 'vitest';
import {
  captionBatch,
  captionFor,
  captionVocabulary,
  describeDigit,
  describeShape,
  digitCaption,
  DIGIT_WORDS,
  shapeCaption,
  shapeFacts,
  type ShapeFacts,
} from '../../src/core/captions';
import type { Dataset } from '../../src/core/dataset';
import { Rng } from '../../src/core/rng';
import { COLOUR_NAMES, makeShapes, POSITION_NAMES, SHAPE_NAMES, SIZE_NAMES } from '../../src/core/shapes';
import { Tokenizer, words } from '../../src/core/tokenizer';

/** The words of a position bin as a caption may say them, e.g. top-left -> "top left". */
const POSITION_WORDS: Record<string, string[][]> = {
  'top-left': [['top', 'left']],
  top: [['top']],
  'top-right': [['top', 'right']],
  left: [['left']],
  centre: [['centre'], ['middle']],
  right: [['right']],
  'bottom-left': [['bottom', 'left']],
  bottom: [['bottom']],
  'bottom-right': [['bottom', 'right']],
};
const PLACE_WORDS = ['top', 'bottom', 'left', 'right', 'centre', 'middle'];

/**
 * Checks one caption against the image's true factors, independently of how the generator
 * builds it: every attribute word it holds must be the image's.
 */
function assertTrue(caption: string, f: ShapeFacts): void {
  const ws = words(caption);
  const shapes = ws.filter((w) => (SHAPE_NAMES as readonly string[]).includes(w));
  expect(shapes, caption).toEqual([SHAPE_NAMES[f.shape]]);
  for (const w of ws.filter((x) => (COLOUR_NAMES as readonly string[]).includes(x)))
    expect(w, caption).toBe(COLOUR_NAMES[f.colour]);
  for (const w of ws.filter((x) => (SIZE_NAMES as readonly string[]).includes(x)))
    expect(w, caption).toBe(SIZE_NAMES[f.sizeBin]);
  const place = ws.filter((w) => PLACE_WORDS.includes(w));
  if (place.length) expect(POSITION_WORDS[POSITION_NAMES[f.position]], caption).toContainEqual(place);
  if (ws.includes('dark')) expect(f.darkBackground, caption).toBe(true);
  if (ws.includes('light')) expect(f.darkBackground, caption).toBe(false);
  if (ws.includes('dark') || ws.includes('light')) expect(ws, caption).toContain('background');
}

describe('Shapes captions', () => {
  const d = makeShapes(400, 7);

  it('are true to their image, for every image, at every caption detail', () => {
    for (const omit of [0, 0.3, 1]) {
      const rng = new Rng(1);
      for (let i = 0; i < d.count; i++) assertTrue(captionFor(d, i, rng, omit), shapeFacts(d, i));
    }
  });

  it('read the background from the image (dark and light both occur, and match the pixels)', () => {
    const dark = Array.from({ length: d.count }, (_, i) => shapeFacts(d, i).darkBackground);
    expect(dark.filter(Boolean).length).toBeGreaterThan(100);
    expect(dark.filter((x) => !x).length).toBeGreaterThan(100);
    // A bright first pixel can only be a light background.
    for (let i = 0; i < d.count; i++) expect(dark[i]).toBe(d.pixels[i * 32 * 32 * 3] < 128);
  });

  it('are seeded: the same seed gives the same captions, another seed others', () => {
    const idx = Int32Array.from({ length: 50 }, (_, i) => i);
    expect(captionBatch(d, idx, new Rng(5), 0.3)).toEqual(captionBatch(d, idx, new Rng(5), 0.3));
    expect(captionBatch(d, idx, new Rng(6), 0.3)).not.toEqual(captionBatch(d, idx, new Rng(5), 0.3));
  });

  it('vary templates and word order, and name every attribute at full detail', () => {
    const f: ShapeFacts = { shape: 3, colour: 0, sizeBin: 2, position: 0, darkBackground: true };
    const rng = new Rng(2);
    const many = new Set(Array.from({ length: 200 }, () => shapeCaption(f, rng, 0)));
    expect(many.size).toBeGreaterThan(8);
    expect(many).toContain('a large red star in the top left on a dark background');
    expect(many).toContain('a star, red, large, on a dark background, in the top left');
    for (const c of many)
      for (const w of ['star', 'red', 'large', 'top', 'left', 'dark']) expect(words(c), c).toContain(w);
  });

  it('leave attributes out as often as caption detail says', () => {
    const rng = new Rng(3);
    let withColour = 0;
    const n = 4000;
    for (let k = 0; k < n; k++) {
      const c = shapeCaption({ shape: 1, colour: 5, sizeBin: 0, position: 4, darkBackground: false }, rng, 0.4);
      if (words(c).includes('blue')) withColour++;
    }
    expect(withColour / n).toBeGreaterThan(0.56);
    expect(withColour / n).toBeLessThan(0.64);
    expect(
      words(shapeCaption({ shape: 1, colour: 5, sizeBin: 0, position: 4, darkBackground: false }, rng, 1)),
    ).toEqual(expect.arrayContaining(['square']));
  });

  it('use only the vocabulary (no unknown words)', () => {
    const tok = new Tokenizer(captionVocabulary());
    const rng = new Rng(4);
    const caps = Array.from({ length: d.count }, (_, i) => captionFor(d, i, rng, 0.2));
    expect(tok.encode(caps, 16).unknown).toEqual([]);
    expect(tok.encode(caps, 16).truncated).toBe(false);
  });

  it('describe an image for alt text', () => {
    expect(describeShape({ shape: 3, colour: 0, sizeBin: 0, position: 0, darkBackground: true })).toBe(
      'red star, small, top left, dark background',
    );
  });
});

describe('MNIST captions', () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => i % 10);
  const d: Dataset = {
    id: 'mnist',
    height: 2,
    width: 2,
    channels: 1,
    pixels: new Uint8Array(400),
    labels,
    classNames: [],
    factors: [{ name: 'digit', classes: [], values: labels }],
    count: 100,
  };

  it('name the right digit, as a word or a numeral', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      const ws = words(captionFor(d, i, rng, 0));
      const named = ws.filter((w) => (DIGIT_WORDS as readonly string[]).includes(w) || /^\d$/.test(w));
      expect(named).toHaveLength(1);
      expect([DIGIT_WORDS[labels[i]], String(labels[i])]).toContain(named[0]);
    }
  });

  it("come in the issue's forms", () => {
    const rng = new Rng(2);
    const forms = new Set(Array.from({ length: 200 }, () => digitCaption(7, rng)));
    for (const c of ['a handwritten seven', 'the digit 7', 'number seven']) expect(forms).toContain(c);
    expect(describeDigit(7)).toBe('digit 7');
  });
});
