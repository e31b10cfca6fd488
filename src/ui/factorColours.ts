// Colours for a colouring factor: the class palette, except for a factor whose values are
// colours themselves (Shapes' "colour"): painting "red" in the palette's dark blue would make
// the legend lie, so each value is drawn in its own colour.

import { classColor } from './palette';

export function factorColours(classes: string[] | undefined, name: string | undefined): (k: number) => string {
  const own = name === 'colour' && classes && classes.every((c) => typeof CSS !== 'undefined' && CSS.supports('color', c));
  return own ? (k) => classes![k] ?? classColor(k) : classColor;
}
