// The class colours must stay apart for viewers with the common colour-vision deficiencies
// (about 1 man in 12 has a red-green one). Each pair is compared as a dichromat would see it
// (Machado et al. 2009 at full severity) by CIEDE2000. The bar, 10, is several times the
// just-noticeable difference (about 1 to 2.3 for large patches): the points are a few pixels
// wide, and small marks need far larger differences to be told apart (Szafir 2018, "Modeling
// Color Difference for Visualization Design").
import { describe, expect, it } from 'vitest';
import { MARKERS } from '../../src/ui/markers';
import { CLASS_COLORS } from '../../src/ui/palette';
import { closestPair, deltaE2000, hexToLinear, linearToLab, simulate, type Condition } from './support/colourVision';

const MIN_DELTA_E = 10;
const CONDITIONS: Condition[] = ['normal', 'protanopia', 'deuteranopia', 'tritanopia'];

describe('colour difference and simulation', () => {
  it('reproduces CIEDE2000 reference pairs (Sharma, Wu & Dalal 2005)', () => {
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387])).toBeCloseTo(1.2644, 4);
  });

  it('sees red and green alike as a protanope and a deuteranope, and not as a tritanope', () => {
    const lab = (hex: string, c: Condition) => linearToLab(simulate(hexToLinear(hex), c));
    const dE = (c: Condition) => deltaE2000(lab('#d1352b', c), lab('#2e8b2e', c));
    expect(dE('normal')).toBeGreaterThan(40);
    expect(dE('protanopia')).toBeLessThan(dE('normal') / 3);
    expect(dE('deuteranopia')).toBeLessThan(dE('normal') / 3);
    expect(dE('tritanopia')).toBeGreaterThan(dE('normal') / 2);
  });
});

describe('class palette', () => {
  for (const c of CONDITIONS) {
    it(`keeps every pair at least ${MIN_DELTA_E} apart (CIEDE2000) under ${c}`, () => {
      const p = closestPair(CLASS_COLORS, c);
      expect(p.dE, `${CLASS_COLORS[p.i]} and ${CLASS_COLORS[p.j]}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
    });
  }

  it('has a marker shape for every colour, all different', () => {
    expect(MARKERS.length).toBeGreaterThanOrEqual(CLASS_COLORS.length);
    expect(new Set(MARKERS.map((m) => m.name)).size).toBe(MARKERS.length);
    expect(new Set(MARKERS.map((m) => JSON.stringify(m.points))).size).toBe(MARKERS.length);
  });
});
