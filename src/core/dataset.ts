// One dataset interface for every source (MNIST, procedural Shapes, later a user's own
// images): images as one flat uint8 array, labels, and optional nuisance factors that views
// can colour points by. No tfjs here: the engine turns batches into tensors.

export interface Factor {
  /** e.g. "shape", "colour", "digit". */
  name: string;
  /** Names of the factor's values, index = value. */
  classes: string[];
  /** One value per image. */
  values: Int32Array;
  /** CSS colours to draw each value in, for a factor whose values are colours themselves
   *  (Shapes' colour): a legend that paints "pink" in the palette's blue would lie. */
  swatches?: string[];
}

export interface Dataset {
  id: string;
  height: number;
  width: number;
  channels: 1 | 3;
  /** count * height * width * channels bytes, NHWC, 0..255. */
  pixels: Uint8Array;
  /** The primary label (the class used for SupCon, kNN and colouring by default). */
  labels: Int32Array;
  classNames: string[];
  /** Extra labelled factors (Shapes: shape, colour, size...); the primary label is factors[0]. */
  factors: Factor[];
  count: number;
}

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

export function imageSize(d: Pick<Dataset, 'height' | 'width' | 'channels'>): number {
  return d.height * d.width * d.channels;
}

/** Copies the given images into a float32 array scaled to [0, 1] (NHWC). */
export function gatherImages(d: Dataset, indices: ArrayLike<number>, out?: Float32Array): Float32Array {
  const size = imageSize(d);
  const dst = out ?? new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * size;
    const off = k * size;
    for (let p = 0; p < size; p++) dst[off + p] = d.pixels[src + p] / 255;
  }
  return dst;
}
