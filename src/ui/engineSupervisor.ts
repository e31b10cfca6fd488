// Keeps a run alive across the faults a lesson throws at it: a worker that crashes, runs out of
// memory or hangs, and a GPU that goes away under its backend. The page keeps a recent
// checkpoint of the run (the saved-model state: weights, Adam's moments, step, data position)
// and the settings it was sent; on a fault it ends the worker, starts a new one (on the next
// backend when the GPU was lost), installs the checkpoint and resumes playing if it was.
// Plain TypeScript over a worker-like object, so the unit tests drive it with a fake.

import type { ModelState } from '../core/modelFile';
import type { BackendChoice, Settings } from '../core/settings';
import type { BackendName, Command, EngineEvent } from '../protocol';

/** What the supervisor needs of a Worker. */
export interface WorkerLike {
  postMessage(message: Command, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<EngineEvent>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

export interface FaultTiming {
  /** Silence after which a worker counts as hung (armed by its first heartbeat). */
  hangMs: number;
  /** How often the run's state is copied to the page. */
  checkpointMs: number;
}

/** A heartbeat comes every second; a single slow step on the cpu backend may take several. */
export const REAL_TIMING: FaultTiming = { hangMs: 15_000, checkpointMs: 30_000 };
/** ?test=faults: short enough for a browser test. */
export const TEST_TIMING: FaultTiming = { hangMs: 5_000, checkpointMs: 2_000 };

/** Where a run goes when its GPU is lost: the next backend, as in the automatic order's fallbacks. */
export const FALLBACK_AFTER: Record<BackendName, BackendName> = {
  webgpu: 'webgl',
  webgl: 'wasm',
  wasm: 'cpu',
  cpu: 'cpu',
};

/** Give up after this many replacements in RESTART_WINDOW_MS: something fails at every start. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 120_000;
/** Signals of one fault arrive close together (a lost GPU makes the step fail, then says why):
 *  wait this long so the most telling one decides. */
const SETTLE_MS = 300;

type FaultKind = 'device' | 'crash' | 'fatal' | 'hang';
interface Fault {
  kind: FaultKind;
  message: string;
  backend?: BackendName;
}
const RANK: Record<FaultKind, number> = { fatal: 0, crash: 1, hang: 2, device: 3 };

export interface SupervisorOptions {
  create: () => WorkerLike;
  /** Every event a view may want (heartbeats and checkpoints stay here). */
  onEvent: (ev: EngineEvent) => void;
  /** A sentence for the user: what failed and what was done about it. */
  onNotice: (message: string) => void;
  /** A new worker replaced the old one. */
  onWorker?: (w: WorkerLike) => void;
  timing?: FaultTiming;
  now?: () => number;
  /** A hidden tab's timers are throttled: silence then proves nothing. */
  visible?: () => boolean;
}

export class EngineSupervisor {
  private worker: WorkerLike;
  private readonly timing: FaultTiming;
  private readonly now: () => number;
  private lastBeat: number | null = null;
  private settings: Settings | null = null;
  /** The user's images, for a replacement worker ("My images" is rebuilt from them). */
  private userData: Extract<Command, { type: 'userData' }> | null = null;
  private assetBase = '';
  /** The run's latest state, with the step it was taken at. */
  private checkpoint: { state: ModelState; at: number } | null = null;
  /** Counts runs: a checkpoint answer about an earlier run is dropped. */
  private runId = 0;
  private checkpointAsked: number | null = null;
  private lastStep = 0;
  private playing = false;
  /** Loads sent to the current worker, answered in order. A restore's answer is the
   *  supervisor's own, not the export panel's. */
  private loads: { restore: boolean; state: ModelState; settings: Settings }[] = [];
  /** A backend the run was moved to after a lost GPU, while the user's choice is still `from`. */
  private override: { backend: BackendName; from: BackendChoice } | null = null;
  private restarts: number[] = [];
  private fault: Fault | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly ticker: ReturnType<typeof setInterval>;
  private stopped = false;

  constructor(private readonly opts: SupervisorOptions) {
    this.timing = opts.timing ?? REAL_TIMING;
    this.now = opts.now ?? (() => Date.now());
    this.worker = this.start();
    this.ticker = setInterval(() => this.tick(), Math.min(1000, this.timing.checkpointMs));
  }

  send(cmd: Command, transfer: Transferable[] = []): void {
    switch (cmd.type) {
      case 'userData':
        // Kept for a replacement worker, so sent as a copy rather than transferred.
        this.userData = cmd;
        transfer = [];
        break;
      case 'configure':
        this.settings = cmd.settings;
        this.assetBase = cmd.assetBase;
        if (this.override && cmd.settings.backend !== this.override.from) this.override = null;
        this.newRun();
        cmd = { ...cmd, settings: this.routed(cmd.settings) };
        break;
      case 'reset':
        this.newRun();
        break;
      case 'setParams':
        this.settings = cmd.settings;
        cmd = { ...cmd, settings: this.routed(cmd.settings) };
        break;
      case 'loadModel':
        this.loads.push({ restore: false, state: cmd.state, settings: cmd.settings });
        cmd = { ...cmd, settings: this.routed(cmd.settings) };
        break;
      case 'play':
        this.playing = true;
        break;
      case 'pause':
        this.playing = false;
        break;
    }
    this.worker.postMessage(cmd, transfer);
  }

  dispose(): void {
    this.stopped = true;
    clearInterval(this.ticker);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.detach(this.worker);
    this.worker.terminate();
  }

  /** The settings as the worker gets them: the user's, on the backend the run was moved to. */
  private routed(s: Settings): Settings {
    return this.override ? { ...s, backend: this.override.backend } : s;
  }

  private newRun(): void {
    this.runId++;
    this.checkpoint = null;
    this.checkpointAsked = null;
    this.lastStep = 0;
  }

  private start(): WorkerLike {
    const w = this.opts.create();
    this.lastBeat = null;
    w.onmessage = (e) => this.receive(e.data);
    w.onerror = (e) => {
      // Handled here: the page recovers, so the browser need not report it as the page's own error.
      e.preventDefault?.();
      this.report({ kind: 'crash', message: e.message || 'an uncaught error' });
    };
    this.opts.onWorker?.(w);
    return w;
  }

  private detach(w: WorkerLike): void {
    w.onmessage = null;
    w.onerror = null;
  }

  private receive(ev: EngineEvent): void {
    switch (ev.type) {
      case 'heartbeat':
        this.lastBeat = this.now();
        return;
      case 'checkpoint':
        if (this.checkpointAsked === ev.id) this.checkpointAsked = null;
        if (ev.state && ev.id === this.runId) this.checkpoint = { state: ev.state, at: this.now() };
        return;
      case 'deviceLost':
        this.report({ kind: 'device', message: ev.message, backend: ev.backend });
        return;
      case 'snapshot':
        this.lastStep = ev.step;
        // A failing worker stops on its own: that is no reason not to resume.
        if (!this.fault) this.playing = ev.playing;
        break;
      case 'error':
        if (ev.kind === 'fatal') this.report({ kind: 'fatal', message: ev.message });
        break;
      case 'modelLoaded': {
        const load = this.loads.shift();
        if (load?.restore) {
          if (!ev.ok)
            this.opts.onNotice(
              `The checkpoint could not be restored (${ev.message}); the run starts again from step 0.`,
            );
          return;
        }
        if (ev.ok && load) {
          // A loaded file is the run's new starting point; the page keeps the user's backend choice.
          this.newRun();
          this.checkpoint = { state: load.state, at: this.now() };
          this.settings = load.settings;
          ev = { ...ev, settings: { ...ev.settings, backend: load.settings.backend } };
        }
        break;
      }
    }
    this.opts.onEvent(ev);
  }

  private tick(): void {
    if (this.stopped || this.fault) return;
    const t = this.now();
    const visible = this.opts.visible?.() ?? true;
    if (!visible) {
      // Timers in a hidden tab are throttled: start counting again once it is shown.
      if (this.lastBeat !== null) this.lastBeat = t;
    } else if (this.lastBeat !== null && t - this.lastBeat > this.timing.hangMs) {
      this.report({ kind: 'hang', message: `no sign of life for ${Math.round((t - this.lastBeat) / 1000)} s` });
      return;
    }
    const due = !this.checkpoint || t - this.checkpoint.at >= this.timing.checkpointMs;
    const moved = this.lastStep > (this.checkpoint?.state.step ?? 0);
    if (due && moved && this.checkpointAsked === null && this.lastBeat !== null) {
      this.checkpointAsked = this.runId;
      this.worker.postMessage({ type: 'checkpoint', id: this.runId });
    }
  }

  /** Collects a fault's signals for SETTLE_MS, then replaces the worker once. */
  private report(f: Fault): void {
    if (this.stopped) return;
    if (!this.fault || RANK[f.kind] > RANK[this.fault.kind]) this.fault = f;
    if (!this.settleTimer) this.settleTimer = setTimeout(() => this.replace(), SETTLE_MS);
  }

  private replace(): void {
    const f = this.fault!;
    this.fault = null;
    this.settleTimer = null;
    const t = this.now();
    this.restarts = this.restarts.filter((r) => t - r < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS) {
      this.opts.onNotice(
        `The training engine failed again (${f.message}) after ${MAX_RESTARTS} restarts in two minutes; it was not restarted. Reload the page to try again.`,
      );
      this.stopped = true;
      clearInterval(this.ticker);
      return;
    }
    this.restarts.push(t);
    if (f.kind === 'device' && f.backend && this.settings) {
      this.override = { backend: FALLBACK_AFTER[f.backend], from: this.settings.backend };
    }
    const old = this.worker;
    this.detach(old);
    old.terminate();
    this.worker = this.start();
    this.checkpointAsked = null;
    this.loads = [];
    this.opts.onNotice(this.resume(f));
  }

  /** Rebuilds the run in the new worker and says what happened. */
  private resume(f: Fault): string {
    const what =
      f.kind === 'device'
        ? `The ${f.backend ?? 'GPU'} device was lost (${f.message}).`
        : f.kind === 'hang'
          ? `The training worker stopped responding (${f.message}).`
          : `The training worker failed (${f.message}).`;
    const s = this.settings;
    if (!s) return `${what} A new one was started.`;
    const routed = this.routed(s);
    if (this.userData) this.worker.postMessage(this.userData);
    this.worker.postMessage({ type: 'configure', settings: routed, assetBase: this.assetBase });
    const where = this.override ? ` on ${this.override.backend}` : '';
    let from: string;
    const c = this.checkpoint;
    if (c) {
      this.loads.push({ restore: true, state: c.state, settings: s });
      this.worker.postMessage({ type: 'loadModel', state: c.state, settings: routed });
      const ago = Math.round((this.now() - c.at) / 1000);
      from = `from the checkpoint at step ${c.state.step} (taken ${ago} s earlier), with its weights, Adam's state, data position and the current settings`;
    } else {
      from = 'from step 0 (no checkpoint had been taken yet)';
    }
    this.lastStep = c?.state.step ?? 0;
    if (this.playing) this.worker.postMessage({ type: 'play' });
    return `${what} The run continues${where} ${from}.`;
  }
}
