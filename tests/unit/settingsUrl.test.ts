import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings';
import { parseSettings, serializeSettings } from '../../src/core/urlSettings';

describe('URL settings of the run and classroom controls', () => {
  it('speed and hidden controls round-trip with readable keys', () => {
    const s = { ...defaultSettings(), speed: 2, controls: 'hidden' as const, seed: 42 };
    s.augments.rotate = { on: false, strength: 0.33 };
    const hash = serializeSettings(s);
    expect(hash).toContain('speed=2');
    expect(hash).toContain('controls=hidden');
    expect(hash).toContain('seed=42');
    expect(hash).toContain('rotate=off');
    const r = parseSettings('', '#' + hash);
    expect(r.notices).toEqual([]);
    expect(r.settings).toEqual(s);
  });
  it('defaults (full speed, controls shown) stay out of the link', () => {
    expect(serializeSettings(defaultSettings())).not.toMatch(/speed|controls/);
  });
  it('bad speed and controls values fall back with notices', () => {
    const r = parseSettings('', '#speed=-3&controls=maybe');
    expect(r.settings.speed).toBe(0);
    expect(r.settings.controls).toBe('shown');
    expect(r.notices.length).toBe(2);
  });

  it("?test=faults is the page's own flag: no setting, and no notice", () => {
    const r = parseSettings('?test=faults', '#batchSize=16');
    expect(r.notices).toEqual([]);
    expect(r.settings).toEqual({ ...defaultSettings(), batchSize: 16 });
  });

  it('?threads=N is read by the page, not a setting; a bad value gets a notice', () => {
    const ok = parseSettings('?threads=2', '#batchSize=16');
    expect(ok.notices).toEqual([]);
    expect(ok.settings).toEqual({ ...defaultSettings(), batchSize: 16 });
    expect(serializeSettings(ok.settings)).not.toContain('threads');
    for (const bad of ['0', '9', '2.5', 'many']) {
      const r = parseSettings(`?threads=${bad}`, '');
      expect(r.notices).toEqual([`"threads=${bad}" is not valid (1 to 8); using the default.`]);
      expect(r.settings).toEqual(defaultSettings());
    }
  });
});
