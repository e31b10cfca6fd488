// The label-efficiency curve: labelStudy.ts at every CURVE_LABELS count, one after the other,
// from one copy of the pre-trained weights. Each finished count is reported at once, so a
// stopped curve keeps what it measured.

import { CURVE_LABELS } from '../core/labelRecipe';
import type { Settings } from '../core/settings';
import type { LabelCurveReport, LabelStudy } from '../protocol';
import { studyLabels } from './labelStudy';
import { studyContext } from './probeJob';
import type { Trainer } from './trainer';

const REPORT_MS = 250;

export async function* curveJob(
  trainer: Trainer,
  settings: Settings,
  budgetScale: number,
  report: (r: Omit<LabelCurveReport, 'type'>) => void,
): AsyncGenerator<unknown, void> {
  const step = trainer.step;
  const ctx = await studyContext(trainer, settings, budgetScale);
  const points: LabelStudy[] = [];
  let lastReport = 0;
  report({ status: 'running', progress: 0, message: 'Starting…', step, points: [] });
  for (const [i, lpc] of CURVE_LABELS.entries()) {
    const name = lpc === 'all' ? 'all labels' : `${lpc} per class`;
    const point = yield* studyLabels(ctx, lpc, (p, message) => {
      const now = performance.now();
      if (now - lastReport < REPORT_MS) return;
      lastReport = now;
      report({
        status: 'running',
        progress: (i + p) / CURVE_LABELS.length,
        message: `${name}: ${message}`,
        step,
        points: points.slice(),
      });
    });
    points.push(point);
    report({
      status: 'running',
      progress: (i + 1) / CURVE_LABELS.length,
      message: `${name} done`,
      step,
      points: points.slice(),
    });
  }
  report({ status: 'done', progress: 1, message: '', step, points });
}
