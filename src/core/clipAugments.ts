// In CLIP mode a view is paired with a caption, so an augmentation that changes a captioned
// attribute would train the model on a false caption. This says which augmentations must be
// off for the captions a dataset has, each with the reason the page shows.

import type { AugmentName, AugmentSettings } from './augmentSettings';

/** The attributes a dataset's captions can state. */
export interface CaptionedAttributes {
  colour: boolean;
  /** Where the object is (Shapes' "top left", two shapes' "on the left"). */
  position: boolean;
  size: boolean;
}

export function captionedAttributes(datasetId: string): CaptionedAttributes {
  if (datasetId === 'shapes') return { colour: true, position: true, size: true };
  if (datasetId === 'twoShapes') return { colour: true, position: true, size: false };
  return { colour: false, position: false, size: false };
}

export interface BlockedAugment {
  name: AugmentName;
  reason: string;
}

/** The augmentations that must be off for these captions, each with its reason. */
export function clipBlockedAugments(a: CaptionedAttributes): BlockedAugment[] {
  const out: BlockedAugment[] = [];
  if (a.colour) {
    out.push({
      name: 'colorJitter',
      reason:
        'Captions name the colour, and colour jitter turns the hue: a red star could become a blue one under the caption "red star".',
    });
    out.push({ name: 'grayscale', reason: 'Captions name the colour, and a grey view has none.' });
  }
  if (a.position) {
    out.push({
      name: 'translate',
      reason: 'Captions say where the object is, and a large shift moves it to another part of the image.',
    });
    out.push({
      name: 'rotate',
      reason:
        'Captions say where the object is, and turning the image about its centre moves an object that is off centre.',
    });
  }
  if (a.position || a.size) {
    out.push({
      name: 'crop',
      reason: `Captions say the object's ${a.position && a.size ? 'position and size' : a.position ? 'position' : 'size'}, and a crop resized to the full image changes both.`,
    });
    out.push({ name: 'cutout', reason: 'A blanked square can hide most of a small captioned object.' });
  }
  return out;
}

/** The settings with every blocked augmentation switched off (the rest as they were). */
export function clipSafeAugments(s: AugmentSettings, a: CaptionedAttributes): AugmentSettings {
  const out = structuredClone(s);
  for (const b of clipBlockedAugments(a)) out[b.name] = { ...out[b.name], on: false };
  return out;
}
