import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings';
import { parseSettings, serializeSettings } from '../../src/core/urlSettings';

describe('URL settings', () => {
  it('empty URL gives the defaults and no notices', () => {
    const r = parseSettings('', '');
    expect(r.settings).toEqual(defaultSettings('mnist'));
    expect(r.notices).toEqual([]);
  });
  it('reads the query and the hash, the hash winning', () => {
    const r = parseSettings('?backend=wasm&temperature=0.5', '#temperature=0.1&batchSize=128');
    expect(r.settings.backend).toBe('wasm');
    expect(r.settings.temperature).toBe(0.1);
    expect(r.settings.batchSize).toBe(128);
    expect(r.notices).toEqual([]);
  });
  it('dataset picks its own augmentation defaults', () => {
    const r = parseSettings('', '#dataset=shapes');
    expect(r.settings.dataset).toBe('shapes');
    expect(r.settings.augments.colorJitter.on).toBe(true);
    expect(parseSettings('', '#dataset=mnist').settings.augments.colorJitter.on).toBe(false);
  });
  it('bad values fall back to defaults with a notice naming them', () => {
    const d = defaultSettings();
    const r = parseSettings(
      '?backend=quantum',
      '#temperature=0&batchSize=12.5&learningRate=abc&embeddingDim=5&foo=1&dataset=cifar',
    );
    expect(r.settings.backend).toBe(d.backend);
    expect(r.settings.temperature).toBe(d.temperature);
    expect(r.settings.batchSize).toBe(d.batchSize);
    expect(r.settings.learningRate).toBe(d.learningRate);
    expect(r.settings.embeddingDim).toBe(d.embeddingDim);
    expect(r.settings.dataset).toBe('mnist');
    expect(r.notices.length).toBe(7);
    expect(r.notices.join(' ')).toContain('backend=quantum');
    expect(r.notices.join(' ')).toContain('Unknown setting "foo"');
  });
  it('augmentations: strength, off, and bad values', () => {
    const r = parseSettings('', '#crop=0.7&noise=off&rotate=3');
    expect(r.settings.augments.crop).toEqual({ on: true, strength: 0.7 });
    expect(r.settings.augments.noise.on).toBe(false);
    expect(r.settings.augments.rotate).toEqual(defaultSettings().augments.rotate);
    expect(r.notices.length).toBe(1);
  });
  it('serialise then parse round-trips', () => {
    const s = defaultSettings('shapes');
    s.temperature = 0.05;
    s.batchSize = 256;
    s.backend = 'webgpu';
    s.embeddingDim = 3;
    s.augments.colorJitter.on = false;
    s.augments.blur = { on: true, strength: 0.3 };
    const hash = serializeSettings(s);
    expect(hash).toContain('temperature=0.05');
    const r = parseSettings('', '#' + hash);
    expect(r.notices).toEqual([]);
    expect(r.settings).toEqual(s);
  });
  it('defaults serialise to just the dataset', () => {
    expect(serializeSettings(defaultSettings())).toBe('dataset=mnist');
  });
});
