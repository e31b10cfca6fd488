// The few-label methods as the probe table, its chart and the label curve name and colour them.

import type { MethodId } from '../core/labelRecipe';

export const METHOD_STYLE: { key: MethodId; label: string; short: string; cls: string; title: string }[] = [
  {
    key: 'pretrained',
    label: 'pre-trained + probe',
    short: 'probe',
    cls: 'm-pre',
    title: 'Linear probe on the frozen pre-trained h.',
  },
  {
    key: 'finetune',
    label: 'fine-tuned',
    short: 'fine-tuned',
    cls: 'm-finetune',
    title: 'The pre-trained encoder and a linear head trained end to end on the labels.',
  },
  {
    key: 'scratch',
    label: 'from scratch (compute-matched)',
    short: 'scratch',
    cls: 'm-scratch',
    title: 'The same CNN trained supervised from random init, on as many images as pre-training plus fine-tuning used.',
  },
  {
    key: 'scratchConverged',
    label: 'from scratch (to convergence)',
    short: 'scratch conv.',
    cls: 'm-converged',
    title: 'The same CNN from random init, trained until its validation accuracy stops improving (capped).',
  },
  { key: 'pixels', label: 'pixels + probe', short: 'pixels', cls: 'm-pixels', title: 'Linear probe on raw pixels.' },
  {
    key: 'random',
    label: 'random init + probe',
    short: 'random',
    cls: 'm-random',
    title: 'Linear probe on h of the encoder at random initialisation.',
  },
];

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : (100 * x).toFixed(1));
