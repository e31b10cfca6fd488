// The user's images as the worker's dataset: what the page sent, checked, or a message that
// says what is still needed (shown as a data error instead of a failed run).

import type { Dataset } from '../core/dataset';
import { USER_IMAGE_BYTES, USER_IMAGE_SIDE } from '../core/imagePixels';
import { MIN_TRAIN_IMAGES, USER_DATASET_ID, userSplit } from '../core/userDataset';
import type { UserDataCommand } from '../protocol';

export function userDatasetFrom(sent: UserDataCommand | null): Dataset {
  const count = sent?.labels.length ?? 0;
  if (!sent || count === 0) throw new Error('you have not added any images yet: add some under "Your own images"');
  if (sent.pixels.length !== count * USER_IMAGE_BYTES) throw new Error('the images arrived damaged; add them again');
  const { labels, classNames } = sent;
  const train = userSplit(labels, classNames, 0).train.length;
  if (train < MIN_TRAIN_IMAGES) throw new Error(`training needs at least ${MIN_TRAIN_IMAGES} images once a fifth of each class is held out (${train} of your ${count} are left): add more`);
  return {
    id: USER_DATASET_ID, height: USER_IMAGE_SIDE, width: USER_IMAGE_SIDE, channels: 3,
    pixels: sent.pixels, labels, classNames: classNames.slice(),
    factors: [{ name: 'class', classes: classNames.slice(), values: labels }], count,
  };
}
