// What the page is told about the current run while it trains: the loss history (and the
// chance-plateau warning), the speed, the display set's embedding and the last batch, all
// sent as snapshots. Holds no tensors; the trainer's results arrive here as plain arrays.

import * as tf from '@tensorflow/tfjs';
import { ChancePlateau } from '../core/chancePlateau';
import type { Settings } from '../core/settings';
import { HISTORY_MAX, type EngineEvent, type Snapshot } from '../protocol';
import { LossHistory } from './history';
import type { StepResult, Trainer } from './trainer';

// 10 snapshots a second: each re-renders every panel, and the embedding view glides between
// them anyway; more often, a software-rendered page spends most of its main thread redrawing.
const SNAPSHOT_MS = 100;
/** Speed is measured over the steps of this last window. */
const SPEED_WINDOW_MS = 2000;

/** The WebAssembly backend's linear memory: it only ever grows, so a leak there shows even
 *  when the tensors it held were disposed. Undefined on the other backends. */
function wasmHeapBytes(): number | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return b.wasm?.HEAPU8?.buffer.byteLength;
}

type Post = (ev: EngineEvent, transfer?: Transferable[]) => void;
/** active: playing or Step presses left (what the page shows as running); playing: Play is on. */
export interface TrainingState {
  active: boolean;
  playing: boolean;
}

export class RunReport {
  /** The last step's batch and views, sent with the next snapshot only (they are large). */
  private last: StepResult | null = null;
  private lastLoss = NaN;
  /** Duration of the last training step, to start reading the batch back one step before a snapshot is due. */
  private lastStepMs = 0;
  private history = new LossHistory(HISTORY_MAX);
  private readonly plateau = new ChancePlateau();
  private stepTimes: number[] = [];
  private display: { value: Snapshot['display']; fresh: boolean; costMs: number; at: number } = {
    value: null,
    fresh: false,
    costMs: 0,
    at: 0,
  };
  private lastSnapshotAt = 0;

  constructor(private readonly post: Post) {}

  /** A new run: nothing of the old one is shown again. */
  reset(): void {
    this.last = null;
    this.lastLoss = NaN;
    this.display.value = null;
    this.history = new LossHistory(HISTORY_MAX);
    this.plateau.reset();
    this.stepTimes = [];
  }

  /** On a GPU the batch is read back only when a snapshot will carry it (a read stalls the queue). */
  batchWanted(stepStart: number, readEvery: number): boolean {
    return readEvery === 1 || stepStart - this.lastSnapshotAt >= SNAPSHOT_MS - this.lastStepMs;
  }

  /** Keeps the step's batch (if it was read) for the next snapshot. On a GPU the loss of this
   *  step may not be read yet: a diverged step's batch is dropped here, so the page never draws
   *  NaN while the rollback that follows is still to come. */
  keep(r: StepResult): void {
    if (r.batch && allFinite(r.batch.embeddings)) this.last = r;
  }

  recordLosses(losses: { step: number; loss: number }[], s: Settings): void {
    for (const l of losses) {
      this.history.push(l.step, l.loss);
      const stuck = this.plateau.push(l.loss, s.loss, s.batchSize);
      if (stuck) this.post({ type: 'error', kind: 'stalled', message: stuck });
    }
    if (losses.length) this.lastLoss = losses[losses.length - 1].loss;
  }

  /** Books a finished step's timing; then re-embeds the display set and sends a snapshot when due. */
  async stepDone(t: Trainer, s: Settings, state: TrainingState, stepStart: number): Promise<void> {
    const t1 = performance.now();
    this.lastStepMs = t1 - stepStart;
    this.stepTimes.push(t1);
    while (this.stepTimes.length > 2 && t1 - this.stepTimes[0] > SPEED_WINDOW_MS) this.stepTimes.shift();
    // Re-embed the display set often, but spend at most ~1/6 of the time on it.
    if (t1 - this.display.at > Math.max(200, 5 * this.display.costMs)) await this.refreshDisplay(t);
    if (performance.now() - this.lastSnapshotAt >= SNAPSHOT_MS) this.send(t, s, state, false);
  }

  async refreshDisplay(t: Trainer): Promise<void> {
    const t0 = performance.now();
    const embeddings = await t.embedDisplay();
    const now = performance.now();
    // Weights that diverged since the last loss read: keep showing the last good display set.
    if (!allFinite(embeddings)) {
      this.display.at = now;
      return;
    }
    this.display = {
      value: { embeddings, labels: t.displayLabels(), indices: t.displayIndices.slice(), step: t.step },
      fresh: true,
      costMs: now - t0,
      at: now,
    };
  }

  private stepsPerSecond(): number {
    const n = this.stepTimes.length;
    if (n < 2) return 0;
    const span = this.stepTimes[n - 1] - this.stepTimes[0];
    return span > 0 ? ((n - 1) * 1000) / span : 0;
  }

  /** `final`: training stopped, so the speed shown is 0 unless Play is on. */
  send(t: Trainer, s: Settings, state: TrainingState, final: boolean): void {
    this.lastSnapshotAt = performance.now();
    const h = this.history.export();
    const last = this.last;
    const snap: Snapshot = {
      type: 'snapshot',
      step: t.step,
      epoch: t.epoch,
      playing: state.active,
      loss: this.lastLoss,
      lossHistory: h.losses,
      lossSteps: h.steps,
      stepsPerSecond: final && !state.playing ? 0 : this.stepsPerSecond(),
      numTensors: tf.memory().numTensors,
      numBytes: tf.memory().numBytes,
      wasmHeapBytes: wasmHeapBytes(),
      temperature: s.temperature,
      lossId: s.loss,
      dim: t.encoder.zDim,
      // Sent once per refresh, like the batch: the page keeps the last one (no copy per snapshot,
      // and no re-projection of an unchanged display set on the page).
      display: this.display.fresh ? this.display.value : null,
      batch: last?.batch ?? null,
      batchViews: last?.batchViews ?? null,
      batchFactors: last?.batchFactors ?? null,
      batchCaptions: last?.captions ?? null,
    };
    // The display copy and the history are transferred; the batch is sent once, then dropped.
    const transfer: Transferable[] = [snap.lossHistory.buffer, snap.lossSteps.buffer];
    if (snap.display) transfer.push(snap.display.embeddings.buffer);
    this.display.fresh = false;
    if (last?.batch) {
      transfer.push(last.batch.embeddings.buffer);
      if (last.batchViews) transfer.push(last.batchViews.pixels.buffer);
      this.last = null;
    }
    this.post(snap, transfer);
  }

  /** Slow motion: the step's batch before and after its update (copies: the snapshot transfers the batch). */
  postExplain(r: StepResult, step: number, s: Settings): void {
    if (!r.explain) return;
    const batch = r.batch!; // explain steps always read their batch
    const n = batch.n;
    const before = batch.embeddings.slice();
    this.post(
      {
        type: 'explain',
        step,
        n,
        dim: before.length / (2 * n),
        temperature: s.temperature,
        lossId: s.loss,
        before,
        after: r.explain.after,
        labels: batch.labels.slice(),
        lossBefore: r.loss,
        lossAfter: r.explain.lossAfter,
      },
      [before.buffer, r.explain.after.buffer],
    );
  }
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
