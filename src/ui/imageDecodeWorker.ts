// Decodes a user's pictures off the main thread: a 12-megapixel JPEG takes longer to decode
// than a frame lasts, and a folder holds hundreds. Each file is sniffed by its bytes first,
// refused before decoding if its header says it is over the pixel limit, then decoded,
// centre-cropped and downscaled straight to the model's 32 x 32 RGB, so only 3 KB of it is
// kept. A GIF gives its first frame (createImageBitmap's rule).

import { IMAGE_KINDS, imageDimensions, sniffImage, SNIFF_BYTES, tooManyPixels } from '../core/imageSniff';
import { centreSquare, rgbaToRgb, USER_IMAGE_SIDE } from '../core/imagePixels';
import type { DecodeOutcome, DecodeReply, DecodeRequest } from './imageDecode';

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

function context(): OffscreenCanvasRenderingContext2D {
  if (!ctx) {
    canvas = new OffscreenCanvas(USER_IMAGE_SIDE, USER_IMAGE_SIDE);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('this browser gives no 2D canvas in a worker');
  }
  return ctx;
}

/** The bitmap's centred square at 32 x 32, as RGB bytes over white. */
async function toModelInput(bitmap: ImageBitmap): Promise<Uint8Array> {
  const { sx, sy, side } = centreSquare(bitmap.width, bitmap.height);
  const small = await createImageBitmap(bitmap, sx, sy, side, side, {
    resizeWidth: USER_IMAGE_SIDE,
    resizeHeight: USER_IMAGE_SIDE,
    resizeQuality: 'high',
  });
  try {
    const c = context();
    c.fillStyle = '#fff';
    c.fillRect(0, 0, USER_IMAGE_SIDE, USER_IMAGE_SIDE);
    c.drawImage(small, 0, 0);
    return rgbaToRgb(c.getImageData(0, 0, USER_IMAGE_SIDE, USER_IMAGE_SIDE).data);
  } finally {
    small.close();
  }
}

async function decodeOne(name: string, source: Blob | ImageBitmap): Promise<DecodeOutcome> {
  const fail = (message: string): DecodeOutcome => ({ name, ok: false, message });
  let bitmap: ImageBitmap;
  if (source instanceof Blob) {
    const head = new Uint8Array(await source.slice(0, SNIFF_BYTES).arrayBuffer());
    const sniffed = sniffImage(head, name, source.size);
    if (!sniffed.ok) return fail(sniffed.reason);
    const dims = imageDimensions(head, sniffed.kind);
    const tooBig = dims && tooManyPixels(dims.width, dims.height, name);
    if (tooBig) return fail(tooBig);
    try {
      bitmap = await createImageBitmap(source);
    } catch {
      return fail(`${name} could not be decoded: the ${IMAGE_KINDS[sniffed.kind].label} file is corrupt or cut short`);
    }
  } else {
    bitmap = source;
  }
  try {
    const tooBig = tooManyPixels(bitmap.width, bitmap.height, name);
    if (tooBig) return fail(tooBig);
    return { name, ok: true, pixels: await toModelInput(bitmap) };
  } catch (e) {
    return fail(`${name} could not be decoded: ${(e as Error).message}`);
  } finally {
    bitmap.close();
  }
}

self.onmessage = async (e: MessageEvent<DecodeRequest>) => {
  const { id, items } = e.data;
  const outcomes: DecodeOutcome[] = [];
  for (const item of items) outcomes.push(await decodeOne(item.name, item.source));
  const transfer = outcomes.flatMap((o) => (o.ok ? [o.pixels.buffer as ArrayBuffer] : []));
  (self as unknown as Worker).postMessage({ id, outcomes } satisfies DecodeReply, transfer);
};
