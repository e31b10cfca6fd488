// Where each panel a lesson step or a preset points at is on the page: a CSS selector to
// outline and a name to say. The browser test walks every lesson step and finds each one
// highlighted, so a selector that stops matching fails there.

import type { PanelId } from '../core/panelIds';

export interface LessonTarget {
  selector: string;
  name: string;
}

export const LESSON_TARGETS: Record<PanelId, LessonTarget> = {
  embedding: { selector: '.embedding-view', name: 'the embedding view' },
  triples: { selector: '[data-testid="triples"]', name: 'the anchor and its negatives' },
  formula: { selector: '.lformula', name: "the anchor's loss term" },
  temperature: { selector: '.tpanel', name: 'the temperature panel' },
  effectiveNegatives: { selector: '.tpanel', name: 'the effective number of negatives' },
  lossChart: { selector: '.loss-chart', name: 'the loss chart' },
  matrix: { selector: '.matrix-panel', name: 'the similarity matrix' },
  metrics: { selector: '.metrics', name: 'the measurements' },
  factors: { selector: '.factor-table', name: 'the kNN per factor' },
  probes: { selector: '.probes', name: 'the few-label probes' },
  augment: { selector: '.augment-panel', name: 'the augmentations and their preview' },
  clipControls: { selector: '[data-testid="clip-controls"]', name: 'the CLIP settings and the learned temperature' },
  clipAnchor: { selector: '[data-testid="clip-anchor"]', name: "an image and the batch's captions" },
  zeroShot: { selector: '[data-testid="zero-shot"]', name: 'zero-shot classification' },
  search: { selector: '[data-testid="clip-search"]', name: 'search by text' },
};
