// A query image in the format of the dataset being searched: a user's picture (32 x 32 RGB,
// as decoded) searched among MNIST's digits becomes a 28 x 28 greyscale image, area-averaged
// as a drawing is; among Shapes or the user's own images it is already in their format.

import type { Dataset } from './dataset';
import { resampleArea } from './drawingPrep';

export interface ImageBytes {
  height: number;
  width: number;
  channels: 1 | 3;
  /** height * width * channels, 0..255, HWC. */
  pixels: Uint8Array;
}

/** The image resized (area average) and converted (grey = mean of RGB; grey to RGB by copying) to `to`'s shape. */
export function toDatasetFormat(img: ImageBytes, to: Pick<Dataset, 'height' | 'width' | 'channels'>): Uint8Array {
  if (img.pixels.length !== img.height * img.width * img.channels)
    throw new Error('image bytes do not match its shape');
  if (img.height === to.height && img.width === to.width && img.channels === to.channels) return img.pixels.slice();
  const planes: Float32Array[] = [];
  const n = img.height * img.width;
  const src = (c: number) =>
    Float32Array.from({ length: n }, (_, p) => img.pixels[p * img.channels + Math.min(c, img.channels - 1)]);
  if (to.channels === 1) {
    const grey = new Float32Array(n);
    for (let c = 0; c < img.channels; c++) {
      const s = src(c);
      for (let p = 0; p < n; p++) grey[p] += s[p] / img.channels;
    }
    planes.push(grey);
  } else {
    for (let c = 0; c < 3; c++) planes.push(src(c));
  }
  const out = new Uint8Array(to.height * to.width * to.channels);
  planes.forEach((plane, c) => {
    const r = resampleArea(plane, img.width, 0, 0, img.width, img.height, to.width, to.height, img.height);
    for (let p = 0; p < r.length; p++) out[p * to.channels + c] = Math.max(0, Math.min(255, Math.round(r[p])));
  });
  return out;
}
