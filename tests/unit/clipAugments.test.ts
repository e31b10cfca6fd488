import { describe, expect, it } from 'vitest';
import { AUGMENTS, defaultAugments } from '../../src/core/augmentSettings';
import { captionedAttributes, clipBlockedAugments, clipSafeAugments } from '../../src/core/clipAugments';

describe('augmentations in CLIP mode', () => {
  it('on Shapes, turns off every augmentation that changes colour, position or size, each with a reason', () => {
    const blocked = clipBlockedAugments(captionedAttributes('shapes'));
    expect(blocked.map((b) => b.name).sort()).toEqual([
      'colorJitter',
      'crop',
      'cutout',
      'grayscale',
      'rotate',
      'translate',
    ]);
    for (const b of blocked) {
      expect(AUGMENTS.map((a) => a.name)).toContain(b.name);
      expect(b.reason.length).toBeGreaterThan(20);
    }
    const safe = clipSafeAugments(defaultAugments('shapes'), captionedAttributes('shapes'));
    for (const b of blocked) expect(safe[b.name].on).toBe(false);
    // What no caption states stays as it was.
    expect(safe.noise).toEqual(defaultAugments('shapes').noise);
  });

  it('on MNIST (only the digit is captioned), keeps the augmentations as they are', () => {
    expect(clipBlockedAugments(captionedAttributes('mnist'))).toEqual([]);
    expect(clipSafeAugments(defaultAugments('mnist'), captionedAttributes('mnist'))).toEqual(defaultAugments('mnist'));
  });

  it('blocks colour changes alone when only colour is captioned', () => {
    const names = clipBlockedAugments({ colour: true, position: false, size: false }).map((b) => b.name);
    expect(names.sort()).toEqual(['colorJitter', 'grayscale']);
  });

  it('does not change the settings it is given', () => {
    const s = defaultAugments('shapes');
    clipSafeAugments(s, captionedAttributes('shapes'));
    expect(s.colorJitter.on).toBe(true);
  });
});
