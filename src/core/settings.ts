// Every user-facing setting, declared once (as tensorflow/playground's PROPS list): its type,
// default and valid range, and how one value is read from text. The URL hash
// (urlSettings.ts) is written from this list and read back through it, so a setting added
// here is automatically shareable, validated and restorable.

import { type AugmentSettings, defaultAugments } from './augmentSettings';
import { PRESET_IDS, type PresetId } from './presetIds';

// 'user': the images a user added on the page (core/userDataset.ts), sent to the worker.
export const DATASETS = ['mnist', 'shapes', 'twoShapes', 'user'] as const;
export const BACKENDS = ['auto', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
// 'align' pulls positive pairs together with no negatives at all: the collapse lesson.
// 'clip' pairs each image with a caption instead of a second view (engine/clip/).
export const LOSSES = ['ntxent', 'supcon', 'align', 'clip'] as const;
export const TEXT_ENCODERS = ['bow', 'attention'] as const;
export type TextEncoderChoice = (typeof TEXT_ENCODERS)[number];
export const LEARN_TEMPERATURE = ['off', 'on'] as const;
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
  /** CLIP: bag of words, or order-aware self-attention. */
  textEncoder: TextEncoderChoice;
  /** CLIP: 'on' trains the temperature as CLIP does (the slider then follows it). */
  learnTemperature: (typeof LEARN_TEMPERATURE)[number];
  /** CLIP: the chance that a caption states each optional attribute (1 = every caption complete). */
  captionDetail: number;
}

export type PropSpec =
  | { key: keyof Settings; kind: 'enum'; values: readonly (string | number)[]; numeric?: boolean }
  | { key: keyof Settings; kind: 'number'; min: number; max: number; integer?: boolean };

/** How each setting may change: live (next step uses it) or only by rebuilding the engine. */
export const LIVE_KEYS: (keyof Settings)[] = [
  'temperature',
  'batchSize',
  'learningRate',
  'augments',
  'loss',
  'speed',
  'controls',
  'presentation',
  'preset',
  'captionDetail',
];
// The text encoder and a learned temperature are parts of the CLIP model: changing one rebuilds it.
export const RESET_KEYS: (keyof Settings)[] = [
  'dataset',
  'model',
  'embeddingDim',
  'seed',
  'backend',
  'textEncoder',
  'learnTemperature',
];

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
  { key: 'textEncoder', kind: 'enum', values: TEXT_ENCODERS },
  { key: 'learnTemperature', kind: 'enum', values: LEARN_TEMPERATURE },
  { key: 'captionDetail', kind: 'number', min: 0, max: 1 },
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
    // MNIST with its stronger crops learns faster at the lower rate; Shapes was tuned at 3e-3.
    learningRate: dataset === 'mnist' ? 1e-3 : 3e-3,
    seed: 1,
    augments: defaultAugments(dataset),
    speed: 0,
    controls: 'shown',
    presentation: 'off',
    preset: '',
    textEncoder: 'bow',
    learnTemperature: 'on',
    captionDetail: 0.7,
  };
}

/** One value read from text, or undefined when it is not valid for the setting. */
export function parseValue(spec: PropSpec, raw: string): string | number | undefined {
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

/** The valid values of a setting, in words (for the notice when a value is rejected). */
export function describeProp(spec: PropSpec): string {
  return spec.kind === 'enum'
    ? `one of ${spec.values.join(', ')}`
    : `${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
}
