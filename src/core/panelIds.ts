// The parts of the page a preset or a lesson step can be about, by name only: core decides
// which panel an experiment concerns, the page decides where that panel is
// (src/ui/lessonTargets.ts maps each id to a selector and a spoken name).

export const PANEL_IDS = [
  'embedding',
  'triples',
  'formula',
  'temperature',
  'effectiveNegatives',
  'lossChart',
  'matrix',
  'metrics',
  'factors',
  'probes',
  'augment',
  'clipControls',
  'clipAnchor',
  'zeroShot',
  'search',
] as const;

export type PanelId = (typeof PANEL_IDS)[number];
