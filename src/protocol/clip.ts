// The page-worker contract for CLIP mode: images and captions in one space.

/** Sent with each display refresh while a CLIP run trains. */
export interface ClipState {
  type: 'clipState';
  step: number;
  learnedTemperature: boolean;
  /** The temperature's path (the learned one, or the setting), at most CLIP_PATH_MAX points. */
  temperaturePath: { steps: Int32Array; values: Float32Array };
  /** The modality gap (distance between the image and caption centroids on the sphere) over time. */
  gapPath: { steps: Int32Array; values: Float32Array };
  /** Mean share of a batch's captions that another row of the batch also has (false negatives), recent batches. */
  duplicateShare: number;
  /** One caption per display image (same order as Snapshot.display), its embedding (count * dim, normalised). */
  captions: { texts: string[]; embeddings: Float32Array; step: number } | null;
}

export const CLIP_PATH_MAX = 400;

export interface ClipFactorResult {
  id: string;
  label: string;
  classNames: string[];
  accuracy: number;
  chance: number;
  /** classes x classes counts, row = true class. */
  confusion: Int32Array;
  /** Words of this factor's templates outside the vocabulary. */
  unknown: string[];
}

export interface ClipEval {
  type: 'clipEval';
  step: number;
  /** Held-out images the figures are measured on. */
  imageCount: number;
  factors: ClipFactorResult[];
  /** Colour x shape zero-shot on held-out images of pairs never trained on (null: no such pairs). */
  compositions: number | null;
  compositionCount: number;
  /** Text search precision at 12 averaged over every colour x shape query (null on MNIST). */
  precisionAt12: number | null;
  /** Two shapes: the share of images preferring their caption over the colour-swapped one. */
  binding: number | null;
}

export interface ClipSearchHit {
  index: number;
  score: number;
  /** What the image shows, e.g. "red star, small, top left, dark background". */
  alt: string;
  /** The captions of a fixed caption bank that fit this image best, best first. */
  captions: { text: string; score: number }[];
}

export interface ClipSearch {
  type: 'clipSearch';
  query: string;
  step: number;
  /** Query words outside the vocabulary (named on the page, never silently dropped). */
  unknown: string[];
  hits: ClipSearchHit[];
  /** The hits' images, uint8 NHWC, in hit order. */
  images: { height: number; width: number; channels: number; pixels: Uint8Array };
}
