// A user's own images as a dataset like the built-in ones: classes from folder names (or a
// name the user gives loose files), a cap on how many are kept, a seeded held-out split per
// class, and the rules for what can run on it yet (training, kNN, the few-label probes).
// Pure: the page decides what to add and the worker trains on the Dataset this builds.

import type { Dataset, Split } from './dataset';
import { USER_IMAGE_BYTES, USER_IMAGE_SIDE } from './imagePixels';
import { deriveSeed, Rng } from './rng';
import { balancedSubset } from './split';

export const USER_DATASET_ID = 'user';
export const USER_IMAGE_CAP = 5000;
/** kNN accuracy needs two classes with at least this many images each. */
export const KNN_MIN_PER_CLASS = 5;
/** A contrastive batch needs a few images to contrast. */
export const MIN_TRAIN_IMAGES = 4;
export const HELD_OUT_SHARE = 0.2;
const CLASS_NAME_MAX = 40;

export interface UserImage {
  /** The store's key, once stored. */
  id?: number;
  className: string;
  /** The file's name (or e.g. "camera 12"), for the gallery and for messages. */
  name: string;
  /** USER_IMAGE_SIDE x USER_IMAGE_SIDE RGB bytes. */
  pixels: Uint8Array;
}

/** What a file input or a drop gives: a File has both fields. */
export interface PickedFile {
  name: string;
  webkitRelativePath?: string;
}

/** Trimmed, inner whitespace collapsed, at most 40 characters; null when nothing is left. */
export function cleanClassName(name: string): string | null {
  const s = name.replace(/\s+/g, ' ').trim().slice(0, CLASS_NAME_MAX).trim();
  return s.length > 0 ? s : null;
}

/** System litter that comes with folders (".DS_Store", "Thumbs.db", "desktop.ini"), not pictures. */
export function isFolderLitter(name: string): boolean {
  return name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/**
 * A file's class: the name of the folder it sits in (its immediate parent in the picked
 * folder's relative path, e.g. "animals/cats/1.jpg" -> "cats"), or looseClass for a file
 * picked on its own.
 */
export function classFromPath(file: PickedFile, looseClass: string): string {
  const parts = (file.webkitRelativePath ?? '').split('/').filter((p) => p.length > 0);
  return (parts.length >= 2 ? cleanClassName(parts[parts.length - 2]) : null) ?? looseClass;
}

export interface Assignment<F extends PickedFile> {
  assigned: { file: F; className: string }[];
  /** Names of files left out as folder litter. */
  skipped: string[];
}

export function assignClasses<F extends PickedFile>(files: readonly F[], looseClass: string): Assignment<F> {
  const loose = cleanClassName(looseClass);
  if (!loose) throw new Error('name the class for images added without a folder');
  const assigned: { file: F; className: string }[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    if (isFolderLitter(file.name)) skipped.push(file.name);
    else assigned.push({ file, className: classFromPath(file, loose) });
  }
  return { assigned, skipped };
}

const fmt = (n: number) => n.toLocaleString('en');

/** The first images that fit under the cap, and a notice saying how many were kept if not all. */
export function capToLimit<T>(
  existing: number,
  incoming: readonly T[],
  cap = USER_IMAGE_CAP,
): { kept: T[]; dropped: number; notice: string | null } {
  const room = Math.max(0, cap - existing);
  const kept = incoming.slice(0, room);
  const dropped = incoming.length - kept.length;
  const notice =
    dropped === 0
      ? null
      : `Kept ${fmt(kept.length)} of the ${fmt(incoming.length)} images added: at most ${fmt(cap)} images are kept in all ` +
        `(${fmt(dropped)} not added${existing > 0 ? `; ${fmt(existing)} were here already` : ''}).`;
  return { kept, dropped, notice };
}

/** Class names in a stable order (natural sort: "class 2" before "class 10"), so labels survive a reload. */
export function sortedClassNames(images: readonly Pick<UserImage, 'className'>[]): string[] {
  const names = [...new Set(images.map((i) => i.className))];
  return names.sort(
    (a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0),
  );
}

export interface UserDataset {
  dataset: Dataset;
  /** Per image (dataset order): its store key (-1 if not stored) and its name. */
  ids: Int32Array;
  names: string[];
}

export function buildUserDataset(images: readonly UserImage[]): UserDataset {
  const classNames = sortedClassNames(images);
  const index = new Map(classNames.map((c, i) => [c, i]));
  const count = images.length;
  const pixels = new Uint8Array(count * USER_IMAGE_BYTES);
  const labels = new Int32Array(count);
  const ids = new Int32Array(count);
  images.forEach((img, i) => {
    if (img.pixels.length !== USER_IMAGE_BYTES) {
      throw new Error(
        `${img.name}: ${img.pixels.length} bytes, expected ${USER_IMAGE_BYTES} (${USER_IMAGE_SIDE} x ${USER_IMAGE_SIDE} RGB)`,
      );
    }
    pixels.set(img.pixels, i * USER_IMAGE_BYTES);
    labels[i] = index.get(img.className)!;
    ids[i] = img.id ?? -1;
  });
  return {
    dataset: {
      id: USER_DATASET_ID,
      height: USER_IMAGE_SIDE,
      width: USER_IMAGE_SIDE,
      channels: 3,
      pixels,
      labels,
      classNames,
      factors: [{ name: 'class', classes: classNames.slice(), values: labels }],
      count,
    },
    ids,
    names: images.map((i) => i.name),
  };
}

/** Images per class. */
export function classCounts(labels: ArrayLike<number>, numClasses: number, subset?: ArrayLike<number>): number[] {
  const c = new Array<number>(numClasses).fill(0);
  const n = subset ? subset.length : labels.length;
  for (let k = 0; k < n; k++) c[labels[subset ? subset[k] : k]]++;
  return c;
}

/** A string's 32-bit FNV-1a hash: a class's split stream follows its name, not its position. */
function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** How many of a class's n images are held out: a share, at least one once there are two. */
export function heldOutCount(n: number, share = HELD_OUT_SHARE): number {
  return n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(n * share)));
}

/**
 * Held-out split per class, seeded by the run's seed and the class's name, so adding images
 * to one class or a new class leaves the other classes' splits as they were. Classes differ
 * in size, so each holds out its own share (built-in datasets hold out the same number each).
 */
export function userSplit(
  labels: Int32Array,
  classNames: readonly string[],
  seed: number,
  share = HELD_OUT_SHARE,
): Split {
  const groups: number[][] = classNames.map(() => []);
  for (let i = 0; i < labels.length; i++) groups[labels[i]].push(i);
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, c) => {
    new Rng(deriveSeed(seed, hashName(classNames[c]))).shuffle(g);
    const t = heldOutCount(g.length, share);
    for (let k = 0; k < g.length; k++) (k < t ? test : train).push(g[k]);
  });
  const rng = new Rng(deriveSeed(seed, 0x75736572));
  return {
    train: rng.shuffle(Int32Array.from(train)) as Int32Array,
    test: rng.shuffle(Int32Array.from(test)) as Int32Array,
  };
}

/** Up to perClass of each class's images from `indices` (all of a smaller class), shuffled. */
export function upToPerClass(
  indices: Int32Array,
  labels: Int32Array,
  numClasses: number,
  perClass: number,
  seed: number,
): Int32Array {
  return balancedSubset(indices, labels, numClasses, perClass, seed, { allowFewer: true });
}

export interface Readiness {
  canTrain: boolean;
  knn: boolean;
  /** The label counts per class the few-label probes can use now. */
  probeLabels: (number | 'all')[];
  /** What is missing, in words, for the page to show (empty when everything can run). */
  messages: string[];
}

/** What can run on the user's dataset with this split. */
export function userReadiness(
  labels: Int32Array,
  classNames: readonly string[],
  split: Split,
  labelCounts: readonly (number | 'all')[] = [1, 10, 100, 'all'],
): Readiness {
  const k = classNames.length;
  const all = classCounts(labels, k);
  const train = classCounts(labels, k, split.train);
  const messages: string[] = [];
  const canTrain = split.train.length >= MIN_TRAIN_IMAGES;
  if (!canTrain)
    messages.push(
      `Add at least ${MIN_TRAIN_IMAGES} images to train (there ${split.train.length === 1 ? 'is' : 'are'} ${split.train.length} for training now).`,
    );
  if (k === 1)
    messages.push(
      `All your images are in one class (${classNames[0]}): add a second class to measure kNN accuracy and run probes.`,
    );
  const big = all.filter((n) => n >= KNN_MIN_PER_CLASS).length;
  const knn = big >= 2;
  if (!knn && k !== 1 && labels.length > 0) {
    const list = classNames.map((c, i) => `${c} ${all[i]}`).join(', ');
    messages.push(`kNN accuracy needs two classes with at least ${KNN_MIN_PER_CLASS} images each (now: ${list}).`);
  }
  const probeLabels = !knn ? [] : labelCounts.filter((lpc) => lpc === 'all' || train.every((n) => n >= lpc));
  return { canTrain, knn, probeLabels, messages };
}

/** The batch size a step can use: at most the training images, with a notice when capped. */
export function capBatchSize(requested: number, trainCount: number): { batchSize: number; notice: string | null } {
  if (requested <= trainCount) return { batchSize: requested, notice: null };
  return {
    batchSize: trainCount,
    notice: `Batch size ${requested} is more than your ${fmt(trainCount)} training images: each step uses all ${fmt(trainCount)}.`,
  };
}
