// The guided text of slow motion, kept as data apart from the component (as
// transformer-explainer's textbookPages.ts): one entry per stage of a single update. Captions
// after the update describe what its numbers show, which is not always a fall in the loss or
// positives drawn together: one step can overshoot.

export type StageId = 'similarities' | 'softmax' | 'forces' | 'update' | 'after';

export interface StageNumbers {
  n: number;
  tau: number;
  learningRate: number;
  lossBefore: number;
  lossAfter: number;
  /** Mean positive softmax weight p+ before the update. */
  pPos: number;
  /** Mean |z_after - z_before| over the 2N views. */
  moved: number;
  /** Whether the loss has negatives to push (alignment alone has none). */
  pushes: boolean;
  /** Mean cosine similarity of each view to its positive, before and after the update. */
  posSimBefore: number;
  posSimAfter: number;
  /** Mean similarity of each view to its hardest negative (the most similar before the update), before and after. */
  hardNegSimBefore: number;
  hardNegSimAfter: number;
}

export interface Stage {
  id: StageId;
  title: string;
  caption: (x: StageNumbers) => string;
}

const DIGITS = 3;
const f = (v: number, d = DIGITS) => (Number.isFinite(v) ? v.toFixed(d) : '–');

export type Trend = 'rose' | 'fell' | 'unchanged' | 'unknown';

/** How a number changed as the page shows it: a change too small to see at `d` decimals is none. */
export function trend(before: number, after: number, d = DIGITS): Trend {
  if (!Number.isFinite(before) || !Number.isFinite(after)) return 'unknown';
  const b = Number(before.toFixed(d)),
    a = Number(after.toFixed(d));
  return a === b ? 'unchanged' : a < b ? 'fell' : 'rose';
}

/** The loss's change in words, e.g. "fell from 4.812 to 4.790". */
export function lossChange(x: Pick<StageNumbers, 'lossBefore' | 'lossAfter'>): string {
  switch (trend(x.lossBefore, x.lossAfter)) {
    case 'fell':
      return `fell from ${f(x.lossBefore)} to ${f(x.lossAfter)}`;
    case 'rose':
      return `rose from ${f(x.lossBefore)} to ${f(x.lossAfter)}: the step overshot on these views`;
    case 'unchanged':
      return `stayed at ${f(x.lossAfter)}`;
    default:
      return `is now ${f(x.lossAfter)}`;
  }
}

function positivesChange(x: StageNumbers): string {
  const range = `mean s ${f(x.posSimBefore)} → ${f(x.posSimAfter)}`;
  switch (trend(x.posSimBefore, x.posSimAfter)) {
    case 'rose':
      return `Positives drew together (${range})`;
    case 'fell':
      return `Positives drifted apart (${range})`;
    case 'unchanged':
      return `Positives kept their similarity (mean s ${f(x.posSimAfter)})`;
    default:
      return 'Positives: no similarity to compare';
  }
}

function negativesChange(x: StageNumbers): string {
  if (!x.pushes) return 'nothing pushed the negatives apart: this loss has none';
  const range = `mean s ${f(x.hardNegSimBefore)} → ${f(x.hardNegSimAfter)}`;
  switch (trend(x.hardNegSimBefore, x.hardNegSimAfter)) {
    case 'fell':
      return `the hardest negatives moved apart (${range})`;
    case 'rose':
      return `the hardest negatives came closer (${range})`;
    case 'unchanged':
      return `the hardest negatives kept their similarity (mean s ${f(x.hardNegSimAfter)})`;
    default:
      return 'no negatives to compare';
  }
}

export const STAGES: Stage[] = [
  {
    id: 'similarities',
    title: 'Similarities',
    caption: (x) =>
      `The batch: ${x.n} images, two augmented views each, ${2 * x.n} unit vectors z. Each cell is a cosine similarity s = z_i · z_j. Row = anchor; the outlined cell is its positive (the other view of the same image); the ${2 * x.n - 2} others are negatives.`,
  },
  {
    id: 'softmax',
    title: 'Softmax',
    caption: (x) =>
      `Each row becomes a softmax over the other ${2 * x.n - 1} views at τ = ${x.tau}: p_k = exp(s_k / τ) / Σ exp(s / τ). The anchor's loss is −log p+. The positive's share p+ averages ${f(x.pPos)}; the batch loss is ${f(x.lossBefore)}.`,
  },
  {
    id: 'forces',
    title: 'Forces',
    caption: (x) =>
      x.pushes
        ? `The gradient turns the softmax into forces: the positive pulls the anchor with (1 − p+) / τ, each negative pushes with p_j / τ, so the most similar (hardest) negatives push hardest. Pull and total push balance. Arrows: the force on each point along the sphere, τ = ${x.tau}.`
        : 'The gradient of the alignment loss pulls each view toward its positive, and nothing pushes: there are no negatives. Arrows: the pull on each point along the sphere.',
  },
  {
    id: 'update',
    title: 'Parameter step',
    caption: (x) =>
      `The points cannot move by themselves: the forces flow back through the projection head and the encoder (backpropagation), and Adam moves every weight one small step (learning rate ${x.learningRate}). On these same views the loss ${lossChange(x)}.`,
  },
  {
    id: 'after',
    title: 'New embeddings',
    caption: (x) =>
      `The same views through the updated encoder: each point moved by ${f(x.moved, 4)} on average (hollow = before, filled = after). ${positivesChange(x)}; ${negativesChange(x)}; the batch loss ${lossChange(x)}.`,
  },
];
