// The numbers slow motion's captions quote, measured on the explained step's own views before
// and after its update, so a caption can say what this update did rather than what an update
// usually does.

import { partnerOf, similarityMatrix } from '../core/contrastMath';
import { rowSoftmaxMatrix } from '../core/similarity';
import type { Explain } from '../protocol';
import { hasNegatives } from './lossNames';
import type { StageNumbers } from './slowMotionText';

type ExplainedStep = Pick<
  Explain,
  'n' | 'dim' | 'temperature' | 'lossId' | 'before' | 'after' | 'labels' | 'lossBefore' | 'lossAfter'
>;

export function stageNumbers(ex: ExplainedStep, learningRate: number): StageNumbers {
  const m = 2 * ex.n;
  const sBefore = similarityMatrix(ex.before, m, ex.dim);
  const sAfter = similarityMatrix(ex.after, m, ex.dim);
  const p = rowSoftmaxMatrix(sBefore, m, ex.temperature);
  // SupCon pulls the anchor's classmates too: only other classes count as its negatives.
  const isNegative = (i: number, j: number) =>
    j !== i && j !== partnerOf(i, ex.n) && (ex.lossId !== 'supcon' || ex.labels[i] !== ex.labels[j]);
  let pPos = 0,
    moved = 0,
    posBefore = 0,
    posAfter = 0,
    hardBefore = 0,
    hardAfter = 0,
    anchors = 0;
  for (let i = 0; i < m; i++) {
    const k = partnerOf(i, ex.n);
    pPos += p[i * m + k] / m;
    posBefore += sBefore[i * m + k] / m;
    posAfter += sAfter[i * m + k] / m;
    let d2 = 0;
    for (let d = 0; d < ex.dim; d++) d2 += (ex.after[i * ex.dim + d] - ex.before[i * ex.dim + d]) ** 2;
    moved += Math.sqrt(d2) / m;
    // The hardest negative is chosen before the update and followed through it.
    let hard = -1;
    for (let j = 0; j < m; j++)
      if (isNegative(i, j) && (hard < 0 || sBefore[i * m + j] > sBefore[i * m + hard])) hard = j;
    if (hard >= 0) {
      hardBefore += sBefore[i * m + hard];
      hardAfter += sAfter[i * m + hard];
      anchors++;
    }
  }
  return {
    n: ex.n,
    tau: ex.temperature,
    learningRate,
    lossBefore: ex.lossBefore,
    lossAfter: ex.lossAfter,
    pPos,
    moved,
    pushes: hasNegatives(ex.lossId),
    posSimBefore: posBefore,
    posSimAfter: posAfter,
    hardNegSimBefore: anchors ? hardBefore / anchors : NaN,
    hardNegSimAfter: anchors ? hardAfter / anchors : NaN,
  };
}
