// A seeded fuzz of URLs: whatever a link holds, parsing it never throws, yields settings that are
// all valid, pollutes no prototype, and says what it ignored in a notice short enough to read.
import { describe, expect, it } from 'vitest';
import { AUGMENTS } from '../../src/core/augmentSettings';
import { PROPS, type Settings } from '../../src/core/settings';
import { parseSettings, serializeSettings } from '../../src/core/urlSettings';
import { Rng } from '../../src/core/rng';

const KEYS = [
  ...PROPS.map((p) => String(p.key)),
  ...AUGMENTS.map((a) => a.name),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  'x',
];
const VALUES = [
  '',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '0',
  '1e309',
  '0x10',
  '1e-400',
  ' 5',
  'off',
  'on',
  'null',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '%00',
  '%0A%0D',
  '%1B[31m',
  '%E2%80%AE',
  '%ZZ',
  '<img src=x onerror=alert(1)>',
  '"><script>',
  '\u0000',
  '9'.repeat(400),
];

function validate(s: Settings): void {
  const r = s as unknown as Record<string, unknown>;
  for (const spec of PROPS) {
    const v = r[spec.key];
    if (spec.kind === 'enum') expect(spec.values).toContain(v);
    else {
      expect(typeof v).toBe('number');
      expect(v as number).toBeGreaterThanOrEqual(spec.min);
      expect(v as number).toBeLessThanOrEqual(spec.max);
      if (spec.integer) expect(Number.isInteger(v)).toBe(true);
    }
  }
  for (const a of AUGMENTS) {
    const t = s.augments[a.name];
    expect(typeof t.on).toBe('boolean');
    expect(t.strength).toBeGreaterThanOrEqual(0);
    expect(t.strength).toBeLessThanOrEqual(1);
  }
  expect(Object.keys(s.augments).sort()).toEqual(AUGMENTS.map((a) => a.name).sort());
}

function randomHash(rng: Rng): string {
  const n = 1 + Math.floor(rng.random() * 6);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = KEYS[Math.floor(rng.random() * KEYS.length)];
    const r = rng.random();
    let value: string;
    if (r < 0.4) value = VALUES[Math.floor(rng.random() * VALUES.length)];
    else if (r < 0.7) value = String(Math.round((rng.random() * 2 - 0.5) * 10 ** Math.floor(rng.random() * 5)) / 100);
    else if (r < 0.8) value = 'a'.repeat(5_000);
    else
      value = Array.from(
        { length: 1 + Math.floor(rng.random() * 12) },
        () =>
          '%' +
          Math.floor(rng.random() * 256)
            .toString(16)
            .padStart(2, '0'),
      ).join('');
    parts.push(rng.random() < 0.1 ? key : `${key}=${value}`);
  }
  return '#' + parts.join(rng.random() < 0.1 ? '&&' : '&');
}

describe('URL fuzz', () => {
  const rng = new Rng(314);
  const hashes = Array.from({ length: 400 }, () => randomHash(rng));

  it('parses 400 seeded hostile hashes into valid settings, with short notices and no pollution', () => {
    for (const hash of hashes) {
      const search = rng.random() < 0.3 ? '?' + randomHash(rng).slice(1) : '';
      const r = parseSettings(search, hash);
      validate(r.settings);
      for (const n of r.notices) {
        expect(typeof n).toBe('string');
        expect(n.length).toBeLessThan(400);
        // Control characters are shown escaped, never passed through to the page.
        // eslint-disable-next-line no-control-regex
        expect(n).not.toMatch(/[\u0000-\u001f\u007f]/);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(r.settings)).toBe(Object.prototype);
      expect(typeof ({} as { toString: unknown }).toString).toBe('function');
      // What was read is a link that reads back the same, without notices.
      const again = parseSettings('', '#' + serializeSettings(r.settings));
      expect(again.notices).toEqual([]);
      expect(again.settings).toEqual(r.settings);
    }
  });

  it('says what it ignored: a 5,000-character value is named, shortened', () => {
    const r = parseSettings('', `#temperature=${'7'.repeat(5_000)}`);
    expect(r.settings.temperature).toBe(parseSettings('', '').settings.temperature);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatch(/temperature=7{10,}…/);
  });

  it('ignores __proto__ and constructor keys without touching any prototype', () => {
    const r = parseSettings('', '#__proto__=1&constructor=2&__proto__[polluted]=yes&crop=__proto__');
    validate(r.settings);
    expect(r.notices.length).toBe(4);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
