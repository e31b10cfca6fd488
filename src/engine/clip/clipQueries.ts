// What a CLIP run answers on request: zero-shot classification, held-out compositions,
// text-search precision, the binding test, and search itself. Each runs as a scheduler query
// (beside training, between its awaits): the held-out images are embedded in chunks, and the
// embeddings are kept for the step they were made at, so a search right after an evaluation
// (or several searches while paused) costs one text embedding.

import * as tf from '@tensorflow/tfjs';
import { describeImage, factorPrompts, pairQueries, zeroShotFactors } from '../../core/clipData';
import { captionBatch } from '../../core/captions';
import { onlyHeldOut } from '../../core/heldOutPairs';
import { pairsOf } from '../../core/clipData';
import { Rng } from '../../core/rng';
import { swappedColours, twoShapeCaption, twoShapeFacts } from '../../core/twoShapes';
import {
  bindingAccuracy,
  classEmbeddings,
  normalizeRows,
  precisionAtK,
  searchTopK,
  zeroShotClassify,
} from '../../core/zeroShot';
import type { ClipEval, ClipFactorResult, ClipSearch } from '../../protocol';
import { embedImages, embedTexts } from '../clipStep';
import { imagesTensor } from '../eval';
import type { ClipTrainer } from './clipTrainer';

const CHUNK = 250;
const SEARCH_K = 12;
/** Captions a search result's best captions are chosen from. */
const BANK_IMAGES = 300;

interface Cached {
  step: number;
  emb: Float32Array;
}
const cache = new WeakMap<ClipTrainer, Cached>();

/** The held-out images' embeddings at the current step (recomputed only after a step). */
async function testEmbeddings(t: ClipTrainer): Promise<Float32Array> {
  const hit = cache.get(t);
  if (hit && hit.step === t.step) return hit.emb;
  const step = t.step;
  const dim = t.encoder.zDim;
  const out = new Float32Array(t.test.length * dim);
  for (let s = 0; s < t.test.length; s += CHUNK) {
    const idx = t.test.subarray(s, s + CHUNK);
    const z = tf.tidy(() => embedImages(t.model, imagesTensor(t.data, idx)));
    out.set((await z.data()) as Float32Array, s * dim);
    z.dispose();
  }
  cache.set(t, { step, emb: out });
  return out;
}

async function embedText(t: ClipTrainer, texts: string[]): Promise<{ emb: Float32Array; unknown: string[] }> {
  const tokens = t.encode(texts);
  const z = embedTexts(t.model, tokens);
  const emb = (await z.data()) as Float32Array;
  z.dispose();
  return { emb, unknown: tokens.unknown };
}

function pick(x: Float32Array, rows: ArrayLike<number>, d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let k = 0; k < rows.length; k++) out.set(x.subarray(rows[k] * d, (rows[k] + 1) * d), k * d);
  return out;
}

export async function clipEvaluate(t: ClipTrainer, templates: Record<string, string[]>): Promise<ClipEval> {
  const step = t.step;
  const d = t.data;
  const dim = t.encoder.zDim;
  const img = await testEmbeddings(t);
  const factors: ClipFactorResult[] = [];
  for (const f of zeroShotFactors(d.id)) {
    const tpl = templates[f.id]?.filter((x) => x.trim()) ?? [];
    const { prompts, perClass } = factorPrompts(f, tpl.length ? tpl : f.defaultTemplates);
    const { emb, unknown } = await embedText(t, prompts);
    const cls = classEmbeddings(emb, f.classes.length, perClass, dim);
    const labels = Int32Array.from(t.test, (i) => f.labelOf(d, i));
    const r = zeroShotClassify(img, cls, labels, dim);
    const counts = new Array<number>(f.classes.length).fill(0);
    for (const l of labels) counts[l]++;
    factors.push({
      id: f.id,
      label: f.label,
      classNames: f.classNames,
      accuracy: r.accuracy,
      unknown,
      chance: labels.length ? Math.max(...counts) / labels.length : 0,
      confusion: r.confusion,
    });
  }
  let compositions: number | null = null;
  let compositionCount = 0;
  let precisionAt12: number | null = null;
  let binding: number | null = null;
  const pairs = pairsOf(d);
  const both = zeroShotFactors(d.id).find((f) => f.id === 'both');
  if (pairs && both && t.heldOut.length) {
    // Rows of t.test showing a held-out pair; on two shapes only the left object is asked about.
    const rows = Int32Array.from(t.test.keys()).filter((k) => {
      const i = t.test[k];
      return onlyHeldOut(Int32Array.of(i), (j) => pairs(j).slice(0, 1), t.heldOut).length > 0;
    });
    compositionCount = rows.length;
    if (rows.length) {
      const tpl = templates.both?.filter((x) => x.trim()) ?? [];
      const { prompts, perClass } = factorPrompts(both, tpl.length ? tpl : both.defaultTemplates);
      const cls = classEmbeddings((await embedText(t, prompts)).emb, both.classes.length, perClass, dim);
      const labels = Int32Array.from(rows, (k) => both.labelOf(d, t.test[k]));
      compositions = zeroShotClassify(pick(img, rows, dim), cls, labels, dim).accuracy;
    }
  }
  if (d.id === 'shapes') {
    const queries = pairQueries();
    const q = (
      await embedText(
        t,
        queries.map((p) => p.text),
      )
    ).emb;
    const colour = d.factors.find((f) => f.name === 'colour')!.values;
    const shape = d.factors.find((f) => f.name === 'shape')!.values;
    let sum = 0;
    queries.forEach((p, k) => {
      const hits = searchTopK(q.subarray(k * dim, (k + 1) * dim), img, dim, SEARCH_K);
      sum += precisionAtK(hits, (r) => colour[t.test[r]] === p.colour && shape[t.test[r]] === p.shape);
    });
    precisionAt12 = sum / queries.length;
  }
  if (d.id === 'twoShapes') {
    // Sides unsaid and one fixed form per image, so the two captions differ only in the colours' places.
    const truth = Array.from(t.test, (i) => twoShapeCaption(twoShapeFacts(d, i), new Rng(i), 0));
    const swapped = Array.from(t.test, (i) => twoShapeCaption(swappedColours(twoShapeFacts(d, i)), new Rng(i), 0));
    binding = bindingAccuracy(img, (await embedText(t, truth)).emb, (await embedText(t, swapped)).emb, dim);
  }
  return {
    type: 'clipEval',
    step,
    imageCount: t.test.length,
    factors,
    compositions,
    compositionCount,
    precisionAt12,
    binding,
  };
}

/** A caption bank for "the captions that fit this image best": captions of held-out images. */
const banks = new WeakMap<ClipTrainer, string[]>();
function captionBank(t: ClipTrainer): string[] {
  let bank = banks.get(t);
  if (!bank) {
    const idx = t.test.subarray(0, BANK_IMAGES);
    const rng = new Rng(7);
    const texts =
      t.data.id === 'twoShapes'
        ? Array.from(idx, (i) => twoShapeCaption(twoShapeFacts(t.data, i), rng))
        : [...captionBatch(t.data, idx, rng, 0), ...captionBatch(t.data, idx, rng, 0.5)];
    bank = [...new Set(texts)];
    banks.set(t, bank);
  }
  return bank;
}

export async function clipSearch(t: ClipTrainer, text: string): Promise<ClipSearch> {
  const step = t.step;
  const d = t.data;
  const dim = t.encoder.zDim;
  const img = await testEmbeddings(t);
  const { emb, unknown } = await embedText(t, [text]);
  const hits = searchTopK(emb, img, dim, SEARCH_K);
  const bank = captionBank(t);
  const bankEmb = normalizeRows((await embedText(t, bank)).emb, dim);
  const imgN = normalizeRows(img, dim);
  const size = d.height * d.width * d.channels;
  const pixels = new Uint8Array(hits.length * size);
  const out = hits.map((h, k) => {
    const i = t.test[h.index];
    pixels.set(d.pixels.subarray(i * size, (i + 1) * size), k * size);
    const scored = bank
      .map((c, b) => {
        let s = 0;
        for (let j = 0; j < dim; j++) s += bankEmb[b * dim + j] * imgN[h.index * dim + j];
        return { text: c, score: s };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    return { index: i, score: h.score, alt: describeImage(d, i), captions: scored };
  });
  return {
    type: 'clipSearch',
    query: text,
    step,
    unknown,
    hits: out,
    images: { height: d.height, width: d.width, channels: d.channels, pixels },
  };
}
