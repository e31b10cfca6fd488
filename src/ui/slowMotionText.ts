// The guided text of slow motion, kept as data apart from the component (as
// transformer-explainer's textbookPages.ts): one entry per stage of a single update.

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
}

export interface Stage {
  id: StageId;
  title: string;
  caption: (x: StageNumbers) => string;
}

const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '–');

export const STAGES: Stage[] = [
  {
    id: 'similarities', title: 'Similarities',
    caption: (x) => `The batch: ${x.n} images, two augmented views each, ${2 * x.n} unit vectors z. Each cell is a cosine similarity s = z_i · z_j. Row = anchor; the outlined cell is its positive (the other view of the same image); the ${2 * x.n - 2} others are negatives.`,
  },
  {
    id: 'softmax', title: 'Softmax',
    caption: (x) => `Each row becomes a softmax over the other ${2 * x.n - 1} views at τ = ${x.tau}: p_k = exp(s_k / τ) / Σ exp(s / τ). The anchor's loss is −log p+. The positive's share p+ averages ${f(x.pPos)}; the batch loss is ${f(x.lossBefore)}.`,
  },
  {
    id: 'forces', title: 'Forces',
    caption: (x) => `The gradient turns the softmax into forces: the positive pulls the anchor with (1 − p+) / τ, each negative pushes with p_j / τ, so the most similar (hardest) negatives push hardest. Pull and total push balance. Arrows: the force on each point along the sphere, τ = ${x.tau}.`,
  },
  {
    id: 'update', title: 'Parameter step',
    caption: (x) => `The points cannot move by themselves: the forces flow back through the projection head and the encoder (backpropagation), and Adam moves every weight one small step (learning rate ${x.learningRate}). On these same views the loss goes from ${f(x.lossBefore)} to ${f(x.lossAfter)}.`,
  },
  {
    id: 'after', title: 'New embeddings',
    caption: (x) => `The same views through the updated encoder: each point moved by ${f(x.moved)} on average (hollow = before, filled = after). Positives drew together, hard negatives apart; the batch loss is now ${f(x.lossAfter)}.`,
  },
];
