// The embedding view's legend: a factor whose values are colours is drawn in the colours the
// images show; every other factor in the class palette.
import { describe, expect, it } from 'vitest';
import { makeShapes, PALETTE } from '../../src/core/shapes';
import { colouring } from '../../src/ui/factorColours';
import { classColor } from '../../src/ui/palette';

describe('colouring', () => {
  const shapes = makeShapes(64, 1);

  it("draws Shapes' colour factor in the palette the images are drawn with", () => {
    const { factor, legend, colourOf } = colouring(shapes.factors, shapes.classNames, 1);
    expect(factor?.name).toBe('colour');
    expect(legend[6]).toBe('purple');
    expect(colourOf(6)).toBe(`rgb(${PALETTE.purple.join(', ')})`);
  });

  it('draws other factors, and the class label, in the class palette', () => {
    expect(colouring(shapes.factors, shapes.classNames, 0).colourOf(3)).toBe(classColor(3));
    expect(colouring(shapes.factors, shapes.classNames, 2).colourOf(1)).toBe(classColor(1));
    const none = colouring(undefined, ['zero', 'one'], 0);
    expect(none.factor).toBeNull();
    expect(none.colourOf(1)).toBe(classColor(1));
  });
});
