// A CLIP run: the Trainer's image encoder, data order, display set and evaluation, with a text
// encoder (and optionally a learned temperature) beside it and the CLIP step in place of the
// two-view one. Loaded by the worker only when CLIP is chosen, so the first page load does not
// carry the text encoder. The batch it reports holds the N images (rows 0..N-1) and their N
// captions (rows N..2N-1), so row i and row i + N are a positive pair, as two views are.

import * as tf from '@tensorflow/tfjs';
import { augmentParams, type AugmentSettings } from '../../core/augmentSettings';
import { captionedAttributes, clipSafeAugments } from '../../core/clipAugments';
import { CLIP_MAX_LEN, pairsOf, swappedNegatives, trainingCaptions } from '../../core/clipData';
import { captionVocabulary } from '../../core/captions';
import type { Dataset } from '../../core/dataset';
import { heldOutPairs, isHeldOut, type ColourShape, withoutHeldOut } from '../../core/heldOutPairs';
import { deriveSeed, Rng } from '../../core/rng';
import type { Settings } from '../../core/settings';
import { Tokenizer, type TokenBatch } from '../../core/tokenizer';
import { duplicateCaptionShare, modalityGap } from '../../core/zeroShot';
import { BATCH_VIEW_MAX, CLIP_PATH_MAX, type ClipState, type ViewPairs } from '../../protocol';
import { FlatAdam } from '../adam';
import { makeViews } from '../augmentBatch';
import { clipLossAndGrads, embedTexts, type ClipModel } from '../clipStep';
import { imagesTensor } from '../eval';
import { LearnedTemperature } from '../ops/clipLoss';
import { buildTextEncoder, type TextEncoder } from '../textEncoder';
import { NonFiniteLossError, Trainer, type StepResult } from '../trainer';

/** deriveSeed streams of the training captions and of the display set's fixed captions. */
const CAPTION_STREAM = 0x63617031;
const DISPLAY_CAPTION_STREAM = 0x63617032;
const TEXT_WIDTH = 32;
/** Batches the duplicate-caption share is averaged over. */
const DUP_WINDOW = 50;

/** A down-sampled (step, value) path: when full, every other point is dropped. */
class Path {
  steps: number[] = [];
  values: number[] = [];
  private every = 1;
  private count = 0;
  push(step: number, value: number): void {
    if (this.count++ % this.every !== 0) return;
    this.steps.push(step);
    this.values.push(value);
    if (this.steps.length >= CLIP_PATH_MAX) {
      this.steps = this.steps.filter((_, i) => i % 2 === 0);
      this.values = this.values.filter((_, i) => i % 2 === 0);
      this.every *= 2;
    }
  }
  export() {
    return { steps: Int32Array.from(this.steps), values: Float32Array.from(this.values) };
  }
}

export class ClipTrainer extends Trainer {
  readonly tokenizer = new Tokenizer(captionVocabulary());
  readonly text: TextEncoder;
  readonly learned: LearnedTemperature | null;
  readonly heldOut: ColourShape[];
  private readonly textOptimizer: FlatAdam;
  private temperatureUsed: number;
  private readonly temperaturePath = new Path();
  private readonly gapPath = new Path();
  private dupShares: number[] = [];
  private displayCaptions: string[];
  private captionEmb: Float32Array | null = null;
  private captionStep = -1;
  /** A display refresh happened since the page was last told (the worker sends a ClipState). */
  fresh = false;

  constructor(data: Dataset, settings: Settings) {
    const held = heldOutPairs(settings.seed);
    const pairs = pairsOf(data);
    super(data, settings, pairs ? (train) => withoutHeldOut(train, pairs, held) : undefined);
    this.heldOut = pairs ? held : [];
    this.text = buildTextEncoder(
      settings.textEncoder,
      {
        vocabSize: this.tokenizer.size,
        maxLen: CLIP_MAX_LEN,
        width: TEXT_WIDTH,
        hidden: 2 * TEXT_WIDTH,
        outDim: this.encoder.zDim,
      },
      settings.seed,
    );
    this.learned = settings.learnTemperature === 'on' ? new LearnedTemperature() : null;
    this.textOptimizer = new FlatAdam(
      [...this.text.variables, ...(this.learned ? [this.learned.logScale] : [])],
      settings.learningRate,
    );
    this.temperatureUsed = this.learned ? 0.07 : settings.temperature;
    // The display set's captions are fixed for the run (always complete, so every point says
    // colour and shape), so their points move only because the text encoder learns.
    this.displayCaptions = trainingCaptions(
      data,
      this.displayIndices,
      new Rng(deriveSeed(settings.seed, DISPLAY_CAPTION_STREAM)),
      1,
    );
  }

  get model(): ClipModel {
    const vars = [...this.encoder.variables, ...this.text.variables, ...(this.learned ? [this.learned.logScale] : [])];
    return { image: this.encoder, text: this.text, temperature: this.learned, variables: vars, dispose: () => {} };
  }

  /** The temperature the last step used: the learned one, or the setting. */
  temperatureNow(): number {
    return this.learned ? this.temperatureUsed : this.settings.temperature;
  }

  isHeldOut(colour: number, shape: number): boolean {
    return isHeldOut(this.heldOut, colour, shape);
  }

  encode(texts: string[]): TokenBatch & { unknown: string[] } {
    return this.tokenizer.encode(texts, CLIP_MAX_LEN);
  }

  override update(settings: Settings): void {
    super.update(settings);
    this.textOptimizer.learningRate = settings.learningRate;
  }

  protected override trainables(): tf.Variable[] {
    return this.model.variables;
  }
  protected override optimizers(): FlatAdam[] {
    return [this.optimizer, this.textOptimizer];
  }

  /** A CLIP update on n images and their captions, for the compile-only pass (nothing read). */
  protected override compileWork(n: number): tf.TensorContainer {
    const s = this.settings;
    const d = this.data;
    const indices = this.train.subarray(0, n);
    const rng = new Rng(deriveSeed(s.seed, CAPTION_STREAM));
    const captions = trainingCaptions(d, indices, rng, s.captionDetail);
    const negatives = d.id === 'twoShapes' ? swappedNegatives(d, indices, rng, (c, sh) => this.isHeldOut(c, sh)) : [];
    const [v1] = makeViews(
      imagesTensor(d, indices),
      augmentParams(clipSafeAugments(s.augments, captionedAttributes(d.id))),
      0,
    );
    const { value, grads, img, txt } = clipLossAndGrads(this.model, v1, this.encode(captions), {
      temperature: s.temperature,
      negatives: negatives.length ? this.encode(negatives) : undefined,
    });
    const read = this.learned ? tf.stack([value, this.learned.temperature()]) : tf.reshape(value, [1]);
    this.optimizer.applyGradients(grads);
    this.textOptimizer.applyGradients(grads);
    this.learned?.clamp();
    return [read, img, txt, tf.concat([img, txt], 0)];
  }

  /**
   * One CLIP step: each image (one augmented view, with the augmentations that would falsify a
   * caption switched off) against its caption. The loss (and a learned temperature) are read
   * in one read before the update, so a non-finite loss never touches the weights.
   */
  override async trainStep(_explain = false, readBatch = true): Promise<StepResult> {
    const s = this.settings;
    const n = s.batchSize;
    const d = this.data;
    await this.precompileUpdate(n);
    const indices = this.nextBatch(n);
    const rng = new Rng(deriveSeed(s.seed, CAPTION_STREAM + this.step));
    const captions = trainingCaptions(d, indices, rng, s.captionDetail);
    this.dupShares.push(duplicateCaptionShare(captions));
    if (this.dupShares.length > DUP_WINDOW) this.dupShares.shift();
    const negatives = d.id === 'twoShapes' ? swappedNegatives(d, indices, rng, (c, sh) => this.isHeldOut(c, sh)) : [];

    const x = imagesTensor(d, indices);
    const [v1, v2] = makeViews(
      x,
      augmentParams(clipSafeAugments(s.augments, captionedAttributes(d.id))),
      deriveSeed(s.seed, this.step),
    );
    tf.dispose([x, v2]);
    const { value, grads, img, txt } = clipLossAndGrads(this.model, v1, this.encode(captions), {
      temperature: s.temperature,
      negatives: negatives.length ? this.encode(negatives) : undefined,
      poison: this.poisonNext,
    });
    this.poisonNext = false;
    const read = tf.tidy(() => (this.learned ? tf.stack([value, this.learned.temperature()]) : tf.reshape(value, [1])));
    let loss: number;
    try {
      const r = await read.data();
      loss = r[0];
      if (this.learned) this.temperatureUsed = r[1];
    } finally {
      tf.dispose([read, value]);
    }
    if (!Number.isFinite(loss)) {
      tf.dispose([v1, img, txt, ...Object.values(grads)]);
      throw new NonFiniteLossError(String(loss), this.step);
    }
    this.optimizer.applyGradients(grads);
    this.textOptimizer.applyGradients(grads);
    this.learned?.clamp();
    tf.dispose(Object.values(grads));

    const labels = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) labels[i] = labels[i + n] = d.labels[indices[i]];
    let batch: StepResult['batch'];
    let batchViews: ViewPairs | undefined;
    if (readBatch) {
      const both = tf.concat([img, txt], 0);
      const kb = Math.min(BATCH_VIEW_MAX, n);
      const [emb, views] = await Promise.all([
        both.data() as Promise<Float32Array>,
        this.viewPixels(v1, v1, indices.slice(0, kb)),
      ]);
      both.dispose();
      batch = { embeddings: emb, labels, indices, n };
      batchViews = views;
    }
    tf.dispose([v1, img, txt]);
    this.step++;
    this.seen += n;
    this.temperaturePath.push(this.step, this.temperatureNow());
    const losses = [{ step: this.step, loss }];
    return {
      loss,
      losses,
      labels,
      n,
      batch,
      batchViews,
      captions: batch ? captions : undefined,
      batchFactors: d.factors.map((f) => Int32Array.from({ length: 2 * n }, (_, r) => f.values[indices[r % n]])),
    };
  }

  /** The preview shows the views CLIP trains on: the augmentations that would falsify a caption are off. */
  override preview(augments: AugmentSettings): Promise<ViewPairs> {
    return super.preview(clipSafeAugments(augments, captionedAttributes(this.data.id)));
  }

  /** The display set's images, and with them its fixed captions and the modality gap between the two. */

  override async embedDisplay(): Promise<Float32Array> {
    const img = await super.embedDisplay();
    const z = embedTexts(this.model, this.encode(this.displayCaptions));
    this.captionEmb = (await z.data()) as Float32Array;
    z.dispose();
    this.captionStep = this.step;
    this.gapPath.push(this.step, modalityGap(img, this.captionEmb, this.encoder.zDim).centroidDistance);
    this.fresh = true;
    return img;
  }

  /** The display set's captions embedded with the current weights (for the Projector export). */
  async displayCaptionPoints(): Promise<{ texts: string[]; z: Float32Array }> {
    const z = embedTexts(this.model, this.encode(this.displayCaptions));
    const out = (await z.data()) as Float32Array;
    z.dispose();
    return { texts: this.displayCaptions.slice(), z: out };
  }

  state(): ClipState {
    this.fresh = false;
    const dup = this.dupShares.length ? this.dupShares.reduce((a, b) => a + b, 0) / this.dupShares.length : 0;
    return {
      type: 'clipState',
      step: this.step,
      learnedTemperature: this.learned !== null,
      temperaturePath: this.temperaturePath.export(),
      gapPath: this.gapPath.export(),
      duplicateShare: dup,
      captions: this.captionEmb
        ? { texts: this.displayCaptions, embeddings: this.captionEmb.slice(), step: this.captionStep }
        : null,
    };
  }

  override dispose(): void {
    this.text.dispose();
    this.learned?.dispose();
    this.textOptimizer.dispose();
    super.dispose();
  }
}
