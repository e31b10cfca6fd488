import { describe, expect, it } from 'vitest';
import { anchorChoices, imageTextSimilarity } from '../../src/core/clipBatch';
import {
  describeImage,
  factorPrompts,
  hasCaptions,
  pairQueries,
  pairsOf,
  swappedNegatives,
  trainingCaptions,
  zeroShotFactors,
} from '../../src/core/clipData';
import { heldOutPairs, isHeldOut, withoutHeldOut } from '../../src/core/heldOutPairs';
import { Rng } from '../../src/core/rng';
import { COLOUR_NAMES, makeShapes, SHAPE_NAMES } from '../../src/core/shapes';
import { makeTwoShapes, twoShapeFacts } from '../../src/core/twoShapes';
import { words } from '../../src/core/tokenizer';

describe('CLIP data per dataset', () => {
  it("captions Shapes truthfully: the shape always, the colour only when it is the image's", () => {
    const d = makeShapes(400, 5);
    const idx = Int32Array.from({ length: 400 }, (_, i) => i);
    const caps = trainingCaptions(d, idx, new Rng(1), 0.5);
    let saidColour = 0;
    caps.forEach((c, i) => {
      const ws = words(c);
      expect(ws).toContain(SHAPE_NAMES[d.factors[0].values[i]]);
      const colours = ws.filter((w) => (COLOUR_NAMES as readonly string[]).includes(w));
      expect(colours.every((w) => w === COLOUR_NAMES[d.factors[1].values[i]])).toBe(true);
      if (colours.length) saidColour++;
    });
    // Caption detail 0.5: about half say the colour.
    expect(saidColour).toBeGreaterThan(140);
    expect(saidColour).toBeLessThan(260);
    const full = trainingCaptions(d, idx, new Rng(1), 1);
    full.forEach((c, i) => expect(words(c)).toContain(COLOUR_NAMES[d.factors[1].values[i]]));
  });

  it("keeps every held-out pair out of a CLIP run's training images, captions and hard negatives", () => {
    const d = makeTwoShapes(1500, 4);
    const held = heldOutPairs(4);
    const all = Int32Array.from({ length: d.count }, (_, i) => i);
    const train = withoutHeldOut(all, pairsOf(d)!, held);
    expect(train.length).toBeLessThan(d.count);
    const caps = trainingCaptions(d, train, new Rng(2), 1);
    const negs = swappedNegatives(d, train, new Rng(3), (c, s) => isHeldOut(held, c, s));
    expect(negs.length).toBeGreaterThan(0);
    for (const c of [...caps, ...negs]) {
      const ws = words(c);
      for (let k = 0; k + 1 < ws.length; k++) {
        const ci = (COLOUR_NAMES as readonly string[]).indexOf(ws[k]),
          si = (SHAPE_NAMES as readonly string[]).indexOf(ws[k + 1]);
        if (ci >= 0 && si >= 0) expect(isHeldOut(held, ci, si), c).toBe(false);
      }
    }
    for (const i of train) for (const p of pairsOf(d)!(i)) expect(isHeldOut(held, p.colour, p.shape)).toBe(false);
  });

  it('swapped negatives name the same objects with the colours exchanged', () => {
    const d = makeTwoShapes(50, 9);
    const idx = Int32Array.from({ length: 50 }, (_, i) => i);
    const negs = swappedNegatives(d, idx, new Rng(1), () => false);
    expect(negs).toHaveLength(50);
    negs.forEach((c, i) => {
      const f = twoShapeFacts(d, i);
      expect(c).toContain(`${COLOUR_NAMES[f.rightColour]} ${SHAPE_NAMES[f.leftShape]}`);
      expect(c).toContain(`${COLOUR_NAMES[f.leftColour]} ${SHAPE_NAMES[f.rightShape]}`);
    });
  });

  it('describes an image for alt text, and knows which datasets have captions', () => {
    const d = makeShapes(10, 1);
    expect(describeImage(d, 0)).toMatch(
      new RegExp(`^${COLOUR_NAMES[d.factors[1].values[0]]} ${SHAPE_NAMES[d.factors[0].values[0]]}, `),
    );
    expect(hasCaptions('shapes') && hasCaptions('mnist') && hasCaptions('twoShapes')).toBe(true);
    expect(hasCaptions('user')).toBe(false);
  });
});

describe('zero-shot prompts', () => {
  it("fill a class's own slot and average over the slots it does not fix", () => {
    const colour = zeroShotFactors('shapes').find((f) => f.id === 'colour')!;
    const { prompts, perClass } = factorPrompts(colour, ['a {colour} {shape}', '{colour} thing']);
    expect(perClass).toBe(SHAPE_NAMES.length + 1);
    expect(prompts).toHaveLength(COLOUR_NAMES.length * perClass);
    expect(prompts.slice(0, perClass)).toEqual([...SHAPE_NAMES.map((s) => `a red ${s}`), 'red thing']);
    expect(prompts[perClass]).toBe('a orange circle');
  });

  it("label images with the factor's class, colour x shape as 8 c + s", () => {
    const d = makeShapes(30, 2);
    const both = zeroShotFactors('shapes').find((f) => f.id === 'both')!;
    for (let i = 0; i < 30; i++) expect(both.labelOf(d, i)).toBe(d.factors[1].values[i] * 8 + d.factors[0].values[i]);
    expect(both.classNames[both.labelOf(d, 0)]).toBe(
      `${COLOUR_NAMES[d.factors[1].values[0]]} ${SHAPE_NAMES[d.factors[0].values[0]]}`,
    );
    expect(zeroShotFactors('mnist')[0].id).toBe('digit');
    const digit = factorPrompts(zeroShotFactors('mnist')[0], ['the digit {digit}', 'a handwritten {word}']);
    expect(digit.prompts.slice(14, 16)).toEqual(['the digit 7', 'a handwritten seven']);
    expect(pairQueries()).toHaveLength(64);
  });
});

describe('the CLIP batch on the page', () => {
  it("image x caption similarities and an anchor's softmax in both directions", () => {
    // n = 2, dim = 2: images along x and y, captions rotated a little toward each other.
    const c = Math.cos(0.3),
      s = Math.sin(0.3);
    const batch = Float32Array.from([1, 0, 0, 1, c, s, s, c]);
    const sim = imageTextSimilarity(batch, 2, 2);
    expect(sim[0]).toBeCloseTo(c, 6);
    expect(sim[1]).toBeCloseTo(s, 6);
    expect(sim[2]).toBeCloseTo(s, 6);
    const it = anchorChoices(sim, 2, 0, 'imageToText', 0.1);
    expect(it[0].positive).toBe(true);
    const expected = 1 / (1 + Math.exp((s - c) / 0.1));
    expect(it[0].weight).toBeCloseTo(expected, 9);
    expect(it[0].weight + it[1].weight).toBeCloseTo(1, 12);
    // Text to image reads the column: caption 1's images.
    const ti = anchorChoices(sim, 2, 1, 'textToImage', 0.1);
    expect(ti[0]).toMatchObject({ index: 1, positive: true });
    expect(ti[1].similarity).toBeCloseTo(sim[1], 9);
  });
});

describe('the CLIP Projector export', () => {
  it('appends one caption point per image, with a modality and a caption column', async () => {
    const { clipProjectorRows } = await import('../../src/core/clipTsv');
    const { metadataTsv } = await import('../../src/core/embeddingTsv');
    const r = clipProjectorRows({
      indices: [7, 9],
      dim: 2,
      z: Float32Array.from([1, 0, 0, 1]),
      factors: [{ name: 'shape', classes: ['circle', 'star'], values: [1, 0] }],
      captions: { texts: ['a star', 'circle'], z: Float32Array.from([0.6, 0.8, -1, 0]) },
    });
    expect(r.count).toBe(4);
    expect(Array.from(r.vectors)).toEqual(Array.from(Float32Array.from([1, 0, 0, 1, 0.6, 0.8, -1, 0])));
    const lines = metadataTsv(r.indices, r.columns).trim().split('\n');
    expect(lines).toEqual([
      'index\tshape\tmodality\tcaption',
      '7\tstar\timage\ta star',
      '9\tcircle\timage\tcircle',
      '7\tstar\tcaption\ta star',
      '9\tcircle\tcaption\tcircle',
    ]);
  });
});
