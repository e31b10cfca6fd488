// The per-image random draws of an augmented view, and the affine map they describe: plain
// numbers from a seeded Rng, so every backend (and a test without tfjs) sees the same views.
// engine/augmentBatch.ts turns them into tensor operations.

import type { AugmentParams } from './augmentSettings';
import { deriveSeed, Rng } from './rng';

/** The random draws for one image; all in image-relative units except where noted. */
export interface ImageDraw {
  /** Crop size as a fraction of the width / height (1 = no crop). */
  cropW: number;
  cropH: number;
  /** Crop centre offset from the image centre, in pixels. */
  cropX: number;
  cropY: number;
  /** Rotation in radians; positive turns the content counter-clockwise as displayed. */
  theta: number;
  /** Translation in pixels; positive moves the content right / down. */
  tx: number;
  ty: number;
  jitter: boolean;
  brightness: number;
  contrast: number;
  saturation: number;
  /** Hue rotation in turns. */
  hue: number;
  gray: boolean;
  blur: boolean;
  sigma: number;
  cutout: boolean;
  /** Cutout side in pixels and centre in pixel coordinates (pixel i spans [i, i + 1)). */
  cutSide: number;
  cutY: number;
  cutX: number;
}
/** Stream id for deriveSeed: the per-image parameters, apart from the pixel noise's. */
const PARAM_STREAM = 0x70617261;
const JITTER_PROB = 0.8;

/**
 * Draws every image's parameters. Each image always consumes the same number of draws in the
 * same order, so switching one augmentation off leaves the others' draws unchanged.
 */
export function drawImageParams(n: number, height: number, width: number, p: AugmentParams, seed: number): ImageDraw[] {
  const rng = new Rng(deriveSeed(seed, PARAM_STREAM));
  const out: ImageDraw[] = [];
  const sMin = Math.min(1, Math.max(0, p.cropMinScale));
  for (let i = 0; i < n; i++) {
    // Random resized crop: area fraction s in [cropMinScale, 1], aspect ratio r in [3/4, 4/3]
    // (log-uniform), restricted to ratios where the crop fits (r in [s, 1/s]); so s = 1 gives
    // exactly the whole image and small crop strengths give small changes.
    const s = rng.uniform(sMin, 1);
    const lo = Math.log(Math.max(3 / 4, s));
    const hi = Math.log(Math.min(4 / 3, 1 / s));
    const r = Math.exp(rng.uniform(lo, hi));
    const cropW = Math.min(1, Math.sqrt(s * r));
    const cropH = Math.min(1, Math.sqrt(s / r));
    const cropX = rng.uniform(-0.5, 0.5) * (1 - cropW) * width;
    const cropY = rng.uniform(-0.5, 0.5) * (1 - cropH) * height;
    const theta = rng.uniform(-1, 1) * p.rotateMaxRad;
    const tx = rng.uniform(-1, 1) * p.translateMax * width;
    const ty = rng.uniform(-1, 1) * p.translateMax * height;
    const jitter = rng.bool(JITTER_PROB);
    const brightness = 1 + rng.uniform(-1, 1) * p.jitter;
    const contrast = 1 + rng.uniform(-1, 1) * p.jitter;
    const saturation = 1 + rng.uniform(-1, 1) * p.jitter;
    const hue = rng.uniform(-1, 1) * p.hueJitter;
    const gray = rng.bool(p.grayscaleProb);
    const blur = rng.bool(p.blurProb);
    const sigma = rng.uniform(Math.min(0.1, p.blurMaxSigma), p.blurMaxSigma);
    const cutout = rng.bool(p.cutoutProb);
    const cutSide = rng.uniform(0, p.cutoutMaxSide) * Math.min(height, width);
    const cutY = rng.uniform(0, height);
    const cutX = rng.uniform(0, width);
    out.push({
      cropW,
      cropH,
      cropX,
      cropY,
      theta,
      tx,
      ty,
      jitter,
      brightness,
      contrast,
      saturation,
      hue,
      gray,
      blur: blur && p.blurMaxSigma > 0,
      sigma,
      cutout: cutout && cutSide > 0,
      cutSide,
      cutY,
      cutX,
    });
  }
  return out;
}

/**
 * The 8 numbers of tf.image.transform for one image: output pixel (x, y) samples the input at
 * (a0 x + a1 y + a2, b0 x + b1 y + b2). Forward order: crop-and-resize, rotate about the centre,
 * translate; so the inverse applied here is: untranslate, unrotate, map into the crop box.
 */
export function affineTransform(
  d: Pick<ImageDraw, 'cropW' | 'cropH' | 'cropX' | 'cropY' | 'theta' | 'tx' | 'ty'>,
  height: number,
  width: number,
): number[] {
  const c = Math.cos(d.theta);
  const s = Math.sin(d.theta);
  // Centred output coordinates u = x + 0.5 - W/2, v = y + 0.5 - H/2; after untranslating:
  const u0 = 0.5 - width / 2 - d.tx;
  const v0 = 0.5 - height / 2 - d.ty;
  // Unrotate (inverse of a counter-clockwise turn with y pointing down): (u c - v s, u s + v c).
  // Into the crop box, then back to pixel indices: + centre - 0.5.
  return [
    d.cropW * c,
    -d.cropW * s,
    d.cropW * (c * u0 - s * v0) + d.cropX + width / 2 - 0.5,
    d.cropH * s,
    d.cropH * c,
    d.cropH * (s * u0 + c * v0) + d.cropY + height / 2 - 0.5,
    0,
    0,
  ];
}
