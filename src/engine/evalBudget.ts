// How much of the wall time periodic evaluation may take while training. Each training step
// earns credit worth 1/9 of its time (so evaluation stays at most 10% of the total); a chunk
// run while training spends its own. A periodic evaluation starts only when the credit covers
// a whole one (its last cost), and no sooner than MIN_GAP_MS of training after the last.

/** Long-run share of wall time that periodic evaluation may take while training. */
export const EVAL_SHARE = 0.1;
/** Least training time between two evaluations, so cheap ones still let training breathe. */
const MIN_GAP_MS = 5000;

export class EvalBudget {
  /** Wall time while playing: training steps and every chunk run between them. */
  wallMs = 0;
  /** Evaluation time while playing: periodic (charged to the credit) and one-off (baselines, step 0). */
  chargedMs = 0;
  oneOffMs = 0;
  /** Total chunk time of the last finished periodic evaluation: the next one's estimate. */
  lastCycleMs = 0;
  private credit = 0;
  /** Training time (evaluation chunks excluded) since the last evaluation ended. */
  private trainSinceCycle = 0;

  noteStep(stepMs: number): void {
    this.wallMs += stepMs;
    this.trainSinceCycle += stepMs;
    this.credit += (EVAL_SHARE / (1 - EVAL_SHARE)) * stepMs;
  }

  /** Whether the next periodic evaluation may start while training. */
  due(): boolean {
    return this.trainSinceCycle >= MIN_GAP_MS && this.credit >= this.lastCycleMs;
  }

  /** Books a chunk run between two steps; one-off chunks do not spend the credit. */
  spend(ms: number, charged: boolean): void {
    if (charged) {
      this.credit -= ms;
      this.chargedMs += ms;
    } else {
      this.oneOffMs += ms;
    }
  }

  cycleDone(costMs: number): void {
    this.lastCycleMs = costMs;
    this.trainSinceCycle = 0;
  }

  /** Share of the playing wall time that periodic evaluation took. */
  get share(): number {
    return this.wallMs > 0 ? this.chargedMs / this.wallMs : 0;
  }
}
