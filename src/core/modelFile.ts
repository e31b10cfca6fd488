// The saved-model file: trained weights, Adam's state and the training position, with the
// settings that fix the architecture, as one self-describing JSON document (format tag and
// version first, float32 tensors as little-endian base64). The same text goes to a download
// and to IndexedDB, so both are restored through one decoder that refuses anything else with a
// sentence a user can act on. Pure: no tfjs, no DOM (atob/btoa and TextDecoder exist in
// browsers, workers and Node alike).

import { DATASETS, EMBEDDING_DIMS, MODELS, type DatasetId, type ModelId } from './settings';

export const MODEL_FORMAT = 'contrastive-playground-model';
/** Version 2 adds the checksum; version 1 files (without one) still load. */
export const MODEL_VERSION = 2;
/** Well above any model here (a few MB with Adam's state), low enough that reading a wrong file
 *  cannot freeze the page: refuses it by its size before reading a byte. */
export const MODEL_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** The checksum's place in the text: CRC-32 of the whole file with these 8 digits read as zeros. */
const CHECKSUM_KEY = '"checksum":"';
const CHECKSUM_ZERO = '00000000';

/** The settings that decide the weights' shapes and the data split (a different seed is a different held-out set). */
export interface ModelArch {
  dataset: DatasetId;
  model: ModelId;
  embeddingDim: number;
  seed: number;
}

export interface SavedTensor {
  shape: number[];
  data: Float32Array;
}

export interface ModelState {
  arch: ModelArch;
  /** Optimizer steps taken (the augmentation stream and the step counter continue from it). */
  step: number;
  /** Images consumed: epoch = seen / training-set size. */
  seen: number;
  /** Where the seeded data order stood: the epoch its permutation was drawn for, and the position in it. */
  orderEpoch: number;
  cursor: number;
  /** The encoder's variables in the order model.ts creates them. */
  weights: SavedTensor[];
  /** Adam: its step count and first and second moments, one per weight; null before the first step. */
  optimizer: { iterations: number; firstMoment: SavedTensor[]; secondMoment: SavedTensor[] } | null;
  /** ISO time of saving (shown when offering to restore). */
  savedAt: string;
}

export type Decoded = { ok: true; state: ModelState } | { ok: false; error: string };

interface TensorJson {
  shape: number[];
  dtype: 'float32';
  data: string;
}

export function encodeModelFile(s: ModelState): string {
  const t = (x: SavedTensor): TensorJson => ({ shape: x.shape, dtype: 'float32', data: toBase64(x.data) });
  const text = JSON.stringify({
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    // A flipped bit in the weights still decodes to numbers; only a checksum tells.
    checksum: CHECKSUM_ZERO,
    savedAt: s.savedAt,
    architecture: s.arch,
    training: { step: s.step, seen: s.seen, orderEpoch: s.orderEpoch, cursor: s.cursor },
    byteOrder: 'little-endian',
    weights: s.weights.map(t),
    optimizer: s.optimizer && {
      type: 'adam',
      iterations: s.optimizer.iterations,
      firstMoment: s.optimizer.firstMoment.map(t),
      secondMoment: s.optimizer.secondMoment.map(t),
    },
  });
  const at = text.indexOf(CHECKSUM_KEY) + CHECKSUM_KEY.length;
  return text.slice(0, at) + hex8(crc32(text)) + text.slice(at + CHECKSUM_ZERO.length);
}

/** CRC-32 (IEEE) of a string's UTF-16 code units, which are bytes here: the file is ASCII. */
export function crc32(text: string): number {
  let c = ~0;
  for (let i = 0; i < text.length; i++) c = CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

const hex8 = (x: number) => x.toString(16).padStart(8, '0');

/** The stored checksum, or null when the file has none; refuses one that does not match. */
function verifyChecksum(text: string, version: number): void {
  const at = text.indexOf(CHECKSUM_KEY);
  if (at < 0) {
    if (version >= 2) refuse('the file has no checksum, so it cannot be trusted (was it edited?).');
    return;
  }
  const start = at + CHECKSUM_KEY.length;
  const stored = text.slice(start, start + 8);
  const zeroed = text.slice(0, start) + CHECKSUM_ZERO + text.slice(start + 8);
  if (stored !== hex8(crc32(zeroed)))
    refuse('the file is damaged: its checksum does not match its contents (a changed or missing byte).');
}

/** Message prefix of every refusal, so a user knows nothing was changed. */
const NOT_LOADED = 'Not loaded (training is unchanged): ';

class Refusal extends Error {}
const refuse = (why: string): never => {
  throw new Refusal(why);
};

/** Reads a file's bytes (or the stored text) back into a model, or says precisely why not. */
export function decodeModelFile(input: ArrayBuffer | Uint8Array | string): Decoded {
  try {
    return { ok: true, state: decode(input) };
  } catch (e) {
    const why =
      e instanceof Refusal ? e.message : `the file could not be read (${e instanceof Error ? e.message : String(e)}).`;
    return { ok: false, error: NOT_LOADED + why };
  }
}

function decode(input: ArrayBuffer | Uint8Array | string): ModelState {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (bytes.length === 0) refuse('the file is empty.');
    if (bytes.length > MODEL_FILE_MAX_BYTES)
      refuse(`the file is ${(bytes.length / 1e6).toFixed(0)} MB, far larger than any saved model.`);
    if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
      refuse('this is a PNG picture, not a saved model. Choose a .json file made by "Save model".');
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return refuse('this is not a text file, so not a model saved by "Save model" (a .json file).');
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // A saved model begins with its format tag, so a file that does but does not parse was cut short.
    if (text.startsWith(`{"format":"${MODEL_FORMAT}"`))
      refuse('the file is cut short or damaged: it is not complete JSON (was the download interrupted?).');
    return refuse('this is not a JSON file, so not a model saved by "Save model".');
  }
  if (!isObject(doc) || doc.format !== MODEL_FORMAT) {
    refuse(`this JSON is not a Contrastive Playground model (it lacks "format": "${MODEL_FORMAT}").`);
  }
  const d = doc as Record<string, unknown>;
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1)
    refuse('the file has no valid format version.');
  if ((d.version as number) > MODEL_VERSION)
    refuse(
      `the file was saved by a newer version of the playground (format ${d.version}; this one reads ${MODEL_VERSION}).`,
    );
  const state = readState(d);
  // Last, so that an edited file is refused for what is wrong with it rather than for the edit.
  verifyChecksum(text, d.version as number);
  return state;
}

function readState(d: Record<string, unknown>): ModelState {
  if (d.byteOrder !== undefined && d.byteOrder !== 'little-endian')
    refuse(`unsupported byte order "${String(d.byteOrder)}".`);

  const a = field(d, 'architecture');
  const dataset = a.dataset,
    model = a.model,
    dim = a.embeddingDim,
    seed = a.seed;
  if (!(DATASETS as readonly unknown[]).includes(dataset))
    refuse(`unknown dataset "${String(dataset)}" (expected ${DATASETS.join(' or ')}).`);
  if (!(MODELS as readonly unknown[]).includes(model))
    refuse(`unknown model "${String(model)}" (expected ${MODELS.join(' or ')}).`);
  if (!(EMBEDDING_DIMS as readonly unknown[]).includes(dim))
    refuse(`embedding dimension ${String(dim)} is not one of ${EMBEDDING_DIMS.join(', ')}.`);
  if (!isInt(seed) || (seed as number) > 2 ** 31 - 1)
    refuse(`the seed ${String(seed)} is not an integer from 0 to 2^31 - 1.`);

  const t = field(d, 'training');
  for (const k of ['step', 'seen', 'orderEpoch', 'cursor'])
    if (!isInt(t[k])) refuse(`training.${k} must be a whole number >= 0 (it is ${JSON.stringify(t[k])}).`);

  if (!Array.isArray(d.weights) || d.weights.length === 0) refuse('the file holds no weights.');
  const weights = (d.weights as unknown[]).map((w, i) => tensor(w, `weight ${i + 1}`));

  let optimizer: ModelState['optimizer'] = null;
  if (d.optimizer !== null && d.optimizer !== undefined) {
    const o = field(d, 'optimizer');
    if (o.type !== 'adam') refuse(`optimizer "${String(o.type)}" is not Adam.`);
    if (!isInt(o.iterations)) refuse('optimizer.iterations must be a whole number >= 0.');
    const moments = (key: 'firstMoment' | 'secondMoment') => {
      const list = o[key];
      if (!Array.isArray(list) || list.length !== weights.length)
        refuse(`optimizer.${key} must hold one tensor per weight (${weights.length}).`);
      return (list as unknown[]).map((m, i) => {
        const x = tensor(m, `optimizer.${key} ${i + 1}`);
        if (!sameShape(x.shape, weights[i].shape))
          refuse(`optimizer.${key} ${i + 1} has shape [${x.shape}] but weight ${i + 1} has [${weights[i].shape}].`);
        return x;
      });
    };
    optimizer = {
      iterations: o.iterations as number,
      firstMoment: moments('firstMoment'),
      secondMoment: moments('secondMoment'),
    };
  }
  return {
    arch: { dataset: dataset as DatasetId, model: model as ModelId, embeddingDim: dim as number, seed: seed as number },
    step: t.step as number,
    seen: t.seen as number,
    orderEpoch: t.orderEpoch as number,
    cursor: t.cursor as number,
    weights,
    optimizer,
    savedAt: typeof d.savedAt === 'string' ? d.savedAt : '',
  };
}

function tensor(x: unknown, what: string): SavedTensor {
  if (!isObject(x)) return refuse(`${what} is not a tensor.`);
  const shape = x.shape;
  if (!Array.isArray(shape) || shape.length === 0 || shape.length > 4 || !shape.every((v) => isInt(v) && v > 0))
    refuse(`${what} has no valid shape.`);
  if (x.dtype !== 'float32') refuse(`${what} is ${String(x.dtype)}, not float32.`);
  if (typeof x.data !== 'string') refuse(`${what} has no data.`);
  const size = (shape as number[]).reduce((p, v) => p * v, 1);
  let bin: string;
  try {
    bin = atob(x.data as string);
  } catch {
    return refuse(`${what}'s data is not valid base64.`);
  }
  if (bin.length !== 4 * size)
    refuse(`${what} should hold ${size} numbers for shape [${shape}] but holds ${bin.length / 4}.`);
  const data = floatsFromBinary(bin);
  for (let i = 0; i < data.length; i++)
    if (!Number.isFinite(data[i])) refuse(`${what} contains ${data[i]} (a diverged model).`);
  return { shape: (shape as number[]).slice(), data };
}

/**
 * Names the first difference between the shapes a model needs and those a file holds, or null
 * when they fit. The engine asks this of a freshly built encoder before touching the running one.
 */
export function shapeMismatch(expected: number[][], state: ModelState): string | null {
  const got = state.weights.map((w) => w.shape);
  const { model, dataset, embeddingDim } = state.arch;
  const what = `the ${model} model on ${dataset} with dimension ${embeddingDim}`;
  if (got.length !== expected.length)
    return `${NOT_LOADED}the file holds ${got.length} weight tensors but ${what} has ${expected.length}.`;
  for (let i = 0; i < got.length; i++) {
    if (!sameShape(got[i], expected[i]))
      return `${NOT_LOADED}weight ${i + 1} has shape [${got[i]}] but ${what} needs [${expected[i]}].`;
  }
  return null;
}

export const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** A suggested download name, e.g. contrastive-mnist-default-d32-seed1-step120.json. */
export function modelFileName(s: Pick<ModelState, 'arch' | 'step'>): string {
  const a = s.arch;
  return `contrastive-${a.dataset}-${a.model}-d${a.embeddingDim}-seed${a.seed}-step${s.step}.json`;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function field(d: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = d[key];
  if (!isObject(v)) refuse(`the file has no "${key}" section.`);
  return v as Record<string, unknown>;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Float32 values as base64 of their little-endian bytes. */
export function toBase64(x: Float32Array): string {
  const bytes = new Uint8Array(x.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < x.length; i++) view.setFloat32(i * 4, x[i], true);
  // 1 KB slices: a long argument list makes fromCharCode slow, and a huge one overflows the stack.
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 1024)
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 1024) as unknown as number[]));
  return btoa(parts.join(''));
}

export function fromBase64(s: string): Float32Array {
  const bin = atob(s);
  if (bin.length % 4 !== 0) throw new Error('not a whole number of float32 values');
  return floatsFromBinary(bin);
}

/** A binary string (one char per byte, as atob gives) read as little-endian float32. */
function floatsFromBinary(bin: string): Float32Array {
  const view = new DataView(new ArrayBuffer(bin.length - (bin.length % 4)));
  for (let i = 0; i < view.byteLength; i++) view.setUint8(i, bin.charCodeAt(i));
  const out = new Float32Array(view.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
