import { describe, expect, it } from 'vitest';
import { bandPath, bandX, chartFrame, linearX, linearY, linePath, logX } from '../../src/ui/chartFrame';

const f = chartFrame(320, 140, { l: 36, r: 8, t: 8, b: 22 });

describe('chart frame', () => {
  it('puts the plot area inside the margins, y growing upward on screen', () => {
    expect([f.left, f.right, f.top, f.bottom]).toEqual([36, 312, 8, 118]);
    const x = linearX(f, [0, 10]);
    const y = linearY(f, [0, 2]);
    expect([x(0), x(10)]).toEqual([f.left, f.right]);
    expect([y(0), y(2)]).toEqual([f.bottom, f.top]);
  });

  it('rounds the y domain out only when asked', () => {
    expect(linearY(f, [0, 4.87]).domain()).toEqual([0, 4.87]);
    expect(linearY(f, [0, 4.87], true).domain()[1]).toBeGreaterThanOrEqual(4.87);
    expect(linearY(f, [0, 4.87], 3).domain()[1]).toBeGreaterThanOrEqual(4.87);
  });

  it('spaces a log axis by decades and bands across the plot area', () => {
    const x = logX(f, [1, 100]);
    expect(x(10) - x(1)).toBeCloseTo(x(100) - x(10), 6);
    const b = bandX(f, ['1', '10', '100']);
    expect(b('1')).toBe(f.left);
    expect(b('100')! + b.bandwidth()).toBeCloseTo(f.right, 6);
  });

  it('draws lines and bands through finite values only, nothing below two points', () => {
    const id = (v: number) => v;
    expect(linePath([0], [1], id, id)).toBe('');
    expect(linePath([0, 1, 2], [1, 2, 3], id, id)).toBe('M0,1L1,2L2,3');
    // A NaN breaks the line into two pieces.
    expect(linePath([0, 1, 2, 3], [1, NaN, 3, 4], id, id)).toBe('M0,1ZM2,3L3,4');
    expect(bandPath([0, 1], [0, 0], [1, 2], id, id)).toBe('M0,1L1,2L1,0L0,0Z');
  });
});
