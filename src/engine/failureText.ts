// The words the page shows when something fails in the worker.

import type { Settings } from '../core/settings';

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A diverged loss, with the likely cause given the settings it trained with. */
export function nanMessage(value: string, step: number, s: Settings): string {
  const causes: string[] = [];
  if (s.learningRate > 0.01) causes.push(`the learning rate (${s.learningRate}) is probably too high`);
  if (s.temperature < 0.05) causes.push(`the temperature (${s.temperature}) is very low`);
  if (causes.length === 0) causes.push('the learning rate may be too high or the temperature too low');
  return `The loss became ${value}: ${causes.join(' and ')}. Training paused at step ${step}, with the weights of that last good step. Lower the learning rate or raise the temperature, then press Play.`;
}
