// What a trained CLIP space is good for, measured on plain typed arrays (embeddings read back
// from the worker): zero-shot classification from class prompts, text-to-image search, the
// attribute-binding test, the modality gap, and the share of duplicate captions in a batch.
// Embeddings are row-major N x D; they are normalised here where it matters.

import { words } from './tokenizer';

export function normalizeRows(x: Float32Array, d: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += d) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[o + k] * x[o + k];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < d; k++) out[o + k] = x[o + k] * inv;
  }
  return out;
}

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[ai + k] * b[bi + k];
  return s;
}

/** Fills a template's {slots}: fillTemplate('a {colour} {shape}', { colour: 'red', shape: 'star' }). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

/**
 * Prompts for every class under every template, class-major: class c's prompts are rows
 * c * templates.length .. (c + 1) * templates.length - 1.
 */
export function classPrompts(templates: string[], classes: Record<string, string>[]): string[] {
  return classes.flatMap((values) => templates.map((t) => fillTemplate(t, values)));
}

/**
 * One embedding per class, as CLIP builds its zero-shot classifier: each prompt normalised,
 * the class's prompts averaged over the templates, the mean normalised again.
 */
export function classEmbeddings(
  promptEmb: Float32Array,
  numClasses: number,
  numTemplates: number,
  d: number,
): Float32Array {
  const p = normalizeRows(promptEmb, d);
  const out = new Float32Array(numClasses * d);
  for (let c = 0; c < numClasses; c++) {
    for (let t = 0; t < numTemplates; t++) {
      const o = (c * numTemplates + t) * d;
      for (let k = 0; k < d; k++) out[c * d + k] += p[o + k];
    }
  }
  return normalizeRows(out, d);
}

export interface ZeroShotResult {
  predictions: Int32Array;
  accuracy: number;
  /** numClasses x numClasses counts, row = true class, column = predicted. */
  confusion: Int32Array;
}

/** Each image gets the class whose embedding is most similar to its own. */
export function zeroShotClassify(
  imgEmb: Float32Array,
  classEmb: Float32Array,
  labels: ArrayLike<number>,
  d: number,
): ZeroShotResult {
  const n = imgEmb.length / d,
    c = classEmb.length / d;
  const img = normalizeRows(imgEmb, d),
    cls = normalizeRows(classEmb, d);
  const predictions = new Int32Array(n);
  const confusion = new Int32Array(c * c);
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = 0,
      bestSim = -Infinity;
    for (let k = 0; k < c; k++) {
      const s = dot(img, i * d, cls, k * d, d);
      if (s > bestSim) {
        bestSim = s;
        best = k;
      }
    }
    predictions[i] = best;
    confusion[labels[i] * c + best]++;
    if (best === labels[i]) right++;
  }
  return { predictions, accuracy: n > 0 ? right / n : 0, confusion };
}

export interface SearchHit {
  index: number;
  score: number;
}

/** The k images most similar to one text embedding, best first (index into the image rows). */
export function searchTopK(queryEmb: Float32Array, imgEmb: Float32Array, d: number, k: number): SearchHit[] {
  const q = normalizeRows(queryEmb, d),
    img = normalizeRows(imgEmb, d);
  const n = img.length / d;
  const hits: SearchHit[] = [];
  for (let i = 0; i < n; i++) hits.push({ index: i, score: dot(q, 0, img, i * d, d) });
  hits.sort((a, b) => b.score - a.score || a.index - b.index);
  return hits.slice(0, k);
}

/** The share of the hits that are relevant (over the hits returned). */
export function precisionAtK(hits: SearchHit[], relevant: (index: number) => boolean): number {
  if (hits.length === 0) return 0;
  return hits.filter((h) => relevant(h.index)).length / hits.length;
}

/**
 * The binding test: the share of images whose true caption is more similar to them than the
 * same caption with the attributes swapped (row i of each caption array belongs to image i).
 * Ties count as failures: an encoder that cannot tell the two apart scores 0 on ties, and near
 * 50% when noise breaks them.
 */
export function bindingAccuracy(
  imgEmb: Float32Array,
  trueEmb: Float32Array,
  swappedEmb: Float32Array,
  d: number,
): number {
  const img = normalizeRows(imgEmb, d),
    t = normalizeRows(trueEmb, d),
    s = normalizeRows(swappedEmb, d);
  const n = img.length / d;
  let right = 0;
  for (let i = 0; i < n; i++) if (dot(img, i * d, t, i * d, d) > dot(img, i * d, s, i * d, d)) right++;
  return n > 0 ? right / n : 0;
}

function centroid(x: Float32Array, d: number): Float32Array {
  const c = new Float32Array(d),
    n = x.length / d;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) c[k] += x[i * d + k] / n;
  return c;
}

export interface ModalityGap {
  /** Distance between the centroids of the normalised image and text embeddings (0..2). */
  centroidDistance: number;
  /** Angle between the two mean directions, in degrees (0..180). */
  angleDegrees: number;
}

/** How far apart the two modalities sit on the sphere (Liang et al. 2022, "Mind the Gap"). */
export function modalityGap(imgEmb: Float32Array, txtEmb: Float32Array, d: number): ModalityGap {
  const ci = centroid(normalizeRows(imgEmb, d), d),
    ct = centroid(normalizeRows(txtEmb, d), d);
  let dist = 0;
  for (let k = 0; k < d; k++) dist += (ci[k] - ct[k]) ** 2;
  const cos = dot(normalizeRows(ci, d), 0, normalizeRows(ct, d), 0, d);
  return {
    centroidDistance: Math.sqrt(dist),
    angleDegrees: (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI,
  };
}

/**
 * The share of a batch's captions that another row of the batch also has (same words, case
 * and punctuation aside): each such pair is a false negative, a true caption CLIP's loss pushes
 * away from the image.
 */
export function duplicateCaptionShare(captions: string[]): number {
  const keys = captions.map((c) => words(c).join(' '));
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const dup = keys.filter((k) => (counts.get(k) ?? 0) > 1).length;
  return captions.length > 0 ? dup / captions.length : 0;
}
