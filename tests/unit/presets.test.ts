import { describe, expect, it } from 'vitest';
import { PANEL_IDS } from '../../src/core/panelIds';
import { applyPatch, PRESET_IDS, PRESETS, presetSettings, withPreset } from '../../src/core/presets';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { parseSettings, serializeSettings } from '../../src/core/urlSettings';

/** Written against the defaults, so every value the preset sets goes through the URL's validation. */
const explicit = (s: Settings) => serializeSettings({ ...s, preset: '' });

describe('classroom presets', () => {
  it('ids are unique and match the declared list; every preset explains itself', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([...PRESET_IDS]);
    for (const p of PRESETS) {
      expect(p.title.length).toBeGreaterThan(5);
      expect(p.explanation.length).toBeGreaterThan(40);
      expect(p.tryThis.length).toBeGreaterThan(20);
      if (p.focus) expect(PANEL_IDS).toContain(p.focus);
    }
  });

  it.each(PRESET_IDS)('%s: every value is a valid setting (parsed back without a notice)', (id) => {
    const s = presetSettings(id);
    const r = parseSettings('', '#' + explicit(s));
    expect(r.notices).toEqual([]);
    expect(r.settings).toEqual({ ...s, preset: '' });
  });

  it.each(PRESET_IDS)('%s: round-trips through the URL, and the bare preset name opens it', (id) => {
    const s = presetSettings(id);
    const hash = serializeSettings(s);
    expect(hash).toContain(`preset=${id}`);
    expect(parseSettings('', '#' + hash)).toEqual({ settings: s, notices: [] });
    expect(parseSettings('', `#preset=${id}`)).toEqual({ settings: s, notices: [] });
  });

  it.each(PRESET_IDS)('%s: a tweaked preset round-trips, including a setting set back to its default', (id) => {
    const s: Settings = {
      ...presetSettings(id),
      temperature: 0.5,
      loss: 'ntxent',
      speed: 5,
      presentation: 'on',
      controls: 'hidden',
    };
    s.augments.crop = { on: false, strength: s.augments.crop.strength };
    const r = parseSettings('', '#' + serializeSettings(s));
    expect(r.notices).toEqual([]);
    expect(r.settings).toEqual(s);
  });

  it('the required experiments are there, with the settings they promise', () => {
    expect(presetSettings('temperature').temperature).toBeLessThan(0.1);
    expect(presetSettings('batch-size').batchSize).toBe(16);
    expect(presetSettings('collapse').loss).toBe('align');
    const aug = presetSettings('augmentations');
    expect(aug.dataset).toBe('shapes');
    expect(aug.augments.colorJitter.on).toBe(true);
    expect(aug.augments.grayscale.on).toBe(true);
    expect(presetSettings('supcon').loss).toBe('supcon');
    expect(PRESETS.find((p) => p.id === 'explorer')!.focus).toBe('augment');
    expect(serializeSettings(presetSettings('simclr'))).toBe('dataset=mnist&preset=simclr');
  });

  it('choosing a preset keeps the backend, hidden controls and presentation mode, and nothing else', () => {
    const cur: Settings = {
      ...defaultSettings(),
      backend: 'wasm',
      controls: 'hidden',
      presentation: 'on',
      temperature: 1,
      seed: 7,
    };
    const next = withPreset('collapse', cur);
    expect(next).toEqual({ ...presetSettings('collapse'), backend: 'wasm', controls: 'hidden', presentation: 'on' });
    expect(parseSettings('', '#' + serializeSettings(next)).settings).toEqual(next);
  });

  it('applyPatch changes only the augmentation fields it names', () => {
    const base = defaultSettings('shapes');
    const out = applyPatch(base, { augments: { colorJitter: { on: false } } });
    expect(out.augments.colorJitter).toEqual({ on: false, strength: base.augments.colorJitter.strength });
    expect(out.augments.crop).toEqual(base.augments.crop);
    expect(base.augments.colorJitter.on).toBe(true);
  });

  it('a bad preset, or one that contradicts the dataset, is refused with a notice', () => {
    const bad = parseSettings('', '#preset=quantum&temperature=0.1');
    expect(bad.settings).toEqual({ ...defaultSettings(), temperature: 0.1 });
    expect(bad.notices).toHaveLength(1);
    expect(bad.notices[0]).toContain('preset=quantum');
    const clash = parseSettings('', '#dataset=mnist&preset=augmentations');
    expect(clash.settings).toEqual(defaultSettings('mnist'));
    expect(clash.notices).toHaveLength(1);
    expect(clash.notices[0]).toContain('Augmentations decide what is learned');
  });

  it('a preset of another dataset is not written into the link once the dataset changed', () => {
    const s: Settings = {
      ...presetSettings('augmentations'),
      dataset: 'mnist',
      augments: defaultSettings('mnist').augments,
    };
    const hash = serializeSettings(s);
    expect(hash).not.toContain('preset');
    expect(parseSettings('', '#' + hash).settings).toEqual({ ...s, preset: '' });
  });
});
