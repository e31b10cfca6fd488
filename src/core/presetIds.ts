// The classroom presets' ids, apart from the presets themselves: the settings schema needs the
// list to validate `preset=` while the presets need the schema, and a leaf module keeps the two
// from importing each other.

export const PRESET_IDS = [
  'simclr',
  'temperature',
  'batch-size',
  'collapse',
  'augmentations',
  'supcon',
  'few-labels',
  'clip',
  'clip-temperature',
  'clip-binding',
  'explorer',
] as const;
export type PresetId = (typeof PRESET_IDS)[number];
