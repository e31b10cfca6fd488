// Colours for a colouring factor: the class palette, except for a factor whose values are
// colours themselves (Shapes' "colour"), which brings its own swatches: each value is drawn in
// the colour the images show.

import { classColor } from './palette';

export function factorColours(swatches: string[] | undefined): (k: number) => string {
  return swatches ? (k) => swatches[k] ?? classColor(k) : classColor;
}

/** What colours the points: the chosen factor (null = the class label), its legend and colours.
 *  Shared by the embedding view and its exported picture, so the two always agree. */
export function colouring<F extends { name: string; classes: string[]; swatches?: string[] }>(
  factors: F[] | undefined,
  classNames: string[],
  colourBy: number,
) {
  const factor: F | null = factors && factors.length > 1 ? factors[Math.min(colourBy, factors.length - 1)] : null;
  return { factor, legend: factor ? factor.classes : classNames, colourOf: factorColours(factor?.swatches) };
}
