// The user's images as the worker's dataset: what the page sent, checked, or a message that
// says what is still needed (shown as a data error instead of a failed run).

import type { Dataset } from '../core/dataset';
import { USER_IMAGE_BYTES, USER_IMAGE_SIDE } from '../core/imagePixels';
import {
  classCounts,
  KNN_MIN_PER_CLASS,
  MIN_TRAIN_IMAGES,
  USER_DATASET_ID,
  userReadiness,
  userSplit,
} from '../core/userDataset';
import type { LabelsPerClass, UserDataCommand } from '../protocol';

export function userDatasetFrom(sent: UserDataCommand | null): Dataset {
  const count = sent?.labels.length ?? 0;
  if (!sent || count === 0) throw new Error('you have not added any images yet: add some under "Your own images"');
  if (sent.pixels.length !== count * USER_IMAGE_BYTES) throw new Error('the images arrived damaged; add them again');
  const { labels, classNames } = sent;
  const train = userSplit(labels, classNames, 0).train.length;
  if (train < MIN_TRAIN_IMAGES)
    throw new Error(
      `training needs at least ${MIN_TRAIN_IMAGES} images once a fifth of each class is held out (${train} of your ${count} are left): add more`,
    );
  return {
    id: USER_DATASET_ID,
    height: USER_IMAGE_SIDE,
    width: USER_IMAGE_SIDE,
    channels: 3,
    pixels: sent.pixels,
    labels,
    classNames: classNames.slice(),
    factors: [{ name: 'class', classes: classNames.slice(), values: labels }],
    count,
  };
}

/** Why a few-label probe cannot run on the user's images (a class with too few training images), or null. */
export function userProbeRefusal(
  data: Dataset,
  split: { train: Int32Array; test: Int32Array },
  lpc: LabelsPerClass,
): string | null {
  if (data.id !== USER_DATASET_ID) return null;
  const r = userReadiness(data.labels, data.classNames, split);
  if (r.probeLabels.includes(lpc)) return null;
  if (!r.knn) return `Probes need two classes with at least ${KNN_MIN_PER_CLASS} images each.`;
  const train = classCounts(data.labels, data.classNames.length, split.train);
  const short = data.classNames.map((c, i) => `${c} ${train[i]}`).filter((_, i) => train[i] < (lpc as number));
  return `${lpc} labels per class needs ${lpc} training images in every class (now: ${short.join(', ')}).`;
}
