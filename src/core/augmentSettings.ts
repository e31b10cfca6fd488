// The augmentation settings: which augmentations exist, what their strength means, and the
// defaults per dataset. Pure data; the engine (src/engine/augmentBatch.ts) applies them with tfjs.
// Every strength is in [0, 1] so one slider type fits all; the mapping to physical
// parameters lives here, next to the names, so the UI and the engine cannot disagree.

export type AugmentName = 'crop' | 'rotate' | 'translate' | 'noise' | 'blur' | 'cutout' | 'colorJitter' | 'grayscale';

export interface AugmentToggle {
  on: boolean;
  strength: number;
}

export type AugmentSettings = Record<AugmentName, AugmentToggle>;

export interface AugmentInfo {
  name: AugmentName;
  label: string;
  /** One sentence for the tooltip: what the strength controls. */
  help: string;
  /** Only meaningful on RGB images. */
  rgbOnly?: boolean;
}

export const AUGMENTS: AugmentInfo[] = [
  {
    name: 'crop',
    label: 'Random resized crop',
    help: 'Crops a random part of the image (area down to 1 - 0.7 x strength) and resizes it back.',
  },
  { name: 'rotate', label: 'Rotation', help: 'Rotates by a random angle up to 45 x strength degrees either way.' },
  {
    name: 'translate',
    label: 'Translation',
    help: 'Shifts by up to 25% x strength of the image size in each direction.',
  },
  { name: 'noise', label: 'Gaussian noise', help: 'Adds pixel noise with standard deviation 0.2 x strength.' },
  {
    name: 'blur',
    label: 'Gaussian blur',
    help: 'Blurs half of the views with a Gaussian of up to 1.5 x strength pixels.',
  },
  {
    name: 'cutout',
    label: 'Cutout',
    help: 'Blanks a random square of side up to 50% x strength of the image in half of the views.',
  },
  {
    name: 'colorJitter',
    label: 'Colour jitter',
    help: 'Randomly changes brightness, contrast and saturation by up to 0.5 x strength, and turns the hue by up to half a turn x strength (at 1, any hue).',
    rgbOnly: true,
  },
  {
    name: 'grayscale',
    label: 'Random greyscale',
    help: 'Turns a view grey with probability 0.5 x strength.',
    rgbOnly: true,
  },
];

/** Physical parameters for one strength; the single source of the mapping. */
export function augmentParams(s: AugmentSettings) {
  const k = (n: AugmentName) => (s[n].on ? Math.min(1, Math.max(0, s[n].strength)) : 0);
  return {
    cropMinScale: 1 - 0.7 * k('crop'),
    rotateMaxRad: ((45 * Math.PI) / 180) * k('rotate'),
    translateMax: 0.25 * k('translate'),
    noiseStd: 0.2 * k('noise'),
    blurMaxSigma: 1.5 * k('blur'),
    blurProb: k('blur') > 0 ? 0.5 : 0,
    cutoutMaxSide: 0.5 * k('cutout'),
    cutoutProb: k('cutout') > 0 ? 0.5 : 0,
    jitter: 0.5 * k('colorJitter'),
    hueJitter: 0.5 * k('colorJitter'),
    grayscaleProb: 0.5 * k('grayscale'),
  };
}

export type AugmentParams = ReturnType<typeof augmentParams>;

const off = (): AugmentToggle => ({ on: false, strength: 0.5 });

/**
 * Digits: small rotations, shifts and noise; no flips, no large rotations (6 vs 9). Crops down
 * to 44% of the area, which learned faster than milder ones (docs/decisions/0009-data-and-augmentations.md).
 */
export const MNIST_AUGMENTS: AugmentSettings = {
  crop: { on: true, strength: 0.8 },
  rotate: { on: true, strength: 0.33 },
  translate: { on: true, strength: 0.4 },
  noise: { on: true, strength: 0.3 },
  blur: off(),
  cutout: off(),
  colorJitter: off(),
  grayscale: off(),
};

/** Shapes: colour jitter and greyscale on, so the encoder learns shape rather than colour. */
export const SHAPES_AUGMENTS: AugmentSettings = {
  crop: { on: true, strength: 0.4 },
  rotate: { on: true, strength: 1 },
  translate: { on: true, strength: 0.4 },
  noise: { on: true, strength: 0.2 },
  blur: off(),
  cutout: off(),
  // Hue over the whole circle: Shapes' colours differ in hue only (shapes.ts), so any turn
  // gives every colour the same views and colour kNN falls to chance (docs/decisions/0009-data-and-augmentations.md). With
  // SimCLR's +-0.2 turns a hue stays near its palette neighbours.
  colorJitter: { on: true, strength: 1 },
  grayscale: { on: true, strength: 0.4 },
};

export function defaultAugments(dataset: string): AugmentSettings {
  // A user's images are colour photos and drawings at Shapes' size: Shapes' augmentations fit them.
  return structuredClone(
    dataset === 'shapes' || dataset === 'twoShapes' || dataset === 'user' ? SHAPES_AUGMENTS : MNIST_AUGMENTS,
  );
}
