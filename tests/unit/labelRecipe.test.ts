// The few-label recipes: labelled draws come from the training split only, validation is
// carved from them where the rule says, and the budgets are the declared ones.
import { describe, expect, it } from 'vitest';
import {
  CURVE_LABELS,
  drawsFor,
  FEW_LABEL_DRAWS,
  labelledDraw,
  MIN_PER_CLASS_FOR_VALIDATION,
  scaled,
  summarise,
} from '../../src/core/labelRecipe';
import { balancedSplit } from '../../src/core/split';
import { scratchSteps } from '../../src/engine/scratch';
import { SCRATCH_BUDGET } from '../../src/protocol';

const classes = 10;
const labels = Int32Array.from({ length: 3000 }, (_, i) => (i * 7) % classes);
const { train, test } = balancedSplit(labels, classes, 60, 5);

describe('labelledDraw', () => {
  it('draws only from the training split: neither fit nor validation touches the held-out set', () => {
    const held = new Set(test);
    for (const lpc of CURVE_LABELS) {
      for (let draw = 0; draw < drawsFor(lpc); draw++) {
        const { fit, val } = labelledDraw(train, labels, classes, lpc, 3, draw);
        const pool = new Set(train);
        for (const i of [...fit, ...val]) {
          expect(held.has(i)).toBe(false);
          expect(pool.has(i)).toBe(true);
        }
        // Fit and validation are disjoint, and together they are the labelled set.
        const fitSet = new Set(fit);
        expect(val.some((i) => fitSet.has(i))).toBe(false);
        expect(new Set([...fit, ...val]).size).toBe(lpc === 'all' ? train.length : lpc * classes);
      }
    }
  });

  it('carves validation (at least one per class) from 5 labels per class on, never below', () => {
    for (const lpc of [1, 2, 5, 10, 100] as const) {
      const { fit, val } = labelledDraw(train, labels, classes, lpc, 3);
      if (lpc < MIN_PER_CLASS_FOR_VALIDATION) {
        expect(val.length).toBe(0);
        continue;
      }
      const perClass = new Array<number>(classes).fill(0);
      for (const i of val) perClass[labels[i]]++;
      expect(Math.min(...perClass)).toBeGreaterThanOrEqual(1);
      expect(val.length).toBe(classes * Math.max(1, Math.round(lpc * 0.2)));
      // Every class keeps images to fit.
      const fitPerClass = new Array<number>(classes).fill(0);
      for (const i of fit) fitPerClass[labels[i]]++;
      expect(Math.min(...fitPerClass)).toBe(lpc - Math.max(1, Math.round(lpc * 0.2)));
    }
  });

  it('gives each draw its own labelled set, and the same set for the same seed and draw', () => {
    const a = labelledDraw(train, labels, classes, 1, 3, 0).fit;
    const b = labelledDraw(train, labels, classes, 1, 3, 1).fit;
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(labelledDraw(train, labels, classes, 1, 3, 0).fit)).toEqual(Array.from(a));
  });
});

describe('budgets as declared', () => {
  it('averages at least 3 draws at 1 and 10 labels per class', () => {
    expect(drawsFor(1)).toBe(FEW_LABEL_DRAWS);
    expect(drawsFor(10)).toBe(FEW_LABEL_DRAWS);
    expect(FEW_LABEL_DRAWS).toBeGreaterThanOrEqual(3);
    expect(drawsFor(100)).toBe(1);
    expect(drawsFor('all')).toBe(1);
  });

  it('matches from scratch to the images pre-training plus fine-tuning used, within its bounds', () => {
    const pretrain = 2 * 700 * 64,
      fineTune = 150 * SCRATCH_BUDGET.batch;
    expect(scratchSteps(pretrain + fineTune)).toEqual({ steps: 1550, matched: 1550 });
    expect(scratchSteps(2 * 3000 * 64 + fineTune).steps).toBe(SCRATCH_BUDGET.maxSteps);
  });

  it('shrinks budgets only by the scale asked, never below one step; summarises draws', () => {
    expect(scaled(3000, 1)).toBe(3000);
    expect(scaled(300, 0.01)).toBe(3);
    expect(scaled(300, 0.0001)).toBe(1);
    expect(summarise([0.5, 0.7, 0.6])).toEqual({ mean: expect.closeTo(0.6, 12), min: 0.5, max: 0.7, n: 3 });
    expect(summarise([])).toBeNull();
  });
});
