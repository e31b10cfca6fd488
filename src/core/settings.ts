// Every user-facing setting, declared once (as tensorflow/playground's PROPS list): its type,
// default and valid range. The URL hash is written from this list and read back through it,
// so a setting added here is automatically shareable, validated and restorable.

import { AUGMENTS, type AugmentName, type AugmentSettings, defaultAugments } from './augmentSettings';
import { applyPatch, findPreset, PRESET_IDS, type PresetId } from './presets';

export const DATASETS = ['mnist', 'shapes'] as const;
export const BACKENDS = ['auto', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
// 'align' pulls positive pairs together with no negatives at all: the collapse lesson.
export const LOSSES = ['ntxent', 'supcon', 'align'] as const;
export const MODELS = ['default', 'reference'] as const;
export const EMBEDDING_DIMS = [2, 3, 8, 16, 32, 64, 128] as const;

export type DatasetId = (typeof DATASETS)[number];
export type BackendChoice = (typeof BACKENDS)[number];
export type LossId = (typeof LOSSES)[number];
export type ModelId = (typeof MODELS)[number];
export const CONTROLS_MODES = ['shown', 'hidden'] as const;
export type ControlsMode = (typeof CONTROLS_MODES)[number];
export const PRESENTATION_MODES = ['off', 'on'] as const;
export type PresentationMode = (typeof PRESENTATION_MODES)[number];

export interface Settings {
  dataset: DatasetId;
  backend: BackendChoice;
  model: ModelId;
  loss: LossId;
  embeddingDim: number;
  temperature: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  augments: AugmentSettings;
  /** Steps per second the worker aims for; 0 = as fast as it can (a class can follow slowly). */
  speed: number;
  /** 'hidden' hides the control panel, for classroom links that show only the views. */
  controls: ControlsMode;
  /** 'on': large type, high contrast, secondary controls hidden (for a projector). */
  presentation: PresentationMode;
  /** The classroom preset these settings started from ('' = none); see presets.ts. */
  preset: PresetId | '';
}

type PropSpec =
  | { key: keyof Settings; kind: 'enum'; values: readonly (string | number)[]; numeric?: boolean }
  | { key: keyof Settings; kind: 'number'; min: number; max: number; integer?: boolean };

/** How each setting may change: live (next step uses it) or only by rebuilding the engine. */
export const LIVE_KEYS: (keyof Settings)[] = ['temperature', 'batchSize', 'learningRate', 'augments', 'loss', 'speed', 'controls', 'presentation', 'preset'];
export const RESET_KEYS: (keyof Settings)[] = ['dataset', 'model', 'embeddingDim', 'seed', 'backend'];

export const PROPS: PropSpec[] = [
  { key: 'dataset', kind: 'enum', values: DATASETS },
  { key: 'backend', kind: 'enum', values: BACKENDS },
  { key: 'model', kind: 'enum', values: MODELS },
  { key: 'loss', kind: 'enum', values: LOSSES },
  { key: 'embeddingDim', kind: 'enum', values: EMBEDDING_DIMS, numeric: true },
  { key: 'temperature', kind: 'number', min: 0.01, max: 2 },
  { key: 'batchSize', kind: 'number', min: 8, max: 512, integer: true },
  { key: 'learningRate', kind: 'number', min: 1e-5, max: 0.1 },
  { key: 'seed', kind: 'number', min: 0, max: 2 ** 31 - 1, integer: true },
  { key: 'speed', kind: 'number', min: 0, max: 60 },
  { key: 'controls', kind: 'enum', values: CONTROLS_MODES },
  { key: 'presentation', kind: 'enum', values: PRESENTATION_MODES },
  { key: 'preset', kind: 'enum', values: ['', ...PRESET_IDS] },
];

/** Settings of the room and the machine, kept when a preset is chosen. */
export const VIEW_KEYS = ['backend', 'controls', 'presentation'] as const;

/** The valid range of a numeric setting, as declared in PROPS (sliders use it too). */
export function numberRange(key: keyof Settings): { min: number; max: number } {
  const spec = PROPS.find((p) => p.key === key);
  if (!spec || spec.kind !== 'number') throw new Error(`${String(key)} is not a numeric setting`);
  return { min: spec.min, max: spec.max };
}

export function defaultSettings(dataset: DatasetId = 'mnist'): Settings {
  return {
    dataset,
    backend: 'auto',
    model: 'default',
    loss: 'ntxent',
    embeddingDim: 32,
    temperature: 0.2,
    batchSize: 64,
    // MNIST with the stronger crops learns faster at 1e-3 (95.3% kNN at step 1,500, against
    // 95.1% at step 2,000 at 3e-3); Shapes was tuned at 3e-3.
    learningRate: dataset === 'mnist' ? 1e-3 : 3e-3,
    seed: 1,
    augments: defaultAugments(dataset),
    speed: 0,
    controls: 'shown',
    presentation: 'off',
    preset: '',
  };
}

/** A preset's full settings: its patch over the defaults of its dataset. */
export function presetSettings(id: PresetId): Settings {
  const p = findPreset(id)!;
  return { ...applyPatch(defaultSettings(p.settings.dataset ?? 'mnist'), p.settings), preset: id };
}

/** Choosing a preset: its settings, keeping the current view settings (backend, controls, presentation). */
export function withPreset(id: PresetId, current: Settings): Settings {
  const next = presetSettings(id);
  for (const k of VIEW_KEYS) (next as unknown as Record<string, unknown>)[k] = current[k];
  return next;
}

/** What a link is written against: the preset's settings when there is one, else the defaults. */
function baseFor(s: Pick<Settings, 'dataset' | 'preset'>): Settings {
  const p = s.preset ? findPreset(s.preset) : undefined;
  return p && presetDataset(p.id) === s.dataset ? presetSettings(p.id) : defaultSettings(s.dataset);
}

function presetDataset(id: PresetId): DatasetId {
  return findPreset(id)!.settings.dataset ?? 'mnist';
}

export interface ParseResult {
  settings: Settings;
  /** Human-readable notices for anything ignored or corrected. */
  notices: string[];
}

/** Augmentation keys in the URL: `crop=0.4` (on, strength 0.4) or `crop=off`. */
const AUG_KEYS = new Set<string>(AUGMENTS.map((a) => a.name));

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
  if (rawPreset && !preset) notices.push(`"preset=${rawPreset}" is not valid (one of ${PRESET_IDS.join(', ')}); no preset applied.`);
  else if (preset && validDataset && rawDataset !== presetDataset(preset.id)) {
    notices.push(`The preset "${preset.title}" uses ${presetDataset(preset.id)}, not ${rawDataset}; it was not applied.`);
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
        notices.push(`"${key}=${raw}" is not valid (${describe(spec)}); using ${String(out[key])}.`);
      } else {
        out[key] = v;
      }
    } else if (AUG_KEYS.has(key)) {
      const name = key as AugmentName;
      if (raw === 'off') s.augments[name].on = false;
      else {
        const x = Number(raw);
        if (raw.trim() !== '' && Number.isFinite(x) && x >= 0 && x <= 1) s.augments[name] = { on: true, strength: x };
        else notices.push(`"${key}=${raw}" is not valid (a strength 0 to 1, or "off"); using the default.`);
      }
    } else {
      notices.push(`Unknown setting "${key}" was ignored.`);
    }
  }
  return { settings: s, notices };
}

function parseValue(spec: PropSpec, raw: string): string | number | undefined {
  if (spec.kind === 'enum') {
    const v = spec.numeric ? Number(raw) : raw;
    return spec.values.includes(v) ? v : undefined;
  }
  if (raw.trim() === '') return undefined;
  const x = Number(raw);
  if (!Number.isFinite(x) || x < spec.min || x > spec.max) return undefined;
  if (spec.integer && !Number.isInteger(x)) return undefined;
  return x;
}

function describe(spec: PropSpec): string {
  return spec.kind === 'enum'
    ? `one of ${spec.values.join(', ')}`
    : `${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
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
    if (spec.key !== 'dataset' && spec.key !== 'preset' && sr[spec.key] !== dr[spec.key]) p.set(spec.key, String(sr[spec.key]));
  }
  for (const a of AUGMENTS) {
    const cur = s.augments[a.name];
    const def = d.augments[a.name];
    if (cur.on !== def.on || (cur.on && cur.strength !== def.strength)) p.set(a.name, cur.on ? String(cur.strength) : 'off');
  }
  return p.toString();
}
