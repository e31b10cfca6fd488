import { describe, expect, it } from 'vitest';
import { stageNumbers } from '../../src/ui/slowMotionNumbers';
import { lossChange, STAGES, trend, type StageNumbers } from '../../src/ui/slowMotionText';

const caption = (id: string, x: StageNumbers) => STAGES.find((s) => s.id === id)!.caption(x);

const base: StageNumbers = {
  n: 16,
  tau: 0.2,
  learningRate: 0.001,
  lossBefore: 3.2,
  lossAfter: 3.1,
  pPos: 0.05,
  moved: 0.01,
  pushes: true,
  posSimBefore: 0.5,
  posSimAfter: 0.55,
  hardNegSimBefore: 0.8,
  hardNegSimAfter: 0.75,
};

describe('slow motion captions say what the numbers say', () => {
  it('a falling loss is said to fall', () => {
    const x = { ...base, lossBefore: 3.2, lossAfter: 3.1 };
    expect(caption('after', x)).toContain('the batch loss fell from 3.200 to 3.100');
    expect(caption('update', x)).toContain('the loss fell from 3.200 to 3.100');
    expect(caption('after', x)).not.toMatch(/rose|overshot|stayed/);
  });

  it('a rising loss is said to rise, not to fall', () => {
    const x = { ...base, lossBefore: 3.1, lossAfter: 3.25 };
    expect(caption('after', x)).toContain('the batch loss rose from 3.100 to 3.250');
    expect(caption('update', x)).toContain('the loss rose from 3.100 to 3.250');
    expect(caption('after', x)).not.toMatch(/fell|stayed/);
  });

  it('a change too small to show is no change', () => {
    const x = { ...base, lossBefore: 3.1234, lossAfter: 3.1231 };
    expect(caption('after', x)).toContain('the batch loss stayed at 3.123');
    expect(caption('after', x)).not.toMatch(/fell|rose/);
    expect(trend(1.0004, 1.0001)).toBe('unchanged');
    expect(trend(1, 1.002)).toBe('rose');
    expect(trend(1, 0.998)).toBe('fell');
    expect(trend(NaN, 1)).toBe('unknown');
    expect(lossChange({ lossBefore: NaN, lossAfter: 2 })).toBe('is now 2.000');
  });

  it('claims positives drew together only when their similarity rose', () => {
    expect(caption('after', base)).toContain('Positives drew together (mean s 0.500 → 0.550)');
    const apart = caption('after', { ...base, posSimAfter: 0.45 });
    expect(apart).toContain('Positives drifted apart (mean s 0.500 → 0.450)');
    expect(apart).not.toContain('drew together');
    expect(caption('after', { ...base, posSimAfter: 0.5001 })).toContain('Positives kept their similarity');
  });

  it('claims hard negatives moved apart only when they did, and never without negatives', () => {
    expect(caption('after', base)).toContain('the hardest negatives moved apart (mean s 0.800 → 0.750)');
    const closer = caption('after', { ...base, hardNegSimAfter: 0.9 });
    expect(closer).toContain('the hardest negatives came closer');
    expect(closer).not.toContain('moved apart');
    const align = { ...base, pushes: false };
    expect(caption('after', align)).toContain('this loss has none');
    expect(caption('after', align)).not.toContain('hardest negatives');
    expect(caption('forces', align)).not.toContain('push with');
  });
});

describe('slow motion numbers', () => {
  // Two images, two views each, in 2-D: rows 0, 1 are first views, rows 2, 3 their partners.
  const cos = (a: number) => Math.cos((a * Math.PI) / 180);
  const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
  const views = (angles: number[]) => Float32Array.from(angles.flatMap(deg));
  const ex = {
    n: 2,
    dim: 2,
    temperature: 0.5,
    lossId: 'ntxent' as const,
    labels: Int32Array.of(0, 1, 0, 1),
    lossBefore: 1,
    lossAfter: 0.9,
    // Partners 90 degrees apart before; after, image 0's 30 and image 1's 80 degrees apart.
    before: views([0, 60, 90, 150]),
    after: views([0, 100, 30, 20]),
  };

  it("measures the positives and each anchor's hardest negative before and after the update", () => {
    const x = stageNumbers(ex, 0.001);
    expect(x.posSimBefore).toBeCloseTo(Math.cos(Math.PI / 2), 6);
    expect(x.posSimAfter).toBeCloseTo((cos(30) + cos(80)) / 2, 6);
    // Before: row 0's negatives sit at 60 and 150 degrees, so its hardest is row 1 (cos 60);
    // row 1's (60) hardest is row 2 (90, cos 30); row 2's (90) is row 1 (cos 30); row 3's (150) is row 2 (cos 60).
    expect(x.hardNegSimBefore).toBeCloseTo((cos(60) + 2 * cos(30) + cos(60)) / 4, 6);
    // After, the same pairs (not the hardest ones now): 0-1 at 100, 1-2 and 2-1 at 70, 3-2 at 10 degrees.
    expect(x.hardNegSimAfter).toBeCloseTo((cos(100) + 2 * cos(70) + cos(10)) / 4, 6);
    expect(x.pushes).toBe(true);
    expect(x.moved).toBeGreaterThan(0);
  });

  it('does not count a classmate as a SupCon negative, and alignment has none to push', () => {
    const sup = stageNumbers({ ...ex, lossId: 'supcon', labels: Int32Array.of(0, 0, 0, 0) }, 0.001);
    expect(Number.isNaN(sup.hardNegSimBefore)).toBe(true);
    expect(stageNumbers({ ...ex, lossId: 'align' }, 0.001).pushes).toBe(false);
  });
});
