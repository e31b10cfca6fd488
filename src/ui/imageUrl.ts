// Image bytes (grey or RGB, HWC) as a PNG data URL, for <img> elements with alt text.

export function bytesToDataUrl(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  offset = 0,
): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  const img = ctx.createImageData(width, height);
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < 3; k++) img.data[4 * p + k] = pixels[offset + p * channels + (channels === 1 ? 0 : k)];
    img.data[4 * p + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}
