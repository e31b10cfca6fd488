import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { imageDimensions, looksLikeText, sniffImage, tooManyPixels, type ImageKind } from '../../src/core/imageSniff';
import { centreSquare, rgbaToRgb } from '../../src/core/imagePixels';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));
const be16 = (v: number) => [v >> 8, v & 255];
const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const le16 = (v: number) => [v & 255, v >> 8];
const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];

/** A real (tiny, valid) PNG: IHDR, one IDAT, IEND; CRCs are not checked by the sniffer. */
function png(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: number[]) => [
    ...be32(data.length),
    ...Array.from(type, (c) => c.charCodeAt(0)),
    ...data,
    0,
    0,
    0,
    0,
  ];
  const raw = new Uint8Array(height * (1 + width)); // filter byte + grey row
  return bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    chunk('IHDR', [...be32(width), ...be32(height), 8, 0, 0, 0, 0]),
    chunk('IDAT', Array.from(deflateSync(raw))),
    chunk('IEND', []),
  );
}

function jpeg(width: number, height: number, exifBytes = 16): Uint8Array {
  const app1 = [0xff, 0xe1, ...be16(exifBytes + 2), ...new Array(exifBytes).fill(0x41)];
  const sof = [0xff, 0xc2, ...be16(17), 8, ...be16(height), ...be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return bytes(
    [0xff, 0xd8],
    [0xff, 0xe0, 0, 16],
    'JFIF',
    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
    app1,
    [0xff, 0xc4, 0, 4, 0, 0],
    sof,
    [0xff, 0xd9],
  );
}

const gif = (w: number, h: number) => bytes('GIF89a', le16(w), le16(h), [0xf0, 0, 0], new Array(12).fill(0));
const bmp = (w: number, h: number) =>
  bytes(
    'BM',
    le32(70),
    [0, 0, 0, 0],
    le32(54),
    le32(40),
    le32(w),
    le32(h >>> 0),
    le16(1),
    le16(24),
    new Array(24).fill(0),
  );
const webpVp8x = (w: number, h: number) =>
  bytes(
    'RIFF',
    le32(30),
    'WEBP',
    'VP8X',
    le32(10),
    [0, 0, 0, 0],
    [(w - 1) & 255, ((w - 1) >> 8) & 255, (w - 1) >> 16],
    [(h - 1) & 255, ((h - 1) >> 8) & 255, (h - 1) >> 16],
  );
const webpVp8l = (w: number, h: number) =>
  bytes('RIFF', le32(30), 'WEBP', 'VP8L', le32(10), [0x2f], le32(((w - 1) | ((h - 1) << 14)) >>> 0), [0, 0, 0, 0, 0]);
const webpVp8 = (w: number, h: number) =>
  bytes('RIFF', le32(30), 'WEBP', 'VP8 ', le32(10), [0, 0, 0], [0x9d, 0x01, 0x2a], le16(w), le16(h), [0, 0]);

describe('sniffing images by their bytes', () => {
  const cases: [ImageKind, Uint8Array, number, number][] = [
    ['png', png(37, 23), 37, 23],
    ['jpeg', jpeg(4032, 3024), 4032, 3024],
    ['jpeg', jpeg(640, 480, 60_000), 640, 480],
    ['gif', gif(320, 200), 320, 200],
    ['bmp', bmp(64, 48), 64, 48],
    ['bmp', bmp(64, -48), 64, 48],
    ['webp', webpVp8x(5000, 3000), 5000, 3000],
    ['webp', webpVp8l(123, 77), 123, 77],
    ['webp', webpVp8(800, 600), 800, 600],
  ];
  it.each(cases)('recognises %s and reads its size from the header', (kind, b, w, h) => {
    expect(sniffImage(b, 'x')).toEqual({ ok: true, kind });
    expect(imageDimensions(b, kind)).toEqual({ width: w, height: h });
  });

  it('goes by content, not by name', () => {
    expect(sniffImage(png(2, 2), 'photo.jpg')).toEqual({ ok: true, kind: 'png' });
    const text = bytes('hello, this is not a picture\n');
    const r = sniffImage(text, 'notes.png');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('notes.png is a text file, not an image');
  });

  it('names the file and says why for empty, corrupt, SVG, PDF and HEIC files', () => {
    const reason = (b: Uint8Array, name: string, size?: number) => {
      const r = sniffImage(b, name, size);
      return r.ok ? null : r.reason;
    };
    expect(reason(new Uint8Array(0), 'empty.png')).toBe('empty.png is empty (0 bytes)');
    expect(reason(Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0xfe]), 'broken.png')).toMatch(
      /^broken\.png is not a JPEG, PNG, WebP, GIF or BMP image, or it is corrupt \(it starts 00 01 02 03 fe\)$/,
    );
    expect(reason(bytes('<?xml version="1.0"?><svg xmlns="x"></svg>'), 'logo.png')).toMatch(
      /^logo\.png is an SVG drawing/,
    );
    expect(reason(bytes('%PDF-1.7\n', [0xe2, 0xe3]), 'scan.jpg')).toBe('scan.jpg is a PDF, not an image');
    expect(reason(bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0]), 'IMG_1.HEIC')).toMatch(
      /^IMG_1\.HEIC is a HEIC\/AVIF photo/,
    );
    // A BMP-looking start with no known header size is not taken for a BMP.
    expect(reason(bytes('BM', new Array(20).fill(0x07)), 'b.bmp')).toMatch(/corrupt/);
  });

  it('returns null for a header cut short rather than a wrong size', () => {
    expect(imageDimensions(png(10, 10).subarray(0, 20), 'png')).toBeNull();
    expect(imageDimensions(jpeg(10, 10).subarray(0, 30), 'jpeg')).toBeNull();
  });

  it('tells text from binary', () => {
    expect(looksLikeText(bytes('a,b\r\n1,2\t3'))).toBe(true);
    expect(looksLikeText(png(1, 1))).toBe(false);
    expect(looksLikeText(new Uint8Array(0))).toBe(false);
  });
});

describe('the pixel limit', () => {
  it('refuses more than 50 megapixels, with the figure', () => {
    expect(tooManyPixels(8000, 6250, 'ok.jpg')).toBeNull(); // exactly 50
    expect(tooManyPixels(8000, 7000, 'big.jpg')).toBe(
      'big.jpg is 8,000 x 7,000 px (56.0 megapixels): images over 50 megapixels are refused',
    );
    expect(tooManyPixels(3000, 2000, 'a.png', 5)).toBe(
      'a.png is 3,000 x 2,000 px (6.0 megapixels): images over 5 megapixels are refused',
    );
  });
});

describe('pixel helpers', () => {
  it('crops the centred square', () => {
    expect(centreSquare(400, 300)).toEqual({ sx: 50, sy: 0, side: 300 });
    expect(centreSquare(300, 401)).toEqual({ sx: 0, sy: 50, side: 300 });
    expect(centreSquare(32, 32)).toEqual({ sx: 0, sy: 0, side: 32 });
  });

  it('drops alpha by compositing over white', () => {
    const rgb = rgbaToRgb(Uint8Array.from([10, 20, 30, 255, 0, 0, 0, 0, 100, 0, 200, 128]));
    expect(Array.from(rgb)).toEqual([
      10,
      20,
      30,
      255,
      255,
      255,
      Math.round((100 * 128) / 255 + (255 * 127) / 255),
      Math.round((255 * 127) / 255),
      Math.round((200 * 128) / 255 + (255 * 127) / 255),
    ]);
  });
});
