// One training run: data, model, optimizer and the step. Knows nothing about messages or
// the page; the worker drives it. Every tensor a step creates is disposed before the step
// returns (one tidy for the update, explicit disposal for what we read back).

import * as tf from '@tensorflow/tfjs';
import { type Dataset, gatherImages } from '../core/dataset';
import { augmentParams, type AugmentSettings } from '../core/augmentations';
import { deriveSeed, Rng } from '../core/rng';
import type { Settings } from '../core/settings';
import { balancedSubset, balancedSplit } from '../core/split';
import { l2Normalize, ntXentLoss, supConLoss } from '../core/losses';
import { makeViews } from './augment';
import { buildEncoder, type Encoder } from './model';
import { lossAndGrads } from './step';
import type { ViewPairs } from '../protocol';
import { BATCH_VIEW_MAX } from '../protocol';

export const DISPLAY_PER_CLASS = 50;
export const PREVIEW_PAIRS = 6;
/** deriveSeed stream of the preview's views, apart from every training step's. */
const PREVIEW_STREAM = 0x70726576;
const TEST_PER_CLASS_SHARE = 0.2;

export interface StepResult {
  loss: number;
  /** The batch's 2N projections, L2-normalised, read back after the step. */
  batch: { embeddings: Float32Array; labels: Int32Array; indices: Int32Array; n: number };
  /** Slow motion only: the same views re-embedded after the update, and the loss they now give. */
  explain?: { after: Float32Array; lossAfter: number };
  /** Both views of the first min(N, BATCH_VIEW_MAX) images, interleaved [a0, b0, a1, b1, ...]. */
  batchViews: ViewPairs;
  /** Each dataset factor's value for each of the 2N rows. */
  batchFactors?: Int32Array[];
}

export class NonFiniteLossError extends Error {}

export class Trainer {
  readonly encoder: Encoder;
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly displayIndices: Int32Array;
  private optimizer: tf.AdamOptimizer;
  private settings: Settings;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  step = 0;
  /** Set by a test to make the next loss NaN, exercising the real divergence path. */
  poisonNext = false;
  /** Images consumed, so epoch = seen / train size (batch size can change mid-run). */
  seen = 0;

  constructor(readonly data: Dataset, settings: Settings) {
    this.settings = settings;
    const numClasses = data.classNames.length;
    const testPerClass = Math.round((data.count / numClasses) * TEST_PER_CLASS_SHARE);
    const split = balancedSplit(data.labels, numClasses, testPerClass, settings.seed);
    this.train = split.train;
    this.test = split.test;
    this.displayIndices = balancedSubset(split.test, data.labels, numClasses, DISPLAY_PER_CLASS, settings.seed + 1);
    this.encoder = buildEncoder(settings.model, {
      height: data.height, width: data.width, channels: data.channels, embeddingDim: settings.embeddingDim,
    }, settings.seed);
    this.optimizer = tf.train.adam(settings.learningRate);
  }

  get epoch(): number {
    return this.seen / this.train.length;
  }

  /** Live changes: the next step uses them; nothing is rebuilt. */
  update(settings: Settings): void {
    if (settings.learningRate !== this.settings.learningRate) {
      // Adam's moment estimates stay; only the step size changes.
      (this.optimizer as unknown as { learningRate: number }).learningRate = settings.learningRate;
    }
    this.settings = settings;
  }

  /** Next batch of training indices: a seeded permutation per epoch, walked in order. */
  private nextBatch(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (this.cursor >= this.order.length) {
        this.order = new Rng(deriveSeed(this.settings.seed, 1_000_000 + Math.floor(this.seen / this.train.length))).shuffle(Int32Array.from(this.train)) as Int32Array;
        this.cursor = 0;
      }
      out[i] = this.order[this.cursor++];
    }
    return out;
  }

  private batchTensor(indices: Int32Array): tf.Tensor4D {
    const d = this.data;
    return tf.tensor4d(gatherImages(d, indices), [indices.length, d.height, d.width, d.channels]);
  }

  /**
   * One optimizer step. The loss is read back before the update is applied, so a NaN or
   * infinite loss leaves the weights (and Adam's state) as they were.
   */
  async trainStep(explain = false): Promise<StepResult> {
    const s = this.settings;
    const n = s.batchSize;
    const indices = this.nextBatch(n);
    const labels = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) labels[i] = labels[i + n] = this.data.labels[indices[i]];
    const params = augmentParams(s.augments);
    const stepSeed = deriveSeed(s.seed, this.step);

    const x = this.batchTensor(indices);
    const [v1, v2] = makeViews(x, params, stepSeed);
    x.dispose();
    const { value, grads, z: zKept } = lossAndGrads(this.encoder, v1, v2, {
      loss: s.loss, temperature: s.temperature, labels, poison: this.poisonNext,
    });
    this.poisonNext = false;
    const loss = (await value.data())[0];
    value.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose(grads);
      tf.dispose([v1, v2, zKept]);
      throw new NonFiniteLossError(String(loss));
    }
    this.optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
    tf.dispose(grads);
    const explained = explain ? await this.reembed(v1, v2, labels) : undefined;

    // Both views of up to BATCH_VIEW_MAX rows, so the page can show any of them as an anchor,
    // positive or negative (the triples panel, the pairs strip).
    const kb = Math.min(BATCH_VIEW_MAX, n);
    const [emb, batchViews] = await Promise.all([zKept.data() as Promise<Float32Array>, this.viewPixels(v1, v2, indices.slice(0, kb))]);
    tf.dispose([v1, v2, zKept]);

    this.step++;
    this.seen += n;
    return {
      loss,
      batch: { embeddings: emb, labels, indices, n },
      explain: explained,
      batchViews,
      batchFactors: this.data.factors.map((f) => Int32Array.from({ length: 2 * n }, (_, r) => f.values[indices[r % n]])),
    };
  }

  /** Slow motion: the step's own views through the updated weights, so "before" and "after"
   *  differ only by the update, not by new augmentations. */
  private async reembed(v1: tf.Tensor4D, v2: tf.Tensor4D, labels: Int32Array): Promise<{ after: Float32Array; lossAfter: number }> {
    const s = this.settings;
    const [z, loss] = tf.tidy(() => {
      const raw = this.encoder.project(this.encoder.encode(tf.concat([v1, v2], 0)));
      const [a, b] = tf.split(raw, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
      const l = s.loss === 'supcon' ? supConLoss(raw, tf.tensor1d(labels, 'int32'), s.temperature) : ntXentLoss(a, b, s.temperature);
      return [l2Normalize(raw), l];
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
    const x = this.batchTensor(indices);
    const [v1, v2] = makeViews(x, augmentParams(augments), deriveSeed(this.settings.seed, PREVIEW_STREAM));
    const views = await this.viewPixels(v1, v2, indices);
    tf.dispose([x, v1, v2]);
    return views;
  }

  /** The first indices.length images of both views as bytes, interleaved [a0, b0, a1, b1, ...]. */
  private async viewPixels(v1: tf.Tensor4D, v2: tf.Tensor4D, indices: Int32Array): Promise<ViewPairs> {
    const d = this.data;
    const k = indices.length;
    const t = tf.tidy(() => {
      const both = tf.reshape(tf.stack([tf.slice(v1, 0, k), tf.slice(v2, 0, k)], 1), [2 * k, d.height, d.width, d.channels]);
      return tf.cast(tf.round(tf.mul(tf.clipByValue(both, 0, 1), 255)), 'int32');
    });
    const pixels = Uint8Array.from(await t.data() as Int32Array);
    t.dispose();
    return { count: k, height: d.height, width: d.width, channels: d.channels, pixels, indices };
  }

  /** Projections z (L2-normalised) of the fixed display set, without augmentation. */
  async embedDisplay(): Promise<Float32Array> {
    const chunk = 250;
    const dim = this.encoder.zDim;
    const out = new Float32Array(this.displayIndices.length * dim);
    for (let start = 0; start < this.displayIndices.length; start += chunk) {
      const idx = this.displayIndices.subarray(start, start + chunk);
      const z = tf.tidy(() => {
        const x = this.batchTensor(idx);
        const p = this.encoder.project(this.encoder.encode(x));
        return l2Normalize(p);
      });
      out.set(await z.data() as Float32Array, start * dim);
      z.dispose();
    }
    return out;
  }

  displayLabels(): Int32Array {
    return Int32Array.from(this.displayIndices, (i) => this.data.labels[i]);
  }

  dispose(): void {
    this.encoder.dispose();
    this.optimizer.dispose();
  }
}
