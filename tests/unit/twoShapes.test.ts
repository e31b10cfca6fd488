import { describe, expect, it } from 'vitest';
import { captionVocabulary } from '../../src/core/captions';
import { Rng } from '../../src/core/rng';
import { COLOUR_NAMES, makeShapes, PALETTE, SHAPE_NAMES } from '../../src/core/shapes';
import { Tokenizer, words } from '../../src/core/tokenizer';
import {
  describeTwoShapes,
  makeTwoShapes,
  swappedColours,
  twoShapeCaption,
  twoShapeFacts,
  type TwoShapeFacts,
} from '../../src/core/twoShapes';

/** Mean colour of the pixels in one half that differ from the background (the first pixel). */
function halfColour(pixels: Uint8Array, i: number, half: 0 | 1): [number, number, number] | null {
  const o = i * 32 * 32 * 3;
  const bg = [pixels[o], pixels[o + 1], pixels[o + 2]];
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < 32; y++) {
    for (let x = half * 16; x < half * 16 + 16; x++) {
      const p = o + (y * 32 + x) * 3;
      const px = [pixels[p], pixels[p + 1], pixels[p + 2]];
      // Fully covered pixels only: far from the background in every way.
      if (Math.abs(px[0] - bg[0]) + Math.abs(px[1] - bg[1]) + Math.abs(px[2] - bg[2]) < 150) continue;
      for (let k = 0; k < 3; k++) sum[k] += px[k];
      n++;
    }
  }
  return n > 3 ? (sum.map((s) => s / n) as [number, number, number]) : null;
}

function nearestColour(c: [number, number, number]): number {
  let best = 0,
    bestD = Infinity;
  COLOUR_NAMES.forEach((name, k) => {
    const d = PALETTE[name].reduce((s, v, j) => s + (v - c[j]) ** 2, 0);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  });
  return best;
}

describe('two shapes', () => {
  const d = makeTwoShapes(300, 2);

  it('has the Shapes image format and records both objects', () => {
    const s = makeShapes(2, 1);
    expect([d.height, d.width, d.channels]).toEqual([s.height, s.width, s.channels]);
    expect(d.pixels.length).toBe(300 * 32 * 32 * 3);
    expect(d.factors.map((f) => f.name)).toEqual(['left shape', 'left colour', 'right shape', 'right colour']);
    for (let i = 0; i < d.count; i++) {
      const f = twoShapeFacts(d, i);
      expect(f.leftShape).not.toBe(f.rightShape);
      expect(f.leftColour).not.toBe(f.rightColour);
    }
  });

  it('draws each object in its own half, in its recorded colour', () => {
    let checked = 0;
    for (let i = 0; i < d.count; i++) {
      const f = twoShapeFacts(d, i);
      const l = halfColour(d.pixels, i, 0),
        r = halfColour(d.pixels, i, 1);
      expect(l).not.toBeNull();
      expect(r).not.toBeNull();
      expect(nearestColour(l!)).toBe(f.leftColour);
      expect(nearestColour(r!)).toBe(f.rightColour);
      checked++;
    }
    expect(checked).toBe(300);
  });

  it('is seeded', () => {
    expect(makeTwoShapes(20, 5).pixels).toEqual(makeTwoShapes(20, 5).pixels);
    expect(makeTwoShapes(20, 6).pixels).not.toEqual(makeTwoShapes(20, 5).pixels);
  });

  it('captions both objects truly, in either order, with sides only where they are right', () => {
    const f: TwoShapeFacts = { leftShape: 3, leftColour: 0, rightShape: 5, rightColour: 5 };
    const rng = new Rng(1);
    const caps = new Set(Array.from({ length: 300 }, () => twoShapeCaption(f, rng)));
    for (const c of [
      'a red star and a blue ring',
      'a blue ring and a red star',
      'a red star on the left and a blue ring on the right',
      'a blue ring on the right and a red star on the left',
      'a red star to the left of a blue ring',
      'a blue ring to the right of a red star',
    ]) {
      expect(caps).toContain(c);
    }
    for (const c of caps) {
      const ws = words(c);
      // Each colour word is followed by its own shape.
      expect(ws[ws.indexOf('red') + 1]).toBe('star');
      expect(ws[ws.indexOf('blue') + 1]).toBe('ring');
      // "on the left"/"to the left of" follow the star (or precede the star after "right of").
      if (c.includes('star on the left') || c.includes('ring on the right'))
        expect(c).not.toMatch(/star on the right|ring on the left/);
      if (c.includes('to the left of')) expect(c).toBe('a red star to the left of a blue ring');
      if (c.includes('to the right of')) expect(c).toBe('a blue ring to the right of a red star');
    }
  });

  it('swaps the colours for the binding test: same words, other meaning', () => {
    const f: TwoShapeFacts = { leftShape: 3, leftColour: 0, rightShape: 5, rightColour: 5 };
    const t = twoShapeCaption(f, new Rng(3), 0);
    const s = twoShapeCaption(swappedColours(f), new Rng(3), 0);
    expect(t).not.toBe(s);
    expect(words(t).slice().sort()).toEqual(words(s).slice().sort());
    expect(s).toMatch(/blue star|red ring/);
  });

  it('uses only vocabulary words, and describes an image for alt text', () => {
    const tok = new Tokenizer(captionVocabulary());
    const rng = new Rng(4);
    const caps = Array.from({ length: d.count }, (_, i) => twoShapeCaption(twoShapeFacts(d, i), rng));
    expect(tok.encode(caps, 16).unknown).toEqual([]);
    expect(describeTwoShapes({ leftShape: 3, leftColour: 0, rightShape: 5, rightColour: 5 })).toBe(
      `red ${SHAPE_NAMES[3]} left, blue ring right`,
    );
  });
});
