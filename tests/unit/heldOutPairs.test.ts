import { describe, expect, it } from 'vitest';
import { captionBatch } from '../../src/core/captions';
import { heldOutPairs, isHeldOut, onlyHeldOut, singlePairs, withoutHeldOut } from '../../src/core/heldOutPairs';
import { Rng } from '../../src/core/rng';
import { COLOUR_NAMES, makeShapes, SHAPE_NAMES } from '../../src/core/shapes';
import { twoShapeCaption, twoShapeFacts, makeTwoShapes, twoShapePairs } from '../../src/core/twoShapes';
import { words } from '../../src/core/tokenizer';

/** Every (colour, shape) a caption states, read back from its words: a colour word directly
 *  followed by a shape word. */
function statedPairs(caption: string): { colour: number; shape: number }[] {
  const ws = words(caption);
  const out: { colour: number; shape: number }[] = [];
  for (let k = 0; k + 1 < ws.length; k++) {
    const c = (COLOUR_NAMES as readonly string[]).indexOf(ws[k]);
    const s = (SHAPE_NAMES as readonly string[]).indexOf(ws[k + 1]);
    if (c >= 0 && s >= 0) out.push({ colour: c, shape: s });
  }
  return out;
}

describe('held-out compositions', () => {
  it('are 1/8 of the colour x shape pairs, seeded, each colour and each shape held out once', () => {
    const pairs = heldOutPairs(1);
    expect(pairs).toHaveLength(8);
    expect(new Set(pairs.map((p) => p.colour)).size).toBe(8);
    expect(new Set(pairs.map((p) => p.shape)).size).toBe(8);
    expect(heldOutPairs(1)).toEqual(pairs);
    expect(heldOutPairs(2)).not.toEqual(pairs);
  });

  it('never appear in Shapes training images nor in their captions', () => {
    const d = makeShapes(3000, 3);
    const colour = d.factors[1].values,
      shape = d.factors[0].values;
    const held = heldOutPairs(3);
    const all = Int32Array.from({ length: d.count }, (_, i) => i);
    const train = withoutHeldOut(all, singlePairs(colour, shape), held);
    const test = onlyHeldOut(all, singlePairs(colour, shape), held);
    // About 1/8 of the images show a held-out pair; the two sets partition the images.
    expect(test.length).toBeGreaterThan(d.count / 8 - 80);
    expect(test.length).toBeLessThan(d.count / 8 + 80);
    expect(train.length + test.length).toBe(d.count);
    for (const i of train) expect(isHeldOut(held, colour[i], shape[i])).toBe(false);
    // Captions of training images, at every detail and many draws: none names a held-out pair.
    for (const omit of [0, 0.5]) {
      const caps = captionBatch(d, train, new Rng(omit * 10 + 1), omit);
      for (const c of caps) {
        const stated = words(c);
        const ci = COLOUR_NAMES.findIndex((x) => stated.includes(x));
        const si = SHAPE_NAMES.findIndex((x) => stated.includes(x));
        if (ci >= 0 && si >= 0) expect(isHeldOut(held, ci, si), c).toBe(false);
      }
    }
  });

  it('never appear in two-shapes training images nor in their captions (neither object)', () => {
    const d = makeTwoShapes(2000, 4);
    const held = heldOutPairs(4);
    const all = Int32Array.from({ length: d.count }, (_, i) => i);
    const train = withoutHeldOut(all, twoShapePairs(d), held);
    expect(train.length).toBeLessThan(d.count);
    expect(train.length).toBeGreaterThan(d.count / 2);
    const rng = new Rng(9);
    for (const i of train) {
      for (const p of twoShapePairs(d)(i)) expect(isHeldOut(held, p.colour, p.shape)).toBe(false);
      for (const p of statedPairs(twoShapeCaption(twoShapeFacts(d, i), rng)))
        expect(isHeldOut(held, p.colour, p.shape)).toBe(false);
    }
  });
});
