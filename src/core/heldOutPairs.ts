// Held-out compositions: colour x shape pairs that never appear in training, neither as an
// image nor in a caption, so zero-shot accuracy on them measures composition ("red" and
// "star" learned apart, recognised together) rather than memory.

import { Rng } from './rng';

export interface ColourShape {
  colour: number;
  shape: number;
}

/**
 * A seeded set of numColours held-out pairs out of numColours x numShapes (1/8 of the 64 for
 * Shapes): colour c with shape perm[c] for a random permutation, so every colour and every
 * shape is held out in exactly one pair and still seen in training with all the others.
 */
export function heldOutPairs(seed: number, numColours = 8, numShapes = 8): ColourShape[] {
  if (numShapes < numColours) throw new Error('held-out pairs need at least as many shapes as colours');
  const rng = new Rng(seed);
  const perm = rng.shuffle(Int32Array.from({ length: numShapes }, (_, i) => i)) as Int32Array;
  return Array.from({ length: numColours }, (_, c) => ({ colour: c, shape: perm[c] }));
}

export function isHeldOut(pairs: ColourShape[], colour: number, shape: number): boolean {
  return pairs.some((p) => p.colour === colour && p.shape === shape);
}

/**
 * The training indices with every image that shows a held-out pair removed. pairsOf(i) lists
 * the colour x shape pairs image i shows (one for Shapes, two for two shapes).
 */
export function withoutHeldOut(
  indices: Int32Array,
  pairsOf: (i: number) => ColourShape[],
  pairs: ColourShape[],
): Int32Array {
  return indices.filter((i) => !pairsOf(i).some((p) => isHeldOut(pairs, p.colour, p.shape)));
}

/** The images of `indices` that show at least one held-out pair (the composition test set). */
export function onlyHeldOut(
  indices: Int32Array,
  pairsOf: (i: number) => ColourShape[],
  pairs: ColourShape[],
): Int32Array {
  return indices.filter((i) => pairsOf(i).some((p) => isHeldOut(pairs, p.colour, p.shape)));
}

/** pairsOf for a dataset with 'colour' and 'shape' factors (Shapes). */
export function singlePairs(colour: Int32Array, shape: Int32Array): (i: number) => ColourShape[] {
  return (i) => [{ colour: colour[i], shape: shape[i] }];
}
