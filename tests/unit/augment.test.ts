import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AugmentParams,
  AugmentSettings,
  MNIST_AUGMENTS,
  SHAPES_AUGMENTS,
  augmentParams,
} from '../../src/core/augmentSettings';
import { Rng, deriveSeed } from '../../src/core/rng';
import { affineTransform, drawImageParams } from '../../src/core/augmentDraws';
import { normals } from '../../src/core/normals';
import {
  augmentBatch,
  blurKernel1d,
  colourMix,
  hueMatrixT,
  makeViews,
  warpAffine,
} from '../../src/engine/augmentBatch';
import { useBackend } from './support/wasmBackend';

const NONE: AugmentParams = {
  cropMinScale: 1,
  rotateMaxRad: 0,
  translateMax: 0,
  noiseStd: 0,
  blurMaxSigma: 0,
  blurProb: 0,
  cutoutMaxSide: 0,
  cutoutProb: 0,
  jitter: 0,
  hueJitter: 0,
  grayscaleProb: 0,
};
const only = (p: Partial<AugmentParams>): AugmentParams => ({ ...NONE, ...p });

/** Everything on at full strength. */
const ALL_ON: AugmentSettings = {
  crop: { on: true, strength: 1 },
  rotate: { on: true, strength: 1 },
  translate: { on: true, strength: 1 },
  noise: { on: true, strength: 1 },
  blur: { on: true, strength: 1 },
  cutout: { on: true, strength: 1 },
  colorJitter: { on: true, strength: 1 },
  grayscale: { on: true, strength: 1 },
};

/** Random smooth-ish images in [0,1]: NHWC. */
function randomImages(n: number, h: number, w: number, c: number, seed = 7): Float32Array {
  const r = new Rng(seed);
  const a = new Float32Array(n * h * w * c);
  for (let i = 0; i < a.length; i++) a[i] = r.random();
  return a;
}

/** A filled disc of radius rad at (cy, cx) in every image of a 1-channel batch. */
function discs(n: number, size: number, cy: number, cx: number, rad: number): Float32Array {
  const a = new Float32Array(n * size * size);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        if ((y + 0.5 - cy) ** 2 + (x + 0.5 - cx) ** 2 <= rad * rad) a[b * size * size + y * size + x] = 1;
  return a;
}

function run(
  data: Float32Array,
  shape: [number, number, number, number],
  p: AugmentParams,
  seed: number,
): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(data, shape);
    return augmentBatch(x, p, seed).dataSync() as Float32Array;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Centre of mass (y, x) of image b of a 1-channel batch. */
function centreOfMass(a: Float32Array, b: number, size: number): [number, number] {
  let m = 0,
    my = 0,
    mx = 0;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const v = a[b * size * size + y * size + x];
      m += v;
      my += v * (y + 0.5);
      mx += v * (x + 0.5);
    }
  return [my / m, mx / m];
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('augmentBatch on cpu', () => {
  it('is the identity with every augmentation off, and returns a new tensor', () => {
    for (const c of [1, 3]) {
      const data = randomImages(4, 12, 12, c);
      const x = tf.tensor4d(data, [4, 12, 12, c]);
      const y = augmentBatch(x, NONE, 3);
      expect(y).not.toBe(x);
      expect(y.shape).toEqual(x.shape);
      expect(maxAbsDiff(y.dataSync(), data)).toBe(0);
      // Strength 0 through the settings mapping is the same as off.
      const zero = structuredClone(ALL_ON);
      for (const k of Object.keys(zero) as (keyof AugmentSettings)[]) zero[k].strength = 0;
      const z = augmentBatch(x, augmentParams(zero), 3);
      expect(maxAbsDiff(z.dataSync(), data)).toBeLessThanOrEqual(1e-6);
      tf.dispose([x, y, z]);
    }
  });

  it('same seed gives the same view, another seed another view; shape kept, range [0,1]', () => {
    for (const [c, settings] of [
      [1, MNIST_AUGMENTS],
      [3, SHAPES_AUGMENTS],
      [3, ALL_ON],
      [1, ALL_ON],
    ] as const) {
      const data = randomImages(4, 12, 12, c);
      const p = augmentParams(settings);
      const a = run(data, [4, 12, 12, c], p, 11);
      const b = run(data, [4, 12, 12, c], p, 11);
      const d = run(data, [4, 12, 12, c], p, 12);
      expect(a.length).toBe(data.length);
      expect(maxAbsDiff(a, b)).toBe(0);
      expect(maxAbsDiff(a, d)).toBeGreaterThan(0.05);
      expect(maxAbsDiff(a, data)).toBeGreaterThan(0.05);
      for (const v of a) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  it('makeViews gives two different, reproducible views', () => {
    const x = tf.tensor4d(randomImages(4, 12, 12, 3), [4, 12, 12, 3]);
    const p = augmentParams(SHAPES_AUGMENTS);
    const [v1, v2] = makeViews(x, p, 5);
    const [w1, w2] = makeViews(x, p, 5);
    expect(maxAbsDiff(v1.dataSync(), w1.dataSync())).toBe(0);
    expect(maxAbsDiff(v2.dataSync(), w2.dataSync())).toBe(0);
    expect(maxAbsDiff(v1.dataSync(), v2.dataSync())).toBeGreaterThan(0.05);
    expect(maxAbsDiff(v1.dataSync(), run(randomImages(4, 12, 12, 3), [4, 12, 12, 3], p, deriveSeed(5, 1)))).toBe(0);
    tf.dispose([x, v1, v2, w1, w2]);
  });

  it('leaks no tensors', () => {
    const x = tf.tensor4d(randomImages(4, 12, 12, 3), [4, 12, 12, 3]);
    const p = augmentParams(ALL_ON);
    p.blurProb = 1;
    p.cutoutProb = 1;
    augmentBatch(x, p, 1).dispose(); // warm-up: kernels may cache on first use
    const before = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) augmentBatch(x, p, s).dispose();
    const [a, b] = makeViews(x, p, 9);
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('geometry', () => {
  it('a 90 degree turn is a counter-clockwise quarter turn of the pixel grid', () => {
    const n = 12;
    const data = randomImages(2, n, n, 1, 3);
    const T = affineTransform({ cropW: 1, cropH: 1, cropX: 0, cropY: 0, theta: Math.PI / 2, tx: 0, ty: 0 }, n, n);
    const out = tf.tidy(() =>
      warpAffine(tf.tensor4d(data, [2, n, n, 1]), tf.tensor2d([...T, ...T], [2, 8])).dataSync(),
    );
    // Content at (row r, col c) moves to (n - 1 - c, r): what was on the right goes to the top.
    const expected = new Float32Array(data.length);
    for (let b = 0; b < 2; b++)
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++) expected[b * n * n + (n - 1 - c) * n + r] = data[b * n * n + r * n + c];
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-5);
  });

  it('rotation-only views are the drawn angles (within the limit) applied per image', () => {
    const p = only({ rotateMaxRad: 0.5 });
    const data = randomImages(4, 12, 12, 1);
    const out = run(data, [4, 12, 12, 1], p, 21);
    const draws = drawImageParams(4, 12, 12, p, 21);
    const angles = draws.map((d) => d.theta);
    for (const a of angles) expect(Math.abs(a)).toBeLessThanOrEqual(0.5);
    expect(new Set(angles).size).toBe(4);
    // Each image on its own, through the same warp.
    for (let b = 0; b < 4; b++) {
      const one = tf.tidy(() =>
        warpAffine(
          tf.tensor4d(data.slice(b * 144, (b + 1) * 144), [1, 12, 12, 1]),
          tf.tensor2d(affineTransform(draws[b], 12, 12), [1, 8]),
        ).dataSync(),
      );
      expect(maxAbsDiff(out.slice(b * 144, (b + 1) * 144), one)).toBeLessThan(1e-6);
    }
  });

  it('a pure translation moves the centre of mass by the drawn shift', () => {
    const size = 20;
    const p = only({ translateMax: 0.2 });
    const data = discs(4, size, 10, 10, 3);
    const out = run(data, [4, size, size, 1], p, 4);
    const draws = drawImageParams(4, size, size, p, 4);
    for (let b = 0; b < 4; b++) {
      const [y0, x0] = centreOfMass(data, b, size);
      const [y1, x1] = centreOfMass(out, b, size);
      expect(Math.abs(draws[b].tx)).toBeLessThanOrEqual(4);
      expect(x1 - x0).toBeCloseTo(draws[b].tx, 1);
      expect(y1 - y0).toBeCloseTo(draws[b].ty, 1);
    }
  });

  it('a crop zooms in: a horizontal ramp gets shallower by the crop width, and a disc grows', () => {
    const size = 16;
    const p = only({ cropMinScale: 0.3 });
    const ramp = new Float32Array(4 * size * size);
    for (let i = 0; i < ramp.length; i++) ramp[i] = ((i % size) + 0.5) / size;
    const out = run(ramp, [4, size, size, 1], p, 8);
    const draws = drawImageParams(4, size, size, p, 8);
    for (let b = 0; b < 4; b++) {
      const d = draws[b];
      expect(d.cropW * d.cropH).toBeGreaterThanOrEqual(0.3 - 1e-9);
      expect(d.cropW * d.cropH).toBeLessThanOrEqual(1);
      expect(d.cropW / d.cropH).toBeGreaterThanOrEqual(3 / 4 - 1e-9);
      expect(d.cropW / d.cropH).toBeLessThanOrEqual(4 / 3 + 1e-9);
      // Interior pixels (no fill): f = (x_in + 0.5) / W with x_in the sampled position.
      for (let y = 1; y < size - 1; y++)
        for (let x = 1; x < size - 1; x++) {
          const xin = d.cropW * (x + 0.5 - size / 2) + d.cropX + size / 2 - 0.5;
          expect(out[b * size * size + y * size + x]).toBeCloseTo((xin + 0.5) / size, 4);
        }
    }
    // A centred disc that the crop box contains covers more pixels after the crop.
    const disc = discs(4, size, 8, 8, 2);
    const zoomed = run(disc, [4, size, size, 1], p, 8);
    const mass = (a: Float32Array, b: number) =>
      a.slice(b * size * size, (b + 1) * size * size).reduce((s, v) => s + v, 0);
    for (let b = 0; b < 4; b++) {
      const d = draws[b];
      const contained =
        Math.abs(d.cropX) + 2.5 < (d.cropW * size) / 2 && Math.abs(d.cropY) + 2.5 < (d.cropH * size) / 2;
      if (contained) expect(mass(zoomed, b)).toBeCloseTo(mass(disc, b) / (d.cropW * d.cropH), -0.5);
    }
  });

  it('colour images are filled with their edge (background) colour, grey ones with black', () => {
    const size = 12;
    const bg = [0.2, 0.6, 0.9],
      fg = [0.9, 0.1, 0.3];
    const rgb = new Float32Array(4 * size * size * 3);
    for (let b = 0; b < 4; b++)
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const inside = y >= 4 && y < 8 && x >= 4 && x < 8;
          for (let c = 0; c < 3; c++) rgb[((b * size + y) * size + x) * 3 + c] = inside ? fg[c] : bg[c];
        }
    const p = only({ rotateMaxRad: Math.PI / 4, translateMax: 0.1 });
    const out = run(rgb, [4, size, size, 3], p, 2);
    expect(maxAbsDiff(out, rgb)).toBeGreaterThan(0.1); // it did move
    for (let b = 0; b < 4; b++)
      for (const [y, x] of [
        [0, 0],
        [0, size - 1],
        [size - 1, 0],
        [size - 1, size - 1],
      ])
        for (let c = 0; c < 3; c++) expect(out[((b * size + y) * size + x) * 3 + c]).toBeCloseTo(bg[c], 5);
    const grey = new Float32Array(2 * size * size).fill(0.5);
    const g = run(grey, [2, size, size, 1], p, 2);
    expect(Math.min(...g)).toBeLessThan(0.01);
  });
});

describe('colour', () => {
  it('colour jitter and greyscale leave 1-channel images alone', () => {
    const data = randomImages(4, 12, 12, 1);
    const out = run(data, [4, 12, 12, 1], only({ jitter: 0.8, hueJitter: 0.2, grayscaleProb: 1 }), 5);
    expect(maxAbsDiff(out, data)).toBe(0);
  });

  it('greyscale gives equal channels', () => {
    const data = randomImages(4, 12, 12, 3);
    const out = run(data, [4, 12, 12, 3], only({ grayscaleProb: 1 }), 5);
    for (let i = 0; i < out.length; i += 3) {
      expect(out[i]).toBe(out[i + 1]);
      expect(out[i]).toBe(out[i + 2]);
      expect(out[i]).toBeCloseTo(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2], 5);
    }
  });

  it('colour jitter changes colour images but keeps grey pixels grey', () => {
    const data = randomImages(8, 12, 12, 3);
    const p = only({ jitter: 0.8, hueJitter: 0.2 });
    const out = run(data, [8, 12, 12, 3], p, 6);
    const draws = drawImageParams(8, 12, 12, p, 6);
    const per = 12 * 12 * 3;
    for (let b = 0; b < 8; b++) {
      const diff = maxAbsDiff(out.slice(b * per, (b + 1) * per), data.slice(b * per, (b + 1) * per));
      if (draws[b].jitter) expect(diff).toBeGreaterThan(0.01);
      else expect(diff).toBeLessThan(1e-6);
    }
    expect(draws.filter((d) => d.jitter).length).toBeGreaterThan(0);
    const grey = new Float32Array(4 * 12 * 12 * 3);
    const r = new Rng(1);
    for (let i = 0; i < grey.length; i += 3) grey[i] = grey[i + 1] = grey[i + 2] = r.random();
    const g = run(grey, [4, 12, 12, 3], p, 6);
    for (let i = 0; i < g.length; i += 3) {
      expect(Math.abs(g[i] - g[i + 1])).toBeLessThan(1e-5);
      expect(Math.abs(g[i] - g[i + 2])).toBeLessThan(1e-5);
    }
  });

  it('hue jitter turns each image by its drawn angle about the grey axis', () => {
    const n = 6;
    const px = [0.8, 0.3, 0.1];
    const data = new Float32Array(n * 4 * 4 * 3);
    for (let i = 0; i < data.length; i += 3) data.set(px, i);
    const p = only({ hueJitter: 0.2 });
    const out = run(data, [n, 4, 4, 3], p, 23);
    const draws = drawImageParams(n, 4, 4, p, 23);
    for (let b = 0; b < n; b++) {
      const d = draws[b];
      const m = hueMatrixT(d.jitter ? d.hue : 0);
      const want = [0, 1, 2].map((j) => Math.min(1, Math.max(0, px[0] * m[j] + px[1] * m[3 + j] + px[2] * m[6 + j])));
      for (let c = 0; c < 3; c++) expect(out[b * 48 + c]).toBeCloseTo(want[c], 5);
    }
  });

  it('colour mixing gives the same result as a convolution and as channel planes', () => {
    const m = [
      [0.2, 0.5, -0.1],
      [0.7, 0.1, 0.3],
      [-0.4, 0.9, 0.6],
    ];
    const data = randomImages(2, 5, 5, 3);
    const [a, b] = tf.tidy(() => {
      const x = tf.tensor4d(data, [2, 5, 5, 3]);
      return [colourMix(x, m, true).dataSync(), colourMix(x, m, false).dataSync()];
    });
    for (let i = 0; i < data.length; i += 3)
      for (let o = 0; o < 3; o++) {
        const want = m[o][0] * data[i] + m[o][1] * data[i + 1] + m[o][2] * data[i + 2];
        expect(a[i + o]).toBeCloseTo(want, 5);
        expect(b[i + o]).toBeCloseTo(want, 5);
      }
  });

  it('a third of a turn of hue takes red to green and green to blue', () => {
    const m = hueMatrixT(1 / 3); // row-vector form: out = in M^T
    const apply = (v: number[]) => [0, 1, 2].map((j) => v[0] * m[j] + v[1] * m[3 + j] + v[2] * m[6 + j]);
    apply([1, 0, 0]).forEach((v, j) => expect(v).toBeCloseTo([0, 1, 0][j], 6));
    apply([0, 1, 0]).forEach((v, j) => expect(v).toBeCloseTo([0, 0, 1][j], 6));
  });
});

describe('blur, cutout, noise', () => {
  it('blur applies each image its own Gaussian, with reflected edges', () => {
    const size = 15;
    const data = new Float32Array(4 * size * size);
    for (let b = 0; b < 4; b++) data[b * size * size + 7 * size + 7] = 1; // an impulse in the middle
    const p = only({ blurProb: 1, blurMaxSigma: 1.5 });
    const out = run(data, [4, size, size, 1], p, 13);
    const draws = drawImageParams(4, size, size, p, 13);
    expect(new Set(draws.map((d) => d.sigma)).size).toBe(4);
    for (let b = 0; b < 4; b++) {
      const s = draws[b].sigma;
      expect(draws[b].blur).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0.1);
      expect(s).toBeLessThanOrEqual(1.5);
      const g = blurKernel1d(s, 1.5);
      const r = (g.length - 1) / 2;
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const dy = Math.abs(y - 7),
            dx = Math.abs(x - 7);
          const want = dy <= r && dx <= r ? g[dy + r] * g[dx + r] : 0;
          expect(out[b * size * size + y * size + x]).toBeCloseTo(want, 5);
        }
    }
    // Reflect padding: a constant image stays constant (no dark rim).
    const flat = run(new Float32Array(4 * size * size).fill(0.7), [4, size, size, 1], p, 13);
    expect(maxAbsDiff(flat, new Float32Array(flat.length).fill(0.7))).toBeLessThan(1e-5);
  });

  it('the blur kernel is a near-Gaussian with exactly the drawn variance', () => {
    for (const sigma of [0.1, 0.3, 0.5, 0.8, 1, 1.2, 1.5]) {
      const k = blurKernel1d(sigma, 1.5);
      const r = (k.length - 1) / 2;
      expect(r).toBe(4); // 4 passes of 3 taps for sigmas up to 1.5
      expect(k.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
      expect(k.reduce((a, v, i) => a + v * (i - r) ** 2, 0)).toBeCloseTo(sigma * sigma, 12);
      for (let i = 0; i < r; i++) {
        expect(k[i]).toBeCloseTo(k[k.length - 1 - i], 12); // symmetric
        expect(k[i]).toBeLessThanOrEqual(k[i + 1]); // unimodal
        expect(k[i]).toBeGreaterThanOrEqual(0);
      }
      if (sigma >= 0.5) {
        // Within 0.06 of the sampled Gaussian (worst near sigma 0.8, where it is peakier).
        for (let i = -r; i <= r; i++) {
          const gauss = Math.exp(-(i * i) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
          expect(Math.abs(k[i + r] - gauss)).toBeLessThan(0.06);
        }
      }
    }
  });

  it('cutout sets the drawn square to the mean intensity of the image and nothing else', () => {
    const size = 16;
    const data = randomImages(6, size, size, 3);
    const p = only({ cutoutProb: 1, cutoutMaxSide: 0.5 });
    const out = run(data, [6, size, size, 3], p, 17);
    const draws = drawImageParams(6, size, size, p, 17);
    const per = size * size * 3;
    let blanked = 0;
    for (let b = 0; b < 6; b++) {
      const d = draws[b];
      expect(d.cutSide).toBeLessThanOrEqual(8);
      let mean = 0;
      for (let i = 0; i < per; i++) mean += data[b * per + i] / per;
      const rows: number[] = [],
        cols: number[] = [];
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const inside = Math.abs(y + 0.5 - d.cutY) <= d.cutSide / 2 && Math.abs(x + 0.5 - d.cutX) <= d.cutSide / 2;
          for (let c = 0; c < 3; c++) {
            const i = b * per + (y * size + x) * 3 + c;
            expect(out[i]).toBeCloseTo(inside ? mean : data[i], 5);
          }
          if (inside) {
            rows.push(y);
            cols.push(x);
            blanked++;
          }
        }
      if (rows.length) {
        // A square, unless the image edge cuts it.
        const h = Math.max(...rows) - Math.min(...rows) + 1,
          w = Math.max(...cols) - Math.min(...cols) + 1;
        expect(rows.length).toBe(h * w);
        const clipped =
          d.cutY - d.cutSide / 2 < 0 ||
          d.cutY + d.cutSide / 2 > size ||
          d.cutX - d.cutSide / 2 < 0 ||
          d.cutX + d.cutSide / 2 > size;
        if (!clipped) expect(Math.abs(h - w)).toBeLessThanOrEqual(1);
      }
    }
    expect(blanked).toBeGreaterThan(10);
  });

  it('noise has the set standard deviation on a grey image', () => {
    const data = new Float32Array(4 * 28 * 28).fill(0.5);
    const out = run(data, [4, 28, 28, 1], only({ noiseStd: 0.1 }), 19);
    let s = 0,
      s2 = 0;
    for (const v of out) {
      s += v - 0.5;
      s2 += (v - 0.5) ** 2;
    }
    const mean = s / out.length;
    const std = Math.sqrt(s2 / out.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.095);
    expect(std).toBeLessThan(0.105);
  });

  it('the noise generator is standard normal and reproducible', () => {
    const z = normals(200_001, 3);
    expect(z.length).toBe(200_001);
    expect(Array.from(normals(1000, 3))).toEqual(Array.from(z.slice(0, 1000)));
    let s = 0,
      s2 = 0,
      in1 = 0,
      in2 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
      if (Math.abs(v) < 1) in1++;
      if (Math.abs(v) < 2) in2++;
    }
    expect(Math.abs(s / z.length)).toBeLessThan(0.01);
    expect(s2 / z.length).toBeCloseTo(1, 1);
    expect(in1 / z.length).toBeCloseTo(0.6827, 2);
    expect(in2 / z.length).toBeCloseTo(0.9545, 2);
  });
});

describe('wasm backend (proves every op exists there)', () => {
  let ok = false;
  beforeAll(async () => {
    ok = await useBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches the cpu backend to 1e-4 with everything on', async () => {
    expect(ok).toBe(true);
    const cases: [number, number, AugmentParams][] = [
      [1, 28, { ...augmentParams(ALL_ON), blurProb: 1, cutoutProb: 1 }],
      [3, 16, { ...augmentParams(ALL_ON), blurProb: 1, cutoutProb: 1 }],
      [1, 28, augmentParams(MNIST_AUGMENTS)],
      [3, 16, augmentParams(SHAPES_AUGMENTS)],
    ];
    for (const [c, size, p] of cases) {
      const data = randomImages(4, size, size, c, 31);
      const shape: [number, number, number, number] = [4, size, size, c];
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const w = run(data, shape, p, 41);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('cpu');
      const cpu = run(data, shape, p, 41);
      expect(maxAbsDiff(w, cpu)).toBeLessThan(1e-4);
    }
  });
});
