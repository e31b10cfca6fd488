// Loads the MNIST-10k asset built by scripts/build-mnist.mjs (public/data/mnist.bin).
// Layout (little-endian): 'MNST', u32 count, u8 height, u8 width, u8 channels, padding to
// 16 bytes, then count labels (u8), then count * height * width * channels pixel bytes.
// The file is gzip-compressed; a static host may already have decoded it (when it serves
// the file with Content-Encoding: gzip), so both forms are accepted. Works in a page, a
// Web Worker and Node 20 (fetch and DecompressionStream are globals in all three).

import type { Dataset } from './dataset';

export const MNIST_HEADER_BYTES = 16;
export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const MAGIC = [0x4d, 0x4e, 0x53, 0x54]; // 'MNST'

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function isGzip(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x1f, 0x8b]);
}

/** Parses the uncompressed asset. Throws an Error saying what is wrong with it. */
export function decodeMnist(bytes: Uint8Array): Dataset {
  if (bytes.length < MNIST_HEADER_BYTES || !startsWith(bytes, MAGIC)) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(
      `MNIST asset: bad header (expected magic 'MNST', got [${head}] in ${bytes.length} bytes); ` +
        'rebuild it with `npm run data`',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const height = bytes[8];
  const width = bytes[9];
  const channels = bytes[10];
  if (channels !== 1 && channels !== 3) {
    throw new Error(`MNIST asset: unsupported channel count ${channels}`);
  }
  if (count === 0 || height === 0 || width === 0) {
    throw new Error(`MNIST asset: empty (count ${count}, ${height}x${width})`);
  }
  const size = height * width * channels;
  const expected = MNIST_HEADER_BYTES + count + count * size;
  if (bytes.length !== expected) {
    throw new Error(
      `MNIST asset: size mismatch: header says ${count} images of ${height}x${width}x${channels} ` +
        `(${expected} bytes) but the asset has ${bytes.length} bytes`,
    );
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const l = bytes[MNIST_HEADER_BYTES + i];
    if (l > 9) throw new Error(`MNIST asset: label ${l} of image ${i} is not a digit`);
    labels[i] = l;
  }
  const start = MNIST_HEADER_BYTES + count;
  const pixels = bytes.subarray(start, start + count * size);
  return {
    id: 'mnist',
    height,
    width,
    channels: channels as 1 | 3,
    pixels,
    labels,
    classNames: MNIST_CLASS_NAMES.slice(),
    factors: [{ name: 'digit', classes: MNIST_CLASS_NAMES.slice(), values: labels }],
    count,
  };
}

/** Gunzips the asset if it is gzip; returns it as it is if it is already raw ('MNST'...). */
export async function decodeAsset(bytes: Uint8Array): Promise<Uint8Array> {
  if (startsWith(bytes, MAGIC)) return bytes;
  if (!isGzip(bytes)) {
    throw new Error(
      `MNIST asset: neither gzip nor a raw 'MNST' file (${bytes.length} bytes); ` +
        'is the URL right? rebuild it with `npm run data`',
    );
  }
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`MNIST asset: gzip decompression failed: ${(e as Error).message}`, { cause: e });
  }
}

/** Fetches, decompresses (if needed) and parses the asset. */
export async function loadMnist(url: string): Promise<Dataset> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`MNIST asset: fetching ${url} failed: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return decodeMnist(await decodeAsset(bytes));
}
