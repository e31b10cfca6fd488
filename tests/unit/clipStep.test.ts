// The text encoders and one CLIP training step, on tiny models: order (in)sensitivity of the
// two encoders, a falling loss, no leaked tensors, the divergence guard, and the wasm backend.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { COLOUR_NAMES, PALETTE, SHAPE_NAMES } from '../../src/core/shapes';
import { Tokenizer } from '../../src/core/tokenizer';
import { captionVocabulary } from '../../src/core/captions';
import { buildClipModel, clipOptimizer, clipStep, embedTexts, type ClipModel } from '../../src/engine/clipStep';
import { buildTextEncoder, type TextEncoderId } from '../../src/engine/textEncoder';
import { useBackend } from './support/wasmBackend';

const tok = new Tokenizer(captionVocabulary());
const MAX_LEN = 8;

/** Embeddings of texts by an encoder with every weight random (the attention block's output
 *  layers start at zero, which would hide what it does with order). */
function textEmbedding(id: TextEncoderId, texts: string[], maxLen = MAX_LEN): Float32Array[] {
  const enc = buildTextEncoder(id, { vocabSize: tok.size, maxLen, width: 8, hidden: 16, outDim: 6 }, 3);
  tf.tidy(() => enc.variables.forEach((v, i) => v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 100 + i))));
  const z = enc.encode(tok.encode(texts, maxLen));
  const v = z.dataSync() as Float32Array;
  z.dispose();
  enc.dispose();
  return texts.map((_, i) => v.slice(i * 6, (i + 1) * 6));
}

const maxDiff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, k) => Math.abs(v - b[k])));

/** 8x8 RGB images: a colour stripe on black; captions name the colour and a shape word. */
function colourBatch(n: number, rng: Rng, distinct = false): { x: tf.Tensor4D; captions: string[] } {
  const px = new Float32Array(n * 8 * 8 * 3);
  const captions: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = distinct ? i % 8 : rng.int(4) * 2;
    const rgb = PALETTE[COLOUR_NAMES[c]];
    for (let p = 0; p < 64; p++)
      if (p % 8 > 1 && p % 8 < 6) for (let k = 0; k < 3; k++) px[(i * 64 + p) * 3 + k] = rgb[k] / 255;
    captions.push(`a ${COLOUR_NAMES[c]} ${SHAPE_NAMES[rng.int(8)]}`);
  }
  return { x: tf.tensor4d(px, [n, 8, 8, 3]), captions };
}

function tinyClip(text: TextEncoderId, learnTemperature: boolean): ClipModel {
  return buildClipModel({
    imageModel: 'default',
    shape: { height: 8, width: 8, channels: 3, embeddingDim: 8 },
    text,
    textShape: { vocabSize: tok.size, maxLen: MAX_LEN, width: 8, hidden: 16 },
    learnTemperature,
    seed: 2,
  });
}

describe('text encoders', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('bag of words ignores word order and padding; the attention encoder sees order', () => {
    const [a, b] = textEmbedding('bow', ['a red star and a blue ring', 'a blue star and a red ring']);
    expect(maxDiff(a, b)).toBeLessThan(1e-5);
    const [c] = textEmbedding('bow', ['a red star and a blue ring'], 12);
    expect(maxDiff(a, c)).toBeLessThan(1e-5);
    const [d, e] = textEmbedding('attention', ['a red star and a blue ring', 'a blue star and a red ring']);
    expect(maxDiff(d, e)).toBeGreaterThan(1e-3);
    // Different words give different bag-of-words embeddings.
    const [f, g] = textEmbedding('bow', ['red star', 'blue ring']);
    expect(maxDiff(f, g)).toBeGreaterThan(1e-3);
  });

  it('the attention encoder embeds each row on its own: pads and other rows change nothing', () => {
    const enc = buildTextEncoder(
      'attention',
      { vocabSize: tok.size, maxLen: MAX_LEN, width: 8, hidden: 16, outDim: 6 },
      3,
    );
    tf.tidy(() => enc.variables.forEach((v, i) => v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 200 + i))));
    const row = (texts: string[]) =>
      tf.tidy(() => (enc.encode(tok.encode(texts, MAX_LEN)).dataSync() as Float32Array).slice(0, 6));
    const base = row(['red star', 'red star']);
    expect(maxDiff(base, row(['red star', 'a large blue ring on the left']))).toBeLessThan(1e-5);
    // The pad token's embedding and the positions past the text are never seen.
    const [embeddings, positions] = enc.variables;
    tf.tidy(() => {
      embeddings.assign(tf.concat([tf.fill([1, 8], 3), tf.slice(embeddings, [1, 0], [-1, -1])]));
      positions.assign(tf.concat([tf.slice(positions, [0, 0], [2, -1]), tf.fill([MAX_LEN - 2, 8], -2)]));
    });
    expect(maxDiff(base, row(['red star', 'red star']))).toBeLessThan(1e-5);
    // ...while the words are.
    expect(maxDiff(base, row(['red ring', 'red star']))).toBeGreaterThan(1e-3);
    enc.dispose();
  });

  it('dispose frees every variable', () => {
    const before = tf.memory().numTensors;
    const enc = buildTextEncoder(
      'attention',
      { vocabSize: tok.size, maxLen: MAX_LEN, width: 8, hidden: 16, outDim: 6 },
      3,
    );
    expect(tf.memory().numTensors).toBe(before + enc.variables.length);
    expect(enc.parameterCount).toBeGreaterThan(0);
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('CLIP step', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const text of ['bow', 'attention'] as const) {
    it(`lowers the loss on a batch it can learn, without leaking tensors (${text}, learned temperature)`, async () => {
      const m = tinyClip(text, true);
      const opt = clipOptimizer(m, 0.003);
      // One batch of eight colours, each caption true of its image only: the loss can reach 0.
      const { x, captions } = colourBatch(8, new Rng(1), true);
      const tokens = tok.encode(captions, MAX_LEN);
      const losses: number[] = [];
      let tensors = -1;
      for (let s = 0; s < 30; s++) {
        const r = await clipStep(m, opt, x, tokens, { temperature: 0.1 });
        expect(r.applied).toBe(true);
        losses.push(r.loss);
        // Adam's first update moves every parameter with a gradient by about the learning rate.
        if (s === 0)
          expect(Math.abs(m.temperature!.logScale.dataSync()[0] - Math.log(1 / 0.07))).toBeGreaterThan(0.002);
        if (s === 1) tensors = tf.memory().numTensors;
        if (s > 1) expect(tf.memory().numTensors).toBe(tensors);
      }
      x.dispose();
      expect(losses[0]).toBeGreaterThan(Math.log(8) - 0.5);
      expect(losses[29]).toBeLessThan(losses[0] / 2);
      opt.dispose();
      m.dispose();
    });
  }

  it('leaves the weights alone when the loss is not finite', async () => {
    const m = tinyClip('bow', false);
    const opt = clipOptimizer(m, 0.01);
    const { x, captions } = colourBatch(8, new Rng(2));
    const before = m.variables.map((v) => v.dataSync().slice());
    const r = await clipStep(m, opt, x, tok.encode(captions, MAX_LEN), { temperature: 0.1, poison: true });
    expect(r.applied).toBe(false);
    expect(Number.isNaN(r.loss)).toBe(true);
    m.variables.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(before[i])));
    x.dispose();
    opt.dispose();
    m.dispose();
  });

  it('takes hard-negative captions, which raise the loss of the same weights', async () => {
    const { x, captions } = colourBatch(8, new Rng(5), true);
    const loss = async (negatives?: string[]) => {
      const m = tinyClip('attention', false);
      const opt = clipOptimizer(m, 0.003);
      const r = await clipStep(m, opt, x, tok.encode(captions, MAX_LEN), {
        temperature: 0.1,
        negatives: negatives && tok.encode(negatives, MAX_LEN),
      });
      opt.dispose();
      m.dispose();
      return r.loss;
    };
    const plain = await loss();
    expect(await loss(['a red star', 'a blue ring', 'a green moon'])).toBeGreaterThan(plain);
    x.dispose();
  });

  it('rejects a batch whose images and captions differ in number', async () => {
    const m = tinyClip('bow', false);
    const opt = clipOptimizer(m, 0.01);
    const { x } = colourBatch(4, new Rng(3));
    await expect(clipStep(m, opt, x, tok.encode(['red star'], MAX_LEN), { temperature: 0.1 })).rejects.toThrow(
      /4 images, 1 captions/,
    );
    x.dispose();
    opt.dispose();
    m.dispose();
  });
});

describe('CLIP step on wasm (every op exists there)', () => {
  let ok = false;
  beforeAll(async () => {
    ok = await useBackend('wasm');
  });
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('trains both encoders and embeds texts', async () => {
    expect(ok).toBe(true);
    for (const text of ['bow', 'attention'] as const) {
      const m = tinyClip(text, true);
      const opt = clipOptimizer(m, 0.01);
      const { x, captions } = colourBatch(8, new Rng(4));
      const r = await clipStep(m, opt, x, tok.encode(captions, MAX_LEN), { temperature: 0.1 });
      expect(r.applied).toBe(true);
      const z = embedTexts(m, tok.encode(captions, MAX_LEN));
      const norms = tf.tidy(() => tf.norm(z, 'euclidean', 1).dataSync());
      for (const v of norms) expect(v).toBeCloseTo(1, 4);
      tf.dispose([x, z]);
      opt.dispose();
      m.dispose();
    }
  });
});
