// What a user's file really is, from its first bytes (never its name: a text file renamed
// .png is still text), and how big its picture is from the header alone, so a 50-megapixel
// photo is refused before anything allocates its 200 MB of decoded pixels. Pure: the decode
// worker runs it on the head of each file, and Node tests run it on hand-made bytes.

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

export const IMAGE_KINDS: Record<ImageKind, { label: string; mime: string }> = {
  jpeg: { label: 'JPEG', mime: 'image/jpeg' },
  png: { label: 'PNG', mime: 'image/png' },
  webp: { label: 'WebP', mime: 'image/webp' },
  gif: { label: 'GIF', mime: 'image/gif' },
  bmp: { label: 'BMP', mime: 'image/bmp' },
};

/** How many leading bytes sniffing and the header's dimensions need: a JPEG's EXIF block
 *  (up to 64 KB) may come before the frame header that holds its size. */
export const SNIFF_BYTES = 128 * 1024;
export const MAX_MEGAPIXELS = 50;

export type Sniffed = { ok: true; kind: ImageKind } | { ok: false; reason: string };

const ascii = (b: Uint8Array, at: number, text: string): boolean => {
  if (b.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

const hex = (b: Uint8Array, n = 8): string =>
  Array.from(b.subarray(0, n), (v) => v.toString(16).padStart(2, '0')).join(' ');

/** True when the bytes read as text: no NULs or control codes besides tab, newlines, form feed and escape. */
export function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const v = b[i];
    if (v < 32 && v !== 9 && v !== 10 && v !== 12 && v !== 13 && v !== 27) return false;
    if (v === 127) return false;
  }
  return true;
}

/** The image kind by magic bytes, or why the file is not one the page can read (naming it). */
export function sniffImage(head: Uint8Array, name: string, size = head.length): Sniffed {
  if (size === 0) return { ok: false, reason: `${name} is empty (0 bytes)` };
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { ok: true, kind: 'jpeg' };
  if (head.length >= 8 && hex(head) === '89 50 4e 47 0d 0a 1a 0a') return { ok: true, kind: 'png' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return { ok: true, kind: 'webp' };
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return { ok: true, kind: 'gif' };
  if (ascii(head, 0, 'BM') && head.length >= 18 && [12, 40, 52, 56, 64, 108, 124].includes(u32le(head, 14))) {
    return { ok: true, kind: 'bmp' };
  }
  const supported = 'JPEG, PNG, WebP, GIF or BMP';
  if (ascii(head, 4, 'ftyp') && /^(heic|heix|mif1|msf1|avif)$/.test(String.fromCharCode(...head.subarray(8, 12)))) {
    return { ok: false, reason: `${name} is a HEIC/AVIF photo, which this page cannot read: save it as ${supported}` };
  }
  if (ascii(head, 0, '%PDF')) return { ok: false, reason: `${name} is a PDF, not an image` };
  if (looksLikeText(head)) {
    const svg = /<svg[\s>]/i.test(new TextDecoder().decode(head.subarray(0, 1024)));
    return {
      ok: false,
      reason: svg
        ? `${name} is an SVG drawing (text), not a ${supported} image`
        : `${name} is a text file, not an image`,
    };
  }
  return { ok: false, reason: `${name} is not a ${supported} image, or it is corrupt (it starts ${hex(head)})` };
}

function u16le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function u16be(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}
function u24le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
}
function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
function u32be(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** The picture's size from its header; null when the head is too short or the header is odd. */
export function imageDimensions(head: Uint8Array, kind: ImageKind): { width: number; height: number } | null {
  const dims = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : null);
  switch (kind) {
    case 'png':
      return head.length >= 24 && ascii(head, 12, 'IHDR') ? dims(u32be(head, 16), u32be(head, 20)) : null;
    case 'gif':
      return head.length >= 10 ? dims(u16le(head, 6), u16le(head, 8)) : null;
    case 'bmp': {
      if (head.length < 26) return null;
      if (u32le(head, 14) === 12) return dims(u16le(head, 18), u16le(head, 20));
      const h = u32le(head, 22) | 0; // negative: rows stored top-down
      return dims(u32le(head, 18) | 0, Math.abs(h));
    }
    case 'webp': {
      if (head.length < 30) return null;
      if (ascii(head, 12, 'VP8 ') && head[23] === 0x9d && head[24] === 0x01 && head[25] === 0x2a) {
        return dims(u16le(head, 26) & 0x3fff, u16le(head, 28) & 0x3fff);
      }
      if (ascii(head, 12, 'VP8L') && head[20] === 0x2f) {
        const bits = u32le(head, 21);
        return dims((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
      }
      if (ascii(head, 12, 'VP8X')) return dims(u24le(head, 24) + 1, u24le(head, 27) + 1);
      return null;
    }
    case 'jpeg': {
      // Walk the marker segments to the first start-of-frame (SOF0..SOF15 less DHT, JPG, DAC).
      let at = 2;
      while (at + 9 < head.length) {
        if (head[at] !== 0xff) return null;
        const marker = head[at + 1];
        if (marker === 0xff) {
          at++;
          continue;
        }
        if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
          at += 2;
          continue;
        }
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return dims(u16be(head, at + 7), u16be(head, at + 5));
        }
        if (marker === 0xda || marker === 0xd9) return null;
        at += 2 + u16be(head, at + 2);
      }
      return null;
    }
  }
}

/** Why an image of width x height is refused (too many pixels to decode), or null if it is fine. */
export function tooManyPixels(
  width: number,
  height: number,
  name: string,
  maxMegapixels = MAX_MEGAPIXELS,
): string | null {
  const mp = (width * height) / 1e6;
  if (mp <= maxMegapixels) return null;
  return (
    `${name} is ${width.toLocaleString('en')} x ${height.toLocaleString('en')} px (${mp.toFixed(1)} megapixels): ` +
    `images over ${maxMegapixels} megapixels are refused`
  );
}
