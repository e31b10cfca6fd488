// The pixel arithmetic of bringing a user's picture to the model's input: which centred
// square to crop, and RGBA (what a canvas gives) to the dataset's RGB bytes. Pure, so the
// decode worker and Node tests share it.

export const USER_IMAGE_SIDE = 32;
export const USER_IMAGE_BYTES = USER_IMAGE_SIDE * USER_IMAGE_SIDE * 3;

/** The largest centred square of a width x height picture: the crop the model sees. */
export function centreSquare(width: number, height: number): { sx: number; sy: number; side: number } {
  const side = Math.min(width, height);
  return { sx: Math.floor((width - side) / 2), sy: Math.floor((height - side) / 2), side };
}

/**
 * RGBA to RGB, each pixel composited over white by its alpha: a transparent PNG's empty parts
 * come out as paper, not as whatever colour its invisible pixels happen to hold.
 */
export function rgbaToRgb(
  rgba: Uint8ClampedArray | Uint8Array,
  out = new Uint8Array((rgba.length / 4) * 3),
): Uint8Array {
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    const a = rgba[p + 3];
    if (a === 255) {
      out[q] = rgba[p];
      out[q + 1] = rgba[p + 1];
      out[q + 2] = rgba[p + 2];
    } else {
      const f = a / 255;
      for (let k = 0; k < 3; k++) out[q + k] = Math.round(rgba[p + k] * f + 255 * (1 - f));
    }
  }
  return out;
}
