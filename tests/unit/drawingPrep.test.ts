import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeMnist } from '../../src/core/mnist';
import {
  centreOfMass,
  inkBox,
  MNIST_SIDE,
  prepareMnistDrawing,
  prepareShapesDrawing,
  resampleArea,
  shapesBackground,
  type DrawingRaster,
} from '../../src/core/drawingPrep';
import type { Rgb } from '../../src/core/shapes';

const PAD = 280;

function pad(size = PAD, h = size): DrawingRaster {
  return { width: size, height: h, ink: new Float32Array(size * h) };
}

/** Fills the axis-aligned rectangle [x0, x1) x [y0, y1) with ink. */
function rect(r: DrawingRaster, x0: number, y0: number, x1: number, y1: number, v = 1) {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) r.ink[y * r.width + x] = v;
}

function disc(r: DrawingRaster, cx: number, cy: number, rad: number) {
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++)
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= rad * rad) r.ink[y * r.width + x] = 1;
  }
}

/** Rows and columns of the 28 x 28 image that hold any ink. */
function extent(p: Uint8Array) {
  const rows = new Set<number>(),
    cols = new Set<number>();
  for (let y = 0; y < MNIST_SIDE; y++)
    for (let x = 0; x < MNIST_SIDE; x++)
      if (p[y * MNIST_SIDE + x] > 0) {
        rows.add(y);
        cols.add(x);
      }
  return { rows: [...rows].sort((a, b) => a - b), cols: [...cols].sort((a, b) => a - b) };
}

describe('MNIST preparation of a drawing', () => {
  it('scales a vertical bar to 20 px tall, keeps its aspect, and centres it by mass', () => {
    const r = pad();
    rect(r, 200, 40, 220, 240); // 20 wide, 200 tall, far right of the pad
    const { pixels, empty } = prepareMnistDrawing(r);
    expect(empty).toBe(false);
    const { rows, cols } = extent(pixels);
    expect(rows.length).toBe(20);
    expect(rows[rows.length - 1] - rows[0]).toBe(19); // contiguous
    expect(cols.length).toBe(2); // 20 px wide at a tenth of the scale
    const com = centreOfMass(pixels, MNIST_SIDE, MNIST_SIDE)!;
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...pixels)).toBe(255);
  });

  it('moves an off-centre dot to the centre', () => {
    const r = pad();
    disc(r, 30, 250, 10);
    const { pixels, empty } = prepareMnistDrawing(r);
    expect(empty).toBe(false);
    const com = centreOfMass(pixels, MNIST_SIDE, MNIST_SIDE)!;
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    // Scaled up to the 20 px box like any other drawing.
    expect(extent(pixels).rows.length).toBeGreaterThanOrEqual(19);
  });

  it('centres by the centre of mass, not by the bounding box', () => {
    // An L: the upright holds most of the mass, so it sits left of and below the box's middle.
    const r = pad();
    rect(r, 40, 40, 60, 240);
    rect(r, 40, 220, 140, 240);
    const { pixels } = prepareMnistDrawing(r);
    const com = centreOfMass(pixels, MNIST_SIDE, MNIST_SIDE)!;
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
    const { rows, cols } = extent(pixels);
    const boxMidY = (rows[0] + rows[rows.length - 1]) / 2;
    const boxMidX = (cols[0] + cols[cols.length - 1]) / 2;
    expect(boxMidY).toBeLessThan(13); // the box sits up and right so the mass is centred
    expect(boxMidX).toBeGreaterThan(15);
  });

  it('keeps all the ink in the frame when centring by mass would push it out', () => {
    // A T upside down with a heavy base: centring its mass would move the box 3 px down.
    const r = pad();
    rect(r, 130, 0, 150, 200);
    rect(r, 0, 200, 280, 280);
    const { pixels } = prepareMnistDrawing(r);
    const { rows } = extent(pixels);
    expect(rows[0]).toBe(0); // held at the top border instead
    expect(rows.length).toBe(20);
  });

  it('gives anti-aliased grey edges when a stroke does not fill whole pixels', () => {
    const r = pad();
    rect(r, 100, 35, 113, 235); // 13 px wide at a tenth: 1.3 px
    const { pixels } = prepareMnistDrawing(r);
    const values = new Set(pixels);
    expect([...values].some((v) => v > 0 && v < 255)).toBe(true);
  });

  it('handles an empty drawing and ink too faint to count', () => {
    const blank = prepareMnistDrawing(pad());
    expect(blank.empty).toBe(true);
    expect(blank.pixels.length).toBe(784);
    expect(blank.pixels.every((v) => v === 0)).toBe(true);
    const faint = pad();
    rect(faint, 10, 10, 50, 50, 0.01);
    expect(prepareMnistDrawing(faint).empty).toBe(true);
  });

  it('works on a non-square pad and a pad smaller than the box', () => {
    const r = pad(12, 8);
    rect(r, 5, 1, 7, 7); // 2 x 6 px: scaled up to 20 tall
    const { pixels, empty } = prepareMnistDrawing(r);
    expect(empty).toBe(false);
    expect(extent(pixels).rows.length).toBe(20);
  });
});

describe('MNIST preparation matches how MNIST was made', () => {
  it("gives MNIST's own digits back as they are", () => {
    const root = resolve(__dirname, '../..');
    const asset = resolve(root, 'public/data/mnist.bin');
    if (!existsSync(asset))
      execFileSync(process.execPath, [resolve(root, 'scripts/build-mnist.mjs')], { cwd: root, stdio: 'pipe' });
    const d = decodeMnist(new Uint8Array(gunzipSync(readFileSync(asset))));
    // Every 50th digit, its pixels taken as a drawing: already normalised, so it should come back unchanged.
    let diff = 0,
      mass = 0;
    for (let i = 0; i < d.count; i += 50) {
      const img = d.pixels.subarray(i * 784, (i + 1) * 784);
      const out = prepareMnistDrawing({ width: 28, height: 28, ink: Float32Array.from(img, (v) => v / 255) }).pixels;
      for (let k = 0; k < 784; k++) {
        diff += Math.abs(out[k] - img[k]);
        mass += img[k];
      }
    }
    expect(diff / mass).toBeLessThan(0.01);
  });
});

describe('Shapes preparation of a drawing', () => {
  const pen: Rgb = [200, 40, 60];

  it('blends from the background to the pen colour by coverage, keeping the placement', () => {
    const r = pad();
    rect(r, 0, 0, 140, 280); // the left half of the pad
    const bg = shapesBackground('light');
    const { pixels, empty } = prepareShapesDrawing(r, pen, bg);
    expect(empty).toBe(false);
    expect(pixels.length).toBe(32 * 32 * 3);
    const at = (x: number, y: number) => Array.from(pixels.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3));
    expect(at(3, 10)).toEqual(pen);
    expect(at(28, 10)).toEqual(bg);
  });

  it('gives the background alone for an empty pad', () => {
    const bg = shapesBackground('dark');
    const { pixels, empty } = prepareShapesDrawing(pad(), pen, bg);
    expect(empty).toBe(true);
    for (let p = 0; p < 32 * 32; p++) expect([pixels[p * 3], pixels[p * 3 + 1], pixels[p * 3 + 2]]).toEqual(bg);
  });

  it('uses the centred square of a wide pad', () => {
    const r = pad(320, 280);
    rect(r, 0, 0, 20, 280); // only in the strip left of the centred square
    expect(prepareShapesDrawing(r, pen).empty).toBe(true);
  });
});

describe('helpers', () => {
  it('finds the ink box', () => {
    const r = pad(10);
    rect(r, 2, 3, 5, 9);
    expect(inkBox(r)).toEqual({ x0: 2, y0: 3, x1: 5, y1: 9 });
    expect(inkBox(pad(10))).toBeNull();
  });

  it('keeps the mean when resampling by area', () => {
    const src = new Float32Array(40 * 40).map((_, i) => ((i * 37) % 11) / 10);
    const out = resampleArea(src, 40, 0, 0, 40, 40, 7, 7);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 5);
  });
});
