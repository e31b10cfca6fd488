// Class colours: Paul Tol's colour-blind-safe "muted" scheme for nine classes, and a near-black
// tenth (Tol's grey sat too close to the teal for a protanope: tests/unit/palette.test.ts
// checks every pair under simulated colour-vision deficiencies). Beyond ten, colours repeat
// (the legend says which); "Shapes per class" in the embedding view adds a second cue.
export const CLASS_COLORS = [
  '#332288',
  '#88CCEE',
  '#44AA99',
  '#117733',
  '#999933',
  '#DDCC77',
  '#CC6677',
  '#882255',
  '#AA4499',
  '#222222',
];
export const classColor = (k: number) => CLASS_COLORS[k % CLASS_COLORS.length];
