// A drawing from the pad, prepared the way the dataset's own images were made, so the encoder
// sees a query from the distribution it was trained on. MNIST: the ink's bounding box scaled
// (aspect kept) into 20 x 20, anti-aliased, then placed in 28 x 28 by its centre of mass, as
// NIST's digits were normalised for MNIST. Shapes: the pad downscaled to 32 x 32, the ink
// blended from the background to the pen colour as the Shapes rasteriser blends coverage.
// Pure typed-array code: the page, the worker and Node tests all run it.

import type { Rgb } from './shapes';
import { DARK_BG, LIGHT_BG } from './shapes';

/** The pad's raster: ink coverage in [0, 1], row-major, width x height. */
export interface DrawingRaster {
  width: number;
  height: number;
  ink: Float32Array;
}

export const MNIST_SIDE = 28;
/** The box the ink's larger side is scaled to. */
export const MNIST_BOX = 20;
/** Where the centre of mass goes, in pixel indices (the dataset's images have theirs there). */
export const MNIST_CENTRE = 14;
export const SHAPES_SIDE = 32;
/** Coverage below this is anti-aliasing dust, not ink, for the bounding box. */
const INK_THRESHOLD = 0.05;

export interface PreparedDrawing {
  /** height * width * channels bytes, 0..255, in the dataset's format. */
  pixels: Uint8Array;
  /** No ink at all: the pixels are blank and the drawing says nothing yet. */
  empty: boolean;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The smallest box (x1, y1 exclusive) holding every pixel with ink; null when there is none. */
export function inkBox(r: DrawingRaster, threshold = INK_THRESHOLD): Box | null {
  let x0 = r.width,
    y0 = r.height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < r.height; y++) {
    const row = y * r.width;
    for (let x = 0; x < r.width; x++) {
      if (r.ink[row + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * The source rectangle [sx, sx + sw) x [sy, sy + sh) resampled to outW x outH by exact area
 * averaging: each output pixel is the mean of the source area it covers, partial pixels
 * weighted by their overlap. Downscaling anti-aliases; upscaling blends edges. Outside the
 * source (srcW x srcH) counts as no ink.
 */
export function resampleArea(
  src: Float32Array,
  srcW: number,
  sx: number,
  sy: number,
  sw: number,
  sh: number,
  outW: number,
  outH: number,
  srcH = Math.floor(src.length / srcW),
): Float32Array {
  const out = new Float32Array(outW * outH);
  const fx = sw / outW,
    fy = sh / outH;
  for (let oy = 0; oy < outH; oy++) {
    const ya = sy + oy * fy,
      yb = ya + fy;
    for (let ox = 0; ox < outW; ox++) {
      const xa = sx + ox * fx,
        xb = xa + fx;
      let sum = 0;
      for (let y = Math.max(0, Math.floor(ya)); y < Math.min(srcH, Math.ceil(yb)); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        if (wy <= 0) continue;
        for (let x = Math.max(0, Math.floor(xa)); x < Math.min(srcW, Math.ceil(xb)); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          if (wx > 0) sum += wx * wy * src[y * srcW + x];
        }
      }
      out[oy * outW + ox] = sum / (fx * fy);
    }
  }
  return out;
}

/** Centre of mass (pixel indices) of a w x h map; null when it holds nothing. */
export function centreOfMass(v: ArrayLike<number>, w: number, h: number): { x: number; y: number } | null {
  let m = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = v[y * w + x];
      m += a;
      mx += a * x;
      my += a * y;
    }
  }
  return m > 0 ? { x: mx / m, y: my / m } : null;
}

const toByte = (v: number): number => (v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255));

/**
 * MNIST's format: 28 x 28 x 1, white ink (255) on black (0). The ink's bounding box is scaled
 * so its larger side is 20 px, then shifted by whole pixels so the centre of mass lands on
 * (14, 14); a shift that would push ink out of the frame is held at the border instead.
 */
export function prepareMnistDrawing(r: DrawingRaster): PreparedDrawing {
  const pixels = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  const box = inkBox(r);
  if (!box) return { pixels, empty: true };
  const bw = box.x1 - box.x0,
    bh = box.y1 - box.y0;
  const scale = MNIST_BOX / Math.max(bw, bh);
  // Whole output pixels around the scaled box, the box centred in them, so a stroke's edge
  // that falls inside a pixel comes out grey (anti-aliased) rather than stretched to fit.
  const w = Math.max(1, Math.ceil(bw * scale - 1e-9)),
    h = Math.max(1, Math.ceil(bh * scale - 1e-9));
  const sw = w / scale,
    sh = h / scale;
  const patch = resampleArea(r.ink, r.width, box.x0 - (sw - bw) / 2, box.y0 - (sh - bh) / 2, sw, sh, w, h, r.height);
  const com = centreOfMass(patch, w, h);
  if (!com) return { pixels, empty: true };
  const clampOff = (v: number, size: number) => Math.min(MNIST_SIDE - size, Math.max(0, v));
  const ox = clampOff(Math.round(MNIST_CENTRE - com.x), w);
  const oy = clampOff(Math.round(MNIST_CENTRE - com.y), h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) pixels[(oy + y) * MNIST_SIDE + ox + x] = toByte(patch[y * w + x]);
  }
  return { pixels, empty: false };
}

/** The dataset's two kinds of background, each at the middle of its range of greys. */
export function shapesBackground(kind: 'dark' | 'light'): Rgb {
  const [lo, hi] = kind === 'dark' ? DARK_BG : LIGHT_BG;
  const g = Math.round((lo + hi) / 2);
  return [g, g, g];
}

/**
 * Shapes' format: 32 x 32 x 3. The pad's centred square (all of it when the pad is square) is
 * area-averaged to 32 x 32, and each pixel blended from the background to the pen colour by its
 * coverage, as renderShape blends a shape's edge. Where the shape sits and how big it is are
 * the user's: in Shapes both vary, and the encoder is meant to ignore them.
 */
export function prepareShapesDrawing(
  r: DrawingRaster,
  pen: Rgb,
  background: Rgb = shapesBackground('dark'),
): PreparedDrawing {
  const side = Math.min(r.width, r.height);
  const cov = resampleArea(
    r.ink,
    r.width,
    (r.width - side) / 2,
    (r.height - side) / 2,
    side,
    side,
    SHAPES_SIDE,
    SHAPES_SIDE,
  );
  const pixels = new Uint8Array(SHAPES_SIDE * SHAPES_SIDE * 3);
  let any = false;
  for (let p = 0; p < cov.length; p++) {
    const c = Math.min(1, Math.max(0, cov[p]));
    if (c > INK_THRESHOLD) any = true;
    for (let k = 0; k < 3; k++) pixels[p * 3 + k] = Math.round(background[k] + c * (pen[k] - background[k]));
  }
  return { pixels, empty: !any };
}
