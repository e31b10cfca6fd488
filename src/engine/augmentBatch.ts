// Applies the augmentations of src/core/augmentations.ts to a batch of images with tfjs.
//
// Every random choice is drawn on the CPU from a seeded Rng (core/augmentDraws.ts: same seed,
// same views, on every backend); the per-image parameters are uploaded as small tensors and the pixels are
// processed batched, with kernels registered on the cpu, wasm, webgl and webgpu backends of
// tfjs 4.22: Transform (tf.image.transform), Conv2D (1x1 colour mixing; SplitV + AddN on
// WebGPU), DepthwiseConv2dNative, MirrorPad, Transpose, Reshape, Range, Cast, GreaterEqual,
// Less, Mean, Sum, Mul, Add, Sub, ClipByValue (and Slice + Concat on cpu only). On wasm,
// broadcasts other than per-image scalars ([B,1,1,1]), gathers and concats along the channel
// axis, long depthwise kernels and small batched matMuls are slow: the code avoids them
// (docs/decisions/0005).
//
// Order, as in SimCLR: geometric (crop + rotation + translation as ONE bilinear resampling),
// colour jitter (p = 0.8), random greyscale, Gaussian blur, cutout, Gaussian noise, clip.

import * as tf from '@tensorflow/tfjs';
import { affineTransform, drawImageParams, type ImageDraw } from '../core/augmentDraws';
import type { AugmentParams } from '../core/augmentSettings';
import { normals } from '../core/normals';
import { deriveSeed } from '../core/rng';

/** Stream id for deriveSeed: the pixel noise, apart from the per-image parameters' stream. */
const NOISE_STREAM = 0x6e6f6973;
/** Rec. 601 luma, as torchvision's rgb_to_grayscale. */
const LUMA = [0.299, 0.587, 0.114];

/**
 * Bilinear affine warp of a batch with per-image transforms [B, 8]. Outside the image:
 * 'constant' reads 0, 'nearest' repeats the nearest edge pixel. The cpu backend's Transform
 * kernel in tfjs 4.22 returns after the first image of a batch (the others stay at the fill
 * value), so there it runs image by image.
 */
export function warpAffine(
  x: tf.Tensor4D,
  transforms: tf.Tensor2D,
  fillMode: 'constant' | 'nearest' = 'constant',
): tf.Tensor4D {
  return tf.tidy(() => {
    const n = x.shape[0];
    if (tf.getBackend() === 'cpu' && n > 1) {
      const parts: tf.Tensor4D[] = [];
      for (let i = 0; i < n; i++) {
        const xi = tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
        const ti = tf.slice(transforms, [i, 0], [1, 8]) as tf.Tensor2D;
        parts.push(tf.image.transform(xi, ti, 'bilinear', fillMode, 0));
      }
      return tf.concat(parts, 0);
    }
    return tf.image.transform(x, transforms, 'bilinear', fillMode, 0);
  });
}

/** Per-image scalars as a [B,1,1,1] tensor. */
function perImage(values: number[]): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1], 'float32');
}

/**
 * Applies a fixed 3x3 colour matrix M (out = M in, per pixel). Usually as a 1x1 convolution: on
 * wasm much cheaper than a batched matMul and free of wasm's slow channel broadcasts; on WebGL
 * about as fast as the alternative. On WebGPU as three broadcast multiply-adds of the channel
 * planes instead: there the 1x1 convolution (a [B*H*W,3]x[3,3] matMul) is several times
 * slower (docs/decisions/0005).
 */
export function colourMix(x: tf.Tensor4D, m: number[][], viaConv = tf.getBackend() !== 'webgpu'): tf.Tensor4D {
  if (viaConv) {
    const f: number[] = [];
    for (let i = 0; i < 3; i++) for (let o = 0; o < 3; o++) f.push(m[o][i]);
    return tf.conv2d(x, tf.tensor4d(f, [1, 1, 3, 3]), 1, 'valid');
  }
  const planes = tf.split(x, 3, 3);
  const col = (i: number) => tf.tensor4d([m[0][i], m[1][i], m[2][i]], [1, 1, 1, 3]);
  return tf.addN(planes.map((p, i) => tf.mul(p, col(i)))) as tf.Tensor4D;
}

const I3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
/** Every output channel = luma (so greyscale channels are exactly equal). */
const GREY = [LUMA, LUMA, LUMA];
/** J - I with J the mean over channels: the step from a colour to its grey-axis projection. */
const TO_AXIS = I3.map((row) => row.map((v) => 1 / 3 - v));
/** [k]x for k = (1,1,1)/sqrt(3): the cross product with the grey axis. */
const CROSS = [
  [0, -1, 1],
  [1, 0, -1],
  [-1, 1, 0],
].map((row) => row.map((v) => v / Math.sqrt(3)));

/**
 * Row-vector (out = in M^T) 3x3 matrix turning a colour by `turns` about the grey axis
 * (Rodrigues: M = I + (1 - cos)(J - I) + sin [k]x); positive turns take red towards green.
 * The engine applies the same rotation as two 1x1 convolutions; this is the reference.
 */
export function hueMatrixT(turns: number): number[] {
  const a = 2 * Math.PI * turns;
  const m = I3.map((row, o) => row.map((v, i) => v + (1 - Math.cos(a)) * TO_AXIS[o][i] + Math.sin(a) * CROSS[o][i]));
  return [0, 1, 2].flatMap((i) => [0, 1, 2].map((o) => m[o][i]));
}

/**
 * SimCLR colour jitter, torchvision's formulas in a fixed order (brightness, contrast,
 * saturation, hue), clipped after each; images not drawn for jitter get factors 1 and hue 0.
 */
function colorJitter(x: tf.Tensor4D, draws: ImageDraw[]): tf.Tensor4D {
  const on = (d: ImageDraw, v: number, off: number) => (d.jitter ? v : off);
  const b = perImage(draws.map((d) => on(d, d.brightness, 1)));
  const c = perImage(draws.map((d) => on(d, d.contrast, 1)));
  const s = perImage(draws.map((d) => on(d, 1 - d.saturation, 0)));
  let y = tf.clipByValue(tf.mul(x, b), 0, 1) as tf.Tensor4D;
  // Contrast: blend with the mean luma m: (y - m) c + m = y c + m (1 - c).
  const meanRgb = tf.mean(y, [1, 2], true);
  const m = tf.sum(tf.mul(meanRgb, tf.tensor4d(LUMA, [1, 1, 1, 3])), 3, true);
  y = tf.clipByValue(tf.add(tf.mul(y, c), tf.mul(m, tf.sub(1, c))), 0, 1) as tf.Tensor4D;
  // Saturation: blend with the luma: y s + g (1 - s) = y + (g - y)(1 - s).
  y = tf.clipByValue(tf.add(y, tf.mul(tf.sub(colourMix(y, GREY), y), s)), 0, 1) as tf.Tensor4D;
  if (draws.some((d) => d.jitter && d.hue !== 0)) {
    const turn = (f: (a: number) => number) => perImage(draws.map((d) => f(2 * Math.PI * (d.jitter ? d.hue : 0))));
    const toAxis = tf.mul(
      colourMix(y, TO_AXIS),
      turn((a) => 1 - Math.cos(a)),
    );
    const cross = tf.mul(colourMix(y, CROSS), turn(Math.sin));
    y = tf.clipByValue(tf.add(y, tf.add(toAxis, cross)), 0, 1) as tf.Tensor4D;
  }
  return y;
}

/** Random greyscale: selected images become their luma in all three channels. */
function randomGrey(x: tf.Tensor4D, draws: ImageDraw[]): tf.Tensor4D {
  const gm = perImage(draws.map((d) => (d.gray ? 1 : 0)));
  // gm is exactly 0 or 1, so this is exactly x or exactly the grey image.
  return tf.add(tf.mul(x, tf.sub(1, gm)), tf.mul(colourMix(x, GREY), gm)) as tf.Tensor4D;
}

/** Passes of the 3-tap blur kernel needed for sigmas up to maxSigma (each adds variance <= 2/3). */
function blurPasses(maxSigma: number): number {
  return Math.max(1, Math.ceil(1.5 * maxSigma * maxSigma));
}

/**
 * The effective 1-D blur kernel (radius = passes): `passes` convolutions of [a, 1 - 2a, a]
 * with a = sigma^2 / (2 passes), a discrete near-Gaussian with variance exactly sigma^2.
 */
export function blurKernel1d(sigma: number, maxSigma: number): number[] {
  const m = blurPasses(maxSigma);
  const a = (sigma * sigma) / (2 * m);
  let k = [1];
  for (let p = 0; p < m; p++) {
    const next = new Array(k.length + 2).fill(0);
    k.forEach((v, i) => {
      next[i] += a * v;
      next[i + 1] += (1 - 2 * a) * v;
      next[i + 2] += a * v;
    });
    k = next;
  }
  return k;
}

/**
 * Per-image Gaussian blur with reflect padding. The batch is folded into the channel axis
 * ([1,H,W,B*C]) so one depthwise convolution applies a different kernel to every image; the
 * Gaussian is built as repeated 3-tap passes with per-image variance sigma^2 / passes (central
 * limit: a near-Gaussian of exactly the drawn variance), because on wasm XNNPACK runs 1x3 and
 * 3x1 depthwise kernels much faster than one 1x11 kernel.
 */
function gaussianBlur(x: tf.Tensor4D, draws: ImageDraw[], maxSigma: number): tf.Tensor4D {
  const [n, h, w, ch] = x.shape;
  const m = Math.min(blurPasses(maxSigma), h - 1, w - 1);
  const bc = n * ch;
  const taps = new Float32Array(3 * bc);
  for (let i = 0; i < n; i++) {
    const sigma = draws[i].blur ? Math.min(draws[i].sigma, maxSigma) : 0;
    const a = Math.min(1 / 3, (sigma * sigma) / (2 * m));
    for (let c = 0; c < ch; c++) {
      taps[i * ch + c] = a;
      taps[bc + i * ch + c] = 1 - 2 * a;
      taps[2 * bc + i * ch + c] = a;
    }
  }
  const folded = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, h, w, bc]) as tf.Tensor4D;
  let y = tf.mirrorPad(
    folded,
    [
      [0, 0],
      [m, m],
      [m, m],
      [0, 0],
    ],
    'reflect',
  );
  const horiz = tf.tensor4d(taps, [1, 3, bc, 1]);
  const vert = tf.tensor4d(taps, [3, 1, bc, 1]);
  for (let p = 0; p < m; p++) y = tf.depthwiseConv2d(y, horiz, 1, 'valid');
  for (let p = 0; p < m; p++) y = tf.depthwiseConv2d(y, vert, 1, 'valid');
  return tf.transpose(tf.reshape(y, [h, w, n, ch]), [2, 0, 1, 3]) as tf.Tensor4D;
}

/**
 * Sets a square per selected image to the image's mean intensity. The mask comes from
 * comparisons of iota ranges: rows [1,H,1,1] and columns [1,1,W,C] against per-image bounds.
 */
function cutout(x: tf.Tensor4D, draws: ImageDraw[]): tf.Tensor4D {
  const [, h, w, ch] = x.shape;
  const half = (d: ImageDraw) => (d.cutout ? d.cutSide / 2 : 0);
  const y0 = perImage(draws.map((d) => d.cutY - half(d)));
  const y1 = perImage(draws.map((d) => d.cutY + half(d)));
  const x0 = perImage(draws.map((d) => d.cutX - half(d)));
  const x1 = perImage(draws.map((d) => d.cutX + half(d)));
  // Pixel centres i + 0.5; inside when y0 <= centre < y1 (and the same for columns).
  const rows = tf.reshape(tf.range(0.5, h, 1, 'float32'), [1, h, 1, 1]);
  const colCentres = new Float32Array(w * ch);
  for (let i = 0; i < w * ch; i++) colCentres[i] = Math.floor(i / ch) + 0.5;
  const cols = tf.tensor4d(colCentres, [1, 1, w, ch]);
  const inRows = tf.mul(tf.cast(tf.greaterEqual(rows, y0), 'float32'), tf.cast(tf.less(rows, y1), 'float32'));
  const inCols = tf.mul(tf.cast(tf.greaterEqual(cols, x0), 'float32'), tf.cast(tf.less(cols, x1), 'float32'));
  const mask = tf.mul(inRows, inCols); // [B,H,W,C], exactly 0 or 1
  const fill = tf.mean(x, [1, 2, 3], true);
  return tf.add(tf.mul(x, tf.sub(1, mask)), tf.mul(mask, fill)) as tf.Tensor4D;
}

/**
 * One augmented view of a batch (NHWC float32 in [0, 1], 1 or 3 channels): a new tensor of the
 * same shape, deterministic given the seed. All intermediates are freed.
 */
export function augmentBatch(images: tf.Tensor4D, params: AugmentParams, seed: number): tf.Tensor4D {
  const [n, h, w, ch] = images.shape;
  const rgb = ch === 3;
  const draws = drawImageParams(n, h, w, params, seed);
  return tf.tidy(() => {
    let x: tf.Tensor4D = images;

    // 1. Geometry: one bilinear resampling per image.
    if (params.cropMinScale < 1 || params.rotateMaxRad > 0 || params.translateMax > 0) {
      const transforms = tf.tensor2d(
        draws.flatMap((d) => affineTransform(d, h, w)),
        [n, 8],
        'float32',
      );
      // Grey images (MNIST) have a black background: fill with 0. Colour images repeat their
      // edge pixels, i.e. their own background colour (Shapes keeps a background-only border),
      // so the fill gives away nothing; free, unlike subtracting and adding a per-image colour.
      x = warpAffine(x, transforms, rgb ? 'nearest' : 'constant');
    }

    // 2. Colour (RGB only).
    if (rgb && (params.jitter > 0 || params.hueJitter > 0) && draws.some((d) => d.jitter)) {
      x = colorJitter(x, draws);
    }
    if (rgb && params.grayscaleProb > 0 && draws.some((d) => d.gray)) {
      x = randomGrey(x, draws);
    }

    // 3. Blur.
    if (draws.some((d) => d.blur)) x = gaussianBlur(x, draws, params.blurMaxSigma);

    // 4. Cutout.
    if (draws.some((d) => d.cutout)) x = cutout(x, draws);

    // 5. Noise, then clip.
    if (params.noiseStd > 0) {
      x = tf.add(
        x,
        tf.tensor4d(normals(n * h * w * ch, deriveSeed(seed, NOISE_STREAM), params.noiseStd), [n, h, w, ch]),
      );
    }
    return x === images ? tf.clone(images) : (tf.clipByValue(x, 0, 1) as tf.Tensor4D);
  });
}

/** The two views of a contrastive pair, from two seeds derived from `seed`. */
export function makeViews(images: tf.Tensor4D, params: AugmentParams, seed: number): [tf.Tensor4D, tf.Tensor4D] {
  return [augmentBatch(images, params, deriveSeed(seed, 1)), augmentBatch(images, params, deriveSeed(seed, 2))];
}
