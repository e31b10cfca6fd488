// One training run: data, model, optimizer and the step. Knows nothing about messages or
// the page; the worker drives it. Every tensor a step creates is disposed before the step
// returns (one tidy for the update, explicit disposal for what we read back).

import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../core/dataset';
import { augmentParams, type AugmentSettings } from '../core/augmentSettings';
import { EpochOrder } from '../core/epochOrder';
import { deriveSeed } from '../core/rng';
import type { Settings } from '../core/settings';
import { runSplit } from '../core/runSplit';
import { capBatchSize } from '../core/userDataset';
import { l2Normalize } from './ops/losses';
import { shapeMismatch, type ModelState } from '../core/modelFile';
import { FlatAdam } from './adam';
import { makeViews } from './augmentBatch';
import { embedProjections, viewPixels } from './displayReadback';
import { buildEncoder, type Encoder } from './model';
import { embed, imagesTensor } from './eval';
import { installModelState, readModelState } from './runState';
import { precompile, precompiles } from './precompile';
import { saveState, type SavedState } from './savedState';
import { batchLoss, lossAndGrads } from './step';
import { NonFiniteLossError, type StepResult } from './stepResult';
import type { ViewPairs } from '../protocol';
import { BATCH_VIEW_MAX } from '../protocol';

export { NonFiniteLossError, type StepResult } from './stepResult';

export { DISPLAY_PER_CLASS } from '../core/runSplit';
export const PREVIEW_PAIRS = 6;
/** deriveSeed stream of the preview's views, apart from every training step's. */
const PREVIEW_STREAM = 0x70726576;

/** The state a deferred window can fall back to: weights, Adam and the data position, on the device. */
interface Checkpoint {
  step: number;
  seen: number;
  order: ReturnType<EpochOrder['mark']>;
  state: SavedState;
}

export class Trainer {
  readonly encoder: Encoder;
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly displayIndices: Int32Array;
  protected optimizer: FlatAdam;
  protected settings: Settings;
  private readonly order: EpochOrder;
  step = 0;
  /** Set by a test to make the next loss NaN, exercising the real divergence path. */
  poisonNext = false;
  /** Images consumed, so epoch = seen / train size (batch size can change mid-run). */
  seen = 0;
  /**
   * Losses are read back every `readEvery` steps. 1 (wasm, cpu): each loss is read before its
   * update, which costs nothing there. More (GPU backends, where a read stalls the queue): the
   * updates of a window are applied unread, their losses read together at its end; a
   * non-finite one restores the checkpoint taken where the window began.
   */
  readEvery = 1;
  private pending: { step: number; value: tf.Scalar }[] = [];
  /** The last step's images (a query made the anchor joins them). */
  lastIndices: Int32Array | null = null;
  private checkpoint: Checkpoint | null = null;
  /** The batch size whose update's GPU programs were compiled ahead; 0: none yet. */
  private compiledFor = 0;

  /** trainFilter: which training images a run may use (CLIP leaves out its held-out compositions). */
  constructor(
    readonly data: Dataset,
    settings: Settings,
    trainFilter?: (train: Int32Array) => Int32Array,
  ) {
    this.settings = settings;
    ({
      train: this.train,
      test: this.test,
      displayIndices: this.displayIndices,
    } = runSplit(data, settings.seed, trainFilter));
    this.order = new EpochOrder(this.train, settings.seed);
    this.encoder = this.freshEncoder();
    this.optimizer = new FlatAdam(this.encoder.variables, settings.learningRate);
  }

  /** True while the weights are still those of freshEncoder() (no step taken, nothing restored). */
  get atInitialisation(): boolean {
    return this.atInit && this.step === 0;
  }
  private atInit = true;

  /** A new encoder of this run's architecture at its seeded initialisation (the caller disposes
   *  it): the random-init baselines, and the shell that a frozen evaluation loads its copied weights into. */
  freshEncoder(): Encoder {
    const d = this.data,
      s = this.settings;
    return buildEncoder(
      s.model,
      { height: d.height, width: d.width, channels: d.channels, embeddingDim: s.embeddingDim },
      s.seed,
    );
  }

  get epoch(): number {
    return this.seen / this.train.length;
  }

  /** Live changes: the next step uses them; nothing is rebuilt. */
  update(settings: Settings): void {
    if (settings.learningRate !== this.settings.learningRate) {
      // Adam's moment estimates stay; only the step size changes.
      this.optimizer.learningRate = settings.learningRate;
    }
    this.settings = settings;
  }

  /** The batch a step uses: the setting, or every training image when there are fewer. */
  get batchSize(): number {
    return capBatchSize(this.settings.batchSize, this.train.length).batchSize;
  }

  /** Next batch of training indices: a seeded permutation per epoch, walked in order. */
  protected nextBatch(n: number): Int32Array {
    return this.order.next(n, this.seen);
  }

  /**
   * One optimizer step. With readEvery = 1 the loss is read back before the update is applied,
   * so a NaN or infinite loss leaves the weights (and Adam's state) as they were. With deferred
   * reads, a window's losses are read before its last update; a bad one restores the window's
   * checkpoint. Either way a NonFiniteLossError says which step's weights training went back to.
   * `readBatch` false skips reading the batch's projections and views back (no snapshot due).
   */
  async trainStep(explain = false, readBatch = true): Promise<StepResult> {
    const s = this.settings;
    const n = this.batchSize;
    await this.precompileUpdate(n);
    if (this.readEvery > 1 && this.pending.length === 0) this.takeCheckpoint();
    const indices = this.nextBatch(n);
    this.lastIndices = indices;
    const labels = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) labels[i] = labels[i + n] = this.data.labels[indices[i]];
    const params = augmentParams(s.augments);
    const stepSeed = deriveSeed(s.seed, this.step);

    const x = imagesTensor(this.data, indices);
    const [v1, v2] = makeViews(x, params, stepSeed);
    x.dispose();
    const {
      value,
      grads,
      z: zKept,
    } = lossAndGrads(this.encoder, v1, v2, {
      loss: s.loss,
      temperature: s.temperature,
      labels,
      poison: this.poisonNext,
    });
    this.poisonNext = false;
    this.pending.push({ step: this.step + 1, value });
    const readNow = this.pending.length >= this.readEvery || explain;
    let losses: { step: number; loss: number }[] = [];
    if (readNow) {
      try {
        losses = await this.readPending();
      } catch (e) {
        tf.dispose(grads);
        tf.dispose([v1, v2, zKept]);
        throw e;
      }
    }
    this.optimizer.applyGradients(grads);
    tf.dispose(grads);
    const explained = explain ? await this.reembed(v1, v2, labels) : undefined;

    // Both views of up to BATCH_VIEW_MAX rows, so the page can show any of them as an anchor,
    // positive or negative (the triples panel, the pairs strip).
    const kb = Math.min(BATCH_VIEW_MAX, n);
    let batch: StepResult['batch'];
    let batchViews: ViewPairs | undefined;
    if (readBatch || explain) {
      const [emb, views] = await Promise.all([
        zKept.data() as Promise<Float32Array>,
        this.viewPixels(v1, v2, indices.slice(0, kb)),
      ]);
      batch = { embeddings: emb, labels, indices, n };
      batchViews = views;
    }
    tf.dispose([v1, v2, zKept]);

    this.step++;
    this.seen += n;
    return {
      loss: losses.length ? losses[losses.length - 1].loss : NaN,
      losses,
      labels,
      n,
      batch,
      batchViews,
      explain: explained,
      batchFactors: this.data.factors.map((f) =>
        Int32Array.from({ length: 2 * n }, (_, r) => f.values[indices[r % n]]),
      ),
    };
  }

  /**
   * Before the first update at a batch size on WebGPU, compiles all its programs in one
   * parallel pass (engine/precompile.ts), which puts back the weights and optimizer state the
   * unexecuted update assigned.
   */
  protected async precompileUpdate(n: number): Promise<void> {
    if (this.compiledFor === n || !precompiles()) return;
    this.compiledFor = n;
    await precompile(() => this.compileWork(n), {
      variables: this.trainables(),
      optimizers: this.optimizers(),
    });
  }

  /** Every variable an update may assign, and the optimizers that assign them. */
  protected trainables(): tf.Variable[] {
    return this.encoder.variables;
  }
  protected optimizers(): FlatAdam[] {
    return [this.optimizer];
  }

  /** The update of one batch of n, for the compile-only pass: the same ops on the same shapes. */
  protected compileWork(n: number): tf.TensorContainer {
    const s = this.settings;
    const indices = this.train.subarray(0, n);
    const labels = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) labels[i] = labels[i + n] = this.data.labels[indices[i]];
    const [v1, v2] = makeViews(imagesTensor(this.data, indices), augmentParams(s.augments), 0);
    const { value, grads, z } = lossAndGrads(this.encoder, v1, v2, {
      loss: s.loss,
      temperature: s.temperature,
      labels,
    });
    this.optimizer.applyGradients(grads);
    return [value, z];
  }

  /** Reads every pending loss now (in one read); a deferred window that held a bad one is undone. */
  async flush(): Promise<{ step: number; loss: number }[]> {
    return this.pending.length ? this.readPending() : [];
  }

  private async readPending(): Promise<{ step: number; loss: number }[]> {
    const window = this.pending;
    this.pending = [];
    const stacked = window.length === 1 ? window[0].value : tf.stack(window.map((p) => p.value));
    let values: Float32Array;
    try {
      values = (await stacked.data()) as Float32Array;
    } finally {
      tf.dispose(window.map((p) => p.value));
      if (window.length > 1) stacked.dispose();
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad < 0) return window.map((p, i) => ({ step: p.step, loss: values[i] }));
    // The last entry's update is not applied yet: with one entry nothing needs undoing.
    if (window.length > 1) this.restoreCheckpoint();
    throw new NonFiniteLossError(String(values[bad]), this.step);
  }

  private takeCheckpoint(): void {
    this.dropCheckpoint();
    this.checkpoint = {
      step: this.step,
      seen: this.seen,
      order: this.order.mark(),
      state: saveState({ variables: this.trainables(), optimizers: this.optimizers() }),
    };
  }

  private restoreCheckpoint(): void {
    const c = this.checkpoint;
    if (!c) throw new Error('No checkpoint to go back to');
    c.state.restore();
    this.step = c.step;
    this.seen = c.seen;
    this.order.restore(c.order);
  }

  private dropCheckpoint(): void {
    if (!this.checkpoint) return;
    this.checkpoint.state.dispose();
    this.checkpoint = null;
  }

  /** Slow motion: the step's own views through the updated weights, so "before" and "after"
   *  differ only by the update, not by new augmentations. */
  private async reembed(
    v1: tf.Tensor4D,
    v2: tf.Tensor4D,
    labels: Int32Array,
  ): Promise<{ after: Float32Array; lossAfter: number }> {
    const s = this.settings;
    const [z, loss] = tf.tidy(() => {
      const raw = this.encoder.project(this.encoder.encode(tf.concat([v1, v2], 0)));
      return [l2Normalize(raw), batchLoss(raw, { loss: s.loss, temperature: s.temperature, labels })];
    });
    const [after, l] = await Promise.all([z.data() as Promise<Float32Array>, loss.data()]);
    tf.dispose([z, loss]);
    return { after, lossAfter: l[0] };
  }

  /**
   * The augmentation panel's preview: PREVIEW_PAIRS fixed held-out images (spread over the
   * class-balanced display set) and their two views under `augments`, always with the same seed,
   * so moving a slider changes only what that slider controls.
   */
  async preview(augments: AugmentSettings): Promise<ViewPairs> {
    const k = Math.min(PREVIEW_PAIRS, this.displayIndices.length);
    const stride = Math.max(1, Math.floor(this.displayIndices.length / k));
    const indices = Int32Array.from({ length: k }, (_, i) => this.displayIndices[i * stride]);
    const x = imagesTensor(this.data, indices);
    const [v1, v2] = makeViews(x, augmentParams(augments), deriveSeed(this.settings.seed, PREVIEW_STREAM));
    const views = await this.viewPixels(v1, v2, indices);
    tf.dispose([x, v1, v2]);
    return views;
  }

  /** The first indices.length images of both views as bytes, interleaved [a0, b0, a1, b1, ...]. */
  viewPixels(v1: tf.Tensor4D, v2: tf.Tensor4D, indices: Int32Array): Promise<ViewPairs> {
    return viewPixels(this.data, v1, v2, indices);
  }

  /** Projections z (L2-normalised) of the fixed display set, without augmentation. */
  embedDisplay(): Promise<Float32Array> {
    return embedProjections(this.encoder, this.data, this.displayIndices);
  }

  /** h and z (L2-normalised) of the display set in one pass, so every point comes from the same weights. */
  embedDisplayBoth(): Promise<{ h: Float32Array; z: Float32Array }> {
    return embed(this.encoder, this.data, this.displayIndices);
  }

  /**
   * Everything needed to continue this run elsewhere: weights, Adam's moments and step count,
   * and where the data order stands. Read while no step runs (the worker calls it between steps).
   */
  async saveState(): Promise<ModelState> {
    // Never save weights whose losses are still unread (deferred reads): read them first.
    if (this.pending.length) throw new Error('Losses are still unread; call flush() first.');
    const position = { step: this.step, seen: this.seen, ...this.order.position };
    return readModelState(this.encoder.variables, this.optimizer, this.settings, position);
  }

  /**
   * Installs a saved run into this freshly built trainer (same architecture settings). Checks
   * every shape first and returns a message without touching anything when they do not fit.
   */
  async restore(state: ModelState): Promise<string | null> {
    const vars = this.encoder.variables;
    const mismatch = shapeMismatch(
      vars.map((v) => v.shape),
      state,
    );
    if (mismatch) return mismatch;
    if (this.step !== 0) return 'A model can only be restored into a fresh run.';
    installModelState(vars, this.optimizer, state);
    this.atInit = false;
    this.step = state.step;
    this.seen = state.seen;
    this.order.resume(state, state.step > 0);
    return null;
  }

  displayLabels(): Int32Array {
    return Int32Array.from(this.displayIndices, (i) => this.data.labels[i]);
  }

  dispose(): void {
    tf.dispose(this.pending.map((p) => p.value));
    this.pending = [];
    this.dropCheckpoint();
    this.encoder.dispose();
    this.optimizer.dispose();
  }
}
