// The on-demand studies with few labels, as one background source: probe rows (probeJob.ts)
// and the label-efficiency curve (curveJob.ts), sliced jobs served first in, first out, one
// slice after each training step, slice after slice while idle. Each slice leaves no tensor
// it made behind except what a running job holds, freed when it ends or is cancelled.

import type { Settings } from '../core/settings';
import type { EngineEvent, LabelCurveReport, LabelsPerClass, ProbeReport } from '../protocol';
import { curveJob } from './curveJob';
import { JobQueue } from './jobQueue';
import { probeJob } from './probeJob';
import type { BackgroundSource } from './scheduler';
import type { Trainer } from './trainer';

type Key = LabelsPerClass | 'curve';

/** Budgets shrunk below this are not the declared recipe (tests only); above 1 is refused. */
const MIN_SCALE = 0.001;

export class LabelRunner implements BackgroundSource {
  private ctx: { trainer: Trainer; settings: () => Settings } | null = null;
  private readonly jobs = new JobQueue<Key>();
  private curve: Omit<LabelCurveReport, 'type'> | null = null;

  constructor(private readonly post: (ev: EngineEvent) => void) {}

  start(trainer: Trainer, settings: () => Settings): void {
    this.ctx = { trainer, settings };
  }

  /** Cancels every job (a reset): probes say so, a curve keeps what it measured. */
  async stop(): Promise<void> {
    const jobs = this.jobs.clear();
    for (const j of jobs) {
      if (j.key === 'curve') this.endCurve('stopped', 'Stopped: training was reset.');
      else this.postProbe(j.key, { status: 'error', message: 'Cancelled: training was reset.' });
    }
    this.ctx = null;
    for (const j of jobs) await j.job.return(undefined);
  }

  requestProbe(lpc: LabelsPerClass, budgetScale = 1): void {
    if (!this.ctx || this.jobs.has(lpc)) return;
    const scale = clampScale(budgetScale);
    this.jobs.push(
      lpc,
      probeJob(this.ctx, lpc, scale, (r) => this.postProbe(lpc, r)),
    );
    this.postProbe(lpc, { status: 'queued', message: 'Waiting for its turn…', budgetScale: scale });
  }

  /** A probe that cannot be run on this data (e.g. a user class too small): says why. */
  refuseProbe(lpc: LabelsPerClass, message: string): void {
    this.postProbe(lpc, { status: 'error', message });
  }

  requestCurve(budgetScale = 1): void {
    if (!this.ctx || this.jobs.has('curve')) return;
    const t = this.ctx.trainer;
    this.jobs.push(
      'curve',
      curveJob(t, this.ctx.settings(), clampScale(budgetScale), (r) => this.postCurve(r)),
    );
    this.postCurve({ status: 'running', progress: 0, message: 'Waiting for its turn…', step: t.step, points: [] });
  }

  /** Stop pressed: the curve ends where it is, its finished label counts kept. Run between
   *  slices (the worker makes it a chore). */
  async stopCurve(): Promise<void> {
    const curve = this.jobs.remove('curve');
    if (!curve) return;
    this.endCurve('stopped', 'Stopped.');
    await curve.return(undefined);
  }

  async afterStep(): Promise<void> {
    if (this.ctx && this.jobs.length) await this.slice();
  }

  hasIdleWork(): boolean {
    return !!this.ctx && this.jobs.length > 0;
  }

  idleSlice(): Promise<void> {
    return this.slice();
  }

  private slice(): Promise<void> {
    return this.jobs.slice((key, e) => {
      const message = e instanceof Error ? e.message : String(e);
      if (key === 'curve') this.endCurve('error', message);
      else this.postProbe(key, { status: 'error', message });
    });
  }

  private endCurve(status: 'stopped' | 'error', message: string): void {
    const c = this.curve;
    this.postCurve({ status, progress: c?.progress ?? 0, message, step: c?.step ?? 0, points: c?.points ?? [] });
  }

  private postCurve(r: Omit<LabelCurveReport, 'type'>): void {
    this.curve = r;
    this.post({ type: 'labelCurve', ...r });
  }

  private postProbe(lpc: LabelsPerClass, r: Partial<ProbeReport>): void {
    const t = this.ctx?.trainer;
    this.post({
      type: 'probe',
      labelsPerClass: lpc,
      status: 'running',
      progress: 0,
      message: '',
      trainCount: 0,
      fitCount: 0,
      valCount: 0,
      draws: 0,
      drawsWanted: 0,
      results: {},
      fineTuneSteps: null,
      scratchSteps: null,
      scratchMatchedSteps: null,
      convergedSteps: null,
      budgetScale: 1,
      step: t?.step ?? 0,
      epoch: t?.epoch ?? 0,
      ...r,
    });
  }
}

function clampScale(s: number): number {
  return Number.isFinite(s) ? Math.min(1, Math.max(MIN_SCALE, s)) : 1;
}
