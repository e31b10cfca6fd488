// Procedural Shapes: a seeded RGB dataset where the label (the shape) is independent of the
// nuisance factors (colour, size, position, rotation, background), so pixel distance misleads
// and an encoder has to learn form. Rasterised in plain TypeScript (no canvas) so it runs in
// a Worker and in Node: a scanline rasteriser with 4 sub-scanlines per row and exact span
// coverage along each, i.e. anti-aliased edges at a fraction of the cost of supersampling.

import type { Dataset } from './dataset';
import { Rng } from './rng';

export const SHAPE_NAMES = ['circle', 'square', 'triangle', 'star', 'cross', 'ring', 'moon', 'heart'] as const;
export const COLOUR_NAMES = ['red', 'orange', 'yellow', 'green', 'cyan', 'blue', 'purple', 'pink'] as const;
export const SIZE_NAMES = ['small', 'medium', 'large'] as const;
export const POSITION_NAMES = [
  'top-left',
  'top',
  'top-right',
  'left',
  'centre',
  'right',
  'bottom-left',
  'bottom',
  'bottom-right',
] as const;

export type Rgb = [number, number, number];

/**
 * Each colour's hue: its angle in degrees about the grey axis of RGB, from red towards green
 * (HSV's hue where the two agree: red 0, yellow 60, green 120, cyan 180).
 */
const HUE_DEGREES: Record<(typeof COLOUR_NAMES)[number], number> = {
  red: 0,
  orange: 30,
  yellow: 60,
  green: 120,
  cyan: 180,
  blue: 230,
  purple: 275,
  pink: 325,
};
/** Every shape colour's mean over R, G, B, and its distance from the grey axis (0..255 units). */
const GREY_MEAN = 130;
const CHROMA = 110;

/**
 * The colour at one hue on the palette's circle. All eight colours lie on ONE circle about the
 * grey axis, so they differ in hue only, and colour jitter's hue turn (about the same axis, any
 * angle at full strength) gives every colour the same distribution of views: colour is then
 * something an encoder trained with it cannot keep, as the Augmentations lesson says. Named
 * RGB colours also differ in brightness, which a hue turn keeps, and colour leaked through it
 * (docs/decisions/0009-data-and-augmentations.md).
 */
function hueColour(degrees: number): Rgb {
  const a = (degrees * Math.PI) / 180;
  // Unit vectors of the chroma plane: towards red, and towards green minus blue.
  const u = [2 / Math.sqrt(6), -1 / Math.sqrt(6), -1 / Math.sqrt(6)];
  const v = [0, 1 / Math.sqrt(2), -1 / Math.sqrt(2)];
  return [0, 1, 2].map((k) => Math.round(GREY_MEAN + CHROMA * (Math.cos(a) * u[k] + Math.sin(a) * v[k]))) as Rgb;
}

export const PALETTE = Object.fromEntries(COLOUR_NAMES.map((c) => [c, hueColour(HUE_DEGREES[c])])) as Record<
  (typeof COLOUR_NAMES)[number],
  Rgb
>;

/**
 * Circumradius range as a fraction of the image side (32 px: 8.3 to 11.5 px). Not smaller: a
 * few pixels cannot tell one outline from another (docs/decisions/0009-data-and-augmentations.md).
 */
const R_MIN = 0.26;
const R_MAX = 0.36;
/** Pixels kept free between the shape's circumcircle and the image border. */
const MARGIN = 1;
/**
 * Background grey levels: near black or near white, whatever the shape's colour, so the
 * background says nothing about the colour; the palette's luma (93 to 167) keeps at least ~50
 * levels of luma contrast against either, so a greyscale view still shows the shape.
 */
export const DARK_BG: [number, number] = [8, 30];
export const LIGHT_BG: [number, number] = [230, 250];
const BG_TINT = 12;
export const COLOUR_JITTER = 8;
const RING_INNER = 0.55;

/** Everything needed to draw one image; sampled by sampleShapeSpecs. */
export interface ShapeSpec {
  shape: number;
  colour: number;
  sizeBin: number;
  position: number;
  /** Centre and circumradius in pixels; rotation in radians. */
  cx: number;
  cy: number;
  r: number;
  angle: number;
  fg: Rgb;
  bg: Rgb;
}

// ---- outlines in unit coordinates (circumradius 1, centred, y down) ----

function regular(n: number, start: number, radii: number[] = [1]): number[] {
  const pts: number[] = [];
  for (let k = 0; k < n; k++) {
    const a = start + (2 * Math.PI * k) / n;
    const rad = radii[k % radii.length];
    pts.push(rad * Math.cos(a), rad * Math.sin(a));
  }
  return pts;
}

function crossOutline(): number[] {
  const w = 0.3;
  const a = Math.sqrt(1 - w * w); // arm corners lie on the unit circle
  return [w, -a, w, -w, a, -w, a, w, w, w, w, a, -w, a, -w, w, -a, w, -a, -w, -w, -w, -w, -a];
}

function heartOutline(n = 64): number[] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = (2 * Math.PI * k) / n;
    xs.push(16 * Math.sin(t) ** 3);
    ys.push(-(13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t)));
  }
  const mx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const my = (Math.min(...ys) + Math.max(...ys)) / 2;
  let far = 0;
  for (let k = 0; k < n; k++) far = Math.max(far, Math.hypot(xs[k] - mx, ys[k] - my));
  const pts: number[] = [];
  for (let k = 0; k < n; k++) pts.push((xs[k] - mx) / far, (ys[k] - my) / far);
  return pts;
}

/**
 * A crescent, in the place of a hexagon: at these sizes a hexagon's outline is within a pixel
 * of its circumcircle, and a trained embedding confused the two (docs/decisions/0009-data-and-augmentations.md).
 * The crescent: the unit circle less a circle of radius MOON_BITE_R centred MOON_BITE_D to the
 * right. The outline runs along the outer arc through the far side, then back along the inner
 * arc, between the points where the two circles meet.
 */
const MOON_BITE_R = 0.8;
const MOON_BITE_D = 0.45;
function moonOutline(n = 32): number[] {
  // The circles meet where x^2 = 1 - y^2 and (x - d)^2 = r^2 - y^2.
  const mx = (1 - MOON_BITE_R ** 2 + MOON_BITE_D ** 2) / (2 * MOON_BITE_D);
  const my = Math.sqrt(1 - mx * mx);
  const pts: number[] = [];
  const outer = Math.atan2(my, mx);
  for (let k = 0; k <= n; k++) {
    const a = outer + ((2 * Math.PI - 2 * outer) * k) / n;
    pts.push(Math.cos(a), Math.sin(a));
  }
  const inner = Math.atan2(my, mx - MOON_BITE_D);
  for (let k = 1; k < n; k++) {
    const a = 2 * Math.PI - inner - ((2 * Math.PI - 2 * inner) * k) / n;
    pts.push(MOON_BITE_D + MOON_BITE_R * Math.cos(a), MOON_BITE_R * Math.sin(a));
  }
  return pts;
}

/** Polygon outlines (flat x, y pairs) by shape index; null for the analytic circle and ring. */
const OUTLINES: (number[] | null)[] = [
  null, // circle
  regular(4, Math.PI / 4), // square
  regular(3, -Math.PI / 2), // triangle
  regular(10, -Math.PI / 2, [1, 0.42]), // star
  crossOutline(), // cross
  null, // ring
  moonOutline(), // moon
  heartOutline(), // heart
];

// ---- rasteriser ----

/** Sub-scanlines per pixel row; coverage along each is exact, so anti-aliasing is 4 x exact. */
const SUB = 4;
let xsBuf = new Float64Array(64);
let covBuf = new Float32Array(32 * 32);

/**
 * Crossings of the horizontal line at y with the outline, sorted (even-odd spans), written to
 * xsBuf; returns how many.
 */
function crossings(y: number, verts: Float64Array | null, cx: number, cy: number, r: number, inner: number): number {
  let m = 0;
  if (verts) {
    const n = verts.length >> 1;
    if (xsBuf.length < n) xsBuf = new Float64Array(n);
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = verts[2 * i + 1],
        yj = verts[2 * j + 1];
      if (yi > y !== yj > y) {
        const xi = verts[2 * i],
          xj = verts[2 * j];
        xsBuf[m++] = xi + ((y - yi) * (xj - xi)) / (yj - yi);
      }
    }
    for (let a = 1; a < m; a++) {
      const v = xsBuf[a];
      let b = a - 1;
      while (b >= 0 && xsBuf[b] > v) {
        xsBuf[b + 1] = xsBuf[b];
        b--;
      }
      xsBuf[b + 1] = v;
    }
  } else {
    const dy = y - cy;
    if (dy * dy >= r * r) return 0;
    const ho = Math.sqrt(r * r - dy * dy);
    if (inner > 0 && dy * dy < inner * inner) {
      const hi = Math.sqrt(inner * inner - dy * dy);
      xsBuf[0] = cx - ho;
      xsBuf[1] = cx - hi;
      xsBuf[2] = cx + hi;
      xsBuf[3] = cx + ho;
      return 4;
    }
    xsBuf[0] = cx - ho;
    xsBuf[1] = cx + ho;
    m = 2;
  }
  return m;
}

/**
 * Draws one image into out (NHWC, size x size x 3) starting at offset: the background, then
 * the shape blended by its coverage of each pixel (scanline rasteriser: SUB sub-scanlines per
 * row, exact span overlap along each).
 */
export function renderShape(spec: ShapeSpec, size: number, out: Uint8Array, offset = 0): void {
  const { cx, cy, r, angle, fg, bg, shape } = spec;
  const n = size * size * 3;
  for (let p = 0; p < n; p += 3) {
    out[offset + p] = bg[0];
    out[offset + p + 1] = bg[1];
    out[offset + p + 2] = bg[2];
  }
  const outline = OUTLINES[shape];
  let verts: Float64Array | null = null;
  if (outline) {
    const c = Math.cos(angle),
      s = Math.sin(angle);
    verts = new Float64Array(outline.length);
    for (let k = 0; k < outline.length; k += 2) {
      const x = outline[k] * r,
        y = outline[k + 1] * r;
      verts[k] = cx + c * x - s * y;
      verts[k + 1] = cy + s * x + c * y;
    }
  }
  const inner = shape === 5 ? RING_INNER * r : 0;
  if (covBuf.length < size) covBuf = new Float32Array(size);
  const cov = covBuf;
  const y0 = Math.max(0, Math.floor(cy - r)),
    y1 = Math.min(size - 1, Math.floor(cy + r));
  for (let py = y0; py <= y1; py++) {
    cov.fill(0, 0, size);
    let lo = size,
      hi = -1;
    for (let sy = 0; sy < SUB; sy++) {
      const m = crossings(py + (sy + 0.5) / SUB, verts, cx, cy, r, inner);
      for (let k = 0; k + 1 < m; k += 2) {
        const a = Math.max(0, xsBuf[k]),
          b = Math.min(size, xsBuf[k + 1]);
        if (b <= a) continue;
        const pa = Math.floor(a),
          pb = Math.min(size - 1, Math.floor(b));
        if (pa < lo) lo = pa;
        if (pb > hi) hi = pb;
        if (pa === pb) {
          cov[pa] += b - a;
          continue;
        }
        cov[pa] += pa + 1 - a;
        for (let px = pa + 1; px < pb; px++) cov[px] += 1;
        if (pb < size) cov[pb] += b - pb;
      }
    }
    for (let px = lo; px <= hi; px++) {
      const c = Math.min(1, cov[px] / SUB);
      if (c <= 0) continue;
      const o = offset + (py * size + px) * 3;
      out[o] = Math.round(bg[0] + c * (fg[0] - bg[0]));
      out[o + 1] = Math.round(bg[1] + c * (fg[1] - bg[1]));
      out[o + 2] = Math.round(bg[2] + c * (fg[2] - bg[2]));
    }
  }
}

// ---- sampling ----

export function luma(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

export const clamp255 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** count values cycling 0..n-1, shuffled: each value appears floor or ceil of count/n times. */
function balanced(count: number, n: number, rng: Rng): Int32Array {
  const a = new Int32Array(count);
  for (let i = 0; i < count; i++) a[i] = i % n;
  return rng.shuffle(a) as Int32Array;
}

/** A near-black or near-white grey, lightly tinted, drawn independently of the shape's colour. */
export function background(rng: Rng): Rgb {
  const [lo, hi] = rng.bool() ? DARK_BG : LIGHT_BG;
  const g = rng.uniform(lo, hi);
  const hue = rng.uniform(0, 2 * Math.PI);
  const amp = rng.uniform(0, BG_TINT);
  return [0, 1, 2].map((k) => clamp255(g + amp * Math.cos(hue + (k * 2 * Math.PI) / 3))) as Rgb;
}

/**
 * The parameters of count images. Shape, colour, size bin and position bin are each balanced
 * (cycled, then shuffled with their own permutation, so they are independent of each other);
 * the exact size, position, rotation, colour jitter and background are random within them.
 */
export function sampleShapeSpecs(count: number, seed: number, size = 32): ShapeSpec[] {
  const rng = new Rng(seed);
  const shapes = balanced(count, SHAPE_NAMES.length, rng);
  const colours = balanced(count, COLOUR_NAMES.length, rng);
  const sizes = balanced(count, SIZE_NAMES.length, rng);
  const positions = balanced(count, POSITION_NAMES.length, rng);
  const specs: ShapeSpec[] = [];
  for (let i = 0; i < count; i++) {
    const sizeBin = sizes[i];
    const position = positions[i];
    const rf = R_MIN + ((sizeBin + rng.random()) / SIZE_NAMES.length) * (R_MAX - R_MIN);
    const r = rf * size;
    // Position bins are thirds of the range the centre can take at this radius.
    const lo = r + MARGIN,
      hi = size - r - MARGIN;
    const col = position % 3,
      row = Math.floor(position / 3);
    const cx = lo + ((col + rng.random()) / 3) * (hi - lo);
    const cy = lo + ((row + rng.random()) / 3) * (hi - lo);
    const angle = rng.uniform(0, 2 * Math.PI);
    const base = PALETTE[COLOUR_NAMES[colours[i]]];
    const fg = base.map((v) => clamp255(v + rng.uniform(-COLOUR_JITTER, COLOUR_JITTER))) as Rgb;
    const bg = background(rng);
    specs.push({ shape: shapes[i], colour: colours[i], sizeBin, position, cx, cy, r, angle, fg, bg });
  }
  return specs;
}

/** count seeded size x size RGB images; the label is the shape. */
export function makeShapes(count: number, seed: number, size = 32): Dataset {
  const specs = sampleShapeSpecs(count, seed, size);
  const imageBytes = size * size * 3;
  const pixels = new Uint8Array(count * imageBytes);
  const shape = new Int32Array(count);
  const colour = new Int32Array(count);
  const sizeBin = new Int32Array(count);
  const position = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = specs[i];
    renderShape(s, size, pixels, i * imageBytes);
    shape[i] = s.shape;
    colour[i] = s.colour;
    sizeBin[i] = s.sizeBin;
    position[i] = s.position;
  }
  return {
    id: 'shapes',
    height: size,
    width: size,
    channels: 3,
    pixels,
    labels: shape,
    classNames: [...SHAPE_NAMES],
    factors: [
      { name: 'shape', classes: [...SHAPE_NAMES], values: shape },
      {
        name: 'colour',
        classes: [...COLOUR_NAMES],
        values: colour,
        swatches: COLOUR_NAMES.map((c) => `rgb(${PALETTE[c].join(', ')})`),
      },
      { name: 'size', classes: [...SIZE_NAMES], values: sizeBin },
      { name: 'position', classes: [...POSITION_NAMES], values: position },
    ],
    count,
  };
}
