// PNG files made in Node for the image tests: a real encoder (signature, IHDR, zlib IDAT, IEND,
// each chunk with its CRC), so the browser decodes them as it would a user's files.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc(b: Buffer): number {
  let c = 0xffffffff;
  for (const v of b) c = CRC_TABLE[(c ^ v) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc(body), 8 + data.length);
  return out;
}

/** A w x h RGB PNG; `channel(x, y, k)` gives each pixel's channel k, in row order. */
export function encodePng(w: number, h: number, channel: (x: number, y: number, k: number) => number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let k = 0; k < 3; k++) raw[y * (1 + 3 * w) + 1 + 3 * x + k] = channel(x, y, k);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A w x h PNG of one RGB colour. */
export function solidPng(w: number, h: number, rgb: [number, number, number]): Buffer {
  return encodePng(w, h, (_x, _y, k) => rgb[k]);
}

/** A w x h PNG whose pixels are rgb with a little seeded noise (so no two images are the same). */
export function noisyPng(w: number, h: number, rgb: [number, number, number], seed: number): Buffer {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return encodePng(w, h, (_x, _y, k) => Math.max(0, Math.min(255, rgb[k] + Math.round((rand() - 0.5) * 60))));
}
