// Colours for a colouring factor: the class palette, except for a factor whose values are
// colours themselves (Shapes' "colour"): painting "red" in the palette's dark blue would make
// the legend lie, so each value is drawn in its own colour.

import { classColor } from './palette';

export function factorColours(classes: string[] | undefined, name: string | undefined): (k: number) => string {
  const own = name === 'colour' && classes && classes.every((c) => typeof CSS !== 'undefined' && CSS.supports('color', c));
  return own ? (k) => classes![k] ?? classColor(k) : classColor;
}

/** What colours the points: the chosen factor (null = the class label), its legend and colours.
 *  Shared by the embedding view and its exported picture, so the two always agree. */
export function colouring<F extends { name: string; classes: string[] }>(factors: F[] | undefined, classNames: string[], colourBy: number) {
  const factor: F | null = factors && factors.length > 1 ? factors[Math.min(colourBy, factors.length - 1)] : null;
  return { factor, legend: factor ? factor.classes : classNames, colourOf: factorColours(factor?.classes, factor?.name) };
}
