// Notices a run that learns nothing: a loss with negatives sitting at its chance level,
// log(2N - 1), which is what it reads when every image is mapped to the same point (all
// logits equal). SupCon on Shapes from random initialisation does this: the random features
// carry almost nothing of the shape, so the quickest way down is to bring every image
// together, where the gradient vanishes and training stays.

import { chanceLoss } from './chance';
import type { LossId } from './settings';

/** Steps in a row at chance before saying so: long enough that an ordinary start (the loss
 *  begins at chance and leaves it within a few steps) never trips it. */
export const PLATEAU_STEPS = 60;
/** How close to chance counts as "at chance", relative to log(2N - 1). */
export const PLATEAU_TOLERANCE = 0.005;

export class ChancePlateau {
  private run = 0;
  private key = '';
  private told = false;

  /** Feeds one step's loss; returns a message the first time the run is seen stuck. */
  push(loss: number, lossId: LossId, batchSize: number): string | null {
    // Alignment alone has no chance level (its collapse is the lesson, at a loss of 0).
    if (lossId === 'align') {
      this.reset();
      return null;
    }
    const key = `${lossId}/${batchSize}`;
    if (key !== this.key) {
      this.reset();
      this.key = key;
    }
    const chance = chanceLoss(batchSize);
    this.run = Math.abs(loss - chance) <= PLATEAU_TOLERANCE * chance ? this.run + 1 : 0;
    if (this.run < PLATEAU_STEPS || this.told) return null;
    this.told = true;
    return plateauMessage(lossId, chance);
  }

  /** A new run, or a new loss or batch size: watch afresh (and say it again if it happens again). */
  reset(): void {
    this.run = 0;
    this.key = '';
    this.told = false;
  }
}

export function plateauMessage(lossId: LossId, chance: number): string {
  const head = `The loss has stayed at its chance level, log(2N − 1) = ${chance.toFixed(2)}, for ${PLATEAU_STEPS} steps: the encoder maps every image to nearly the same point, and nothing is being learned.`;
  if (lossId === 'supcon') {
    return `${head} SupCon pulls together every image of a class, but at random initialisation the features carry almost nothing of the class, so its quickest way down is to bring all images together, where its gradient vanishes. Train with NT-Xent first, until the kNN accuracy has clearly risen, then switch the loss to SupCon: from features that already tell images apart, it trains.`;
  }
  return `${head} Check the learning rate (too low and nothing moves; too high and the encoder can collapse at once) and the temperature, then press Reset.`;
}
