// Settings in the URL: read from the query string and the hash, written back to the hash.
// A link is written against a preset when it names one (`#preset=collapse` alone means the
// preset), so this module stands on both the settings schema and the presets.

import { AUGMENTS, type AugmentName } from './augmentSettings';
import { findPreset, PRESET_IDS, presetDataset, presetSettings } from './presets';
import { DATASETS, type DatasetId, defaultSettings, describeProp, parseValue, PROPS, type Settings } from './settings';
import { MAX_WASM_THREADS, parseWasmThreads } from './wasmThreads';

export interface ParseResult {
  settings: Settings;
  /** Human-readable notices for anything ignored or corrected. */
  notices: string[];
}

/** Augmentation keys in the URL: `crop=0.4` (on, strength 0.4) or `crop=off`. */
const AUG_KEYS = new Set<string>(AUGMENTS.map((a) => a.name));

/** What a link is written against: the preset's settings when there is one, else the defaults. */
function baseFor(s: Pick<Settings, 'dataset' | 'preset'>): Settings {
  const p = s.preset ? findPreset(s.preset) : undefined;
  return p && presetDataset(p.id) === s.dataset ? presetSettings(p.id) : defaultSettings(s.dataset);
}

/** ?test=...: read by the page itself (useEngine: test-only fault injection), not a setting. */
const PAGE_ONLY_KEY = 'test';
/** ?threads=N: wasm's threads, read by the page once at load (the backend starts only once). */
const THREADS_KEY = 'threads';

/**
 * Reads settings from URL parameters (the query string and the hash, the hash winning).
 * Anything unknown or out of range falls back to its default, with a notice saying so.
 */
export function parseSettings(search: string, hash: string): ParseResult {
  const params = new Map<string, string>();
  for (const part of [search.replace(/^\?/, ''), hash.replace(/^#/, '')]) {
    for (const [k, v] of new URLSearchParams(part)) params.set(k, v);
  }
  const notices: string[] = [];
  const rawDataset = params.get('dataset');
  const validDataset = (DATASETS as readonly string[]).includes(rawDataset ?? '');
  // A preset is the base the other keys are written against (see serializeSettings).
  const rawPreset = params.get('preset');
  params.delete('preset');
  let preset = findPreset(rawPreset);
  if (rawPreset && !preset)
    notices.push(`"preset=${shown(rawPreset)}" is not valid (one of ${PRESET_IDS.join(', ')}); no preset applied.`);
  else if (preset && validDataset && rawDataset !== presetDataset(preset.id)) {
    notices.push(
      `The preset "${preset.title}" uses ${presetDataset(preset.id)}, not ${shown(rawDataset ?? '')}; it was not applied.`,
    );
    preset = undefined;
  }
  const dataset: DatasetId = validDataset ? (rawDataset as DatasetId) : preset ? presetDataset(preset.id) : 'mnist';
  const s = preset ? presetSettings(preset.id) : defaultSettings(dataset);
  const out = s as unknown as Record<string, unknown>;

  for (const [key, raw] of params) {
    const spec = PROPS.find((p) => p.key === key);
    if (spec) {
      const v = parseValue(spec, raw);
      if (v === undefined) {
        notices.push(`"${shown(key)}=${shown(raw)}" is not valid (${describeProp(spec)}); using ${String(out[key])}.`);
      } else {
        out[key] = v;
      }
    } else if (AUG_KEYS.has(key)) {
      const name = key as AugmentName;
      if (raw === 'off') s.augments[name].on = false;
      else {
        const x = Number(raw);
        if (raw.trim() !== '' && Number.isFinite(x) && x >= 0 && x <= 1) s.augments[name] = { on: true, strength: x };
        else
          notices.push(`"${shown(key)}=${shown(raw)}" is not valid (a strength 0 to 1, or "off"); using the default.`);
      }
    } else if (key === THREADS_KEY) {
      if (parseWasmThreads(raw) === undefined)
        notices.push(`"${shown(key)}=${shown(raw)}" is not valid (1 to ${MAX_WASM_THREADS}); using the default.`);
    } else if (key !== PAGE_ONLY_KEY) {
      notices.push(`Unknown setting "${shown(key)}" was ignored.`);
    }
  }
  return { settings: s, notices };
}

/** Writes only what differs from the defaults, so shared links stay short and readable. */
export function serializeSettings(s: Settings): string {
  // Against the preset's settings when there is one: `#preset=collapse` alone means the preset,
  // and a setting changed back to its default is still written, since the preset may differ.
  const d = baseFor(s);
  const p = new URLSearchParams();
  p.set('dataset', s.dataset);
  if (d.preset) p.set('preset', d.preset);
  const sr = s as unknown as Record<string, unknown>;
  const dr = d as unknown as Record<string, unknown>;
  for (const spec of PROPS) {
    if (spec.key !== 'dataset' && spec.key !== 'preset' && sr[spec.key] !== dr[spec.key])
      p.set(spec.key, String(sr[spec.key]));
  }
  for (const a of AUGMENTS) {
    const cur = s.augments[a.name];
    const def = d.augments[a.name];
    if (cur.on !== def.on || (cur.on && cur.strength !== def.strength))
      p.set(a.name, cur.on ? String(cur.strength) : 'off');
  }
  return p.toString();
}

/** A value from a link as a notice quotes it: short enough to read, control characters escaped
 *  (a link is anyone's text, and a notice must neither scroll off nor carry terminal codes). */
export function shown(raw: string, max = 40): string {
  const cut = raw.length > max ? raw.slice(0, max) + '…' : raw;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
