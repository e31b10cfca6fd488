// The worker's schedule: what runs when, and what gives way to what. One JavaScript thread
// does everything, so "at once" means "at the next await"; every kind of work below is cut
// into pieces short enough that a command from the page is never kept waiting long.
//
// Kinds of work, strongest first:
//  1. Rebuilds (configure, reset, load a saved run): exclusive and in order. While one is
//     pending, training stops after its current step and nothing else starts.
//  2. Training steps: while playing, or while Step presses are left. Between two steps, in
//     this order: the run's bookkeeping (display refresh, snapshot), one slice of each
//     background source, every waiting chore, a yield to the event loop, then the speed
//     setting's wait.
//  3. Chores (export embeddings, save the model): one-shot jobs that read the weights, so
//     they run between two steps, or at once when training is idle (an idle background
//     slice in progress finishes first, then gives way).
//  4. Queries (the augmentation preview; later, small latency-sensitive requests such as
//     embedding a drawing): keyed, only the latest request per key counts, and they run
//     beside the loop, between its awaits, not queued behind it. While a rebuild is pending
//     they wait, and its end answers them.
//  5. Background sources (evaluation: periodic kNN and baselines; the few-label studies:
//     probes, fine-tuning, the label curve): one slice after each training step, by their
//     own budget; while training is idle, slice after slice until something above wants the
//     thread.
// The command chain serialises rebuilds, the training loop, idle chores and idle background
// work; queries stay off it, since a playing loop holds it.

import { yieldToEvents } from './yieldToEvents';

/** Work cut into slices that runs in the time training leaves. */
export interface BackgroundSource {
  /** Called after every training step; runs at most one slice, when its own budget allows. */
  afterStep(): Promise<void>;
  /** Whether there is work left for an idle engine. */
  hasIdleWork(): boolean;
  /** One slice of that work. */
  idleSlice(): Promise<void>;
}

/** What the scheduler asks of the current run. */
export interface RunHooks {
  /** Whether a run exists (a trainer is built). */
  hasRun(): boolean;
  /** One training step and its bookkeeping; `isLast()`, asked once the step is done: no
   *  further step is wanted. Returns false when training had to stop (the hook calls halt()). */
  step(isLast: () => boolean): Promise<boolean>;
  /** After a step has been counted: display refresh, snapshot. `stepStart`: when it began. */
  afterStep(stepStart: number): Promise<void>;
  /** The loop ended: read whatever the step left unread, before anything looks at the weights. */
  loopEnded(): Promise<void>;
  /** The loop and its chores are done: show the state as it now is. */
  settled(): Promise<void>;
  /** Steps per second asked for (0: as fast as possible). */
  speed(): number;
  /** A task on the command chain failed. */
  failed(e: unknown): void;
}

interface Chore {
  run: () => Promise<void>;
  failed: (e: unknown) => void;
}
interface Query {
  wanted: (() => Promise<void>) | null;
  busy: boolean;
}

export class Scheduler {
  private playingFlag = false;
  private stepsLeft = 0;
  private rebuilds = 0;
  private looping = false;
  private idleRunning = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly chores: Chore[] = [];
  private readonly queries = new Map<string, Query>();
  private readonly background: BackgroundSource[] = [];

  constructor(private readonly run: RunHooks) {}

  /** Background sources, in priority order (the first with idle work gets the idle slice). */
  addBackground(source: BackgroundSource): void {
    this.background.push(source);
  }

  /** Whether training is playing or has Step presses left (what the page shows as running). */
  get active(): boolean {
    return this.playingFlag || this.stepsLeft > 0;
  }

  get playing(): boolean {
    return this.playingFlag;
  }

  /** Whether the training loop is running (a step may be in flight). */
  get training(): boolean {
    return this.looping;
  }

  play(): void {
    this.playingFlag = true;
    this.kick();
  }

  /** Stops playing after the current step (Step presses already asked for still run). */
  stopPlaying(): void {
    this.playingFlag = false;
  }

  /** Stops training after the current step; Step presses not yet run are dropped. */
  halt(): void {
    this.playingFlag = false;
    this.stepsLeft = 0;
  }

  steps(n: number): void {
    this.stepsLeft += n;
    this.kick();
  }

  /** Runs `task` exclusively, after everything queued before it; training then resumes if it
   *  is wanted (playing, or Step presses made while the rebuild ran). */
  rebuild(task: () => Promise<void>): void {
    this.rebuilds++;
    this.enqueue(() =>
      task().finally(() => {
        if (--this.rebuilds > 0) return;
        // Queries and Step presses that arrived meanwhile waited for a usable run.
        this.retryQueries();
        this.kick();
      }),
    );
  }

  /** A one-shot job that reads the weights: between two steps, or at once when idle. */
  chore(run: () => Promise<void>, failed: (e: unknown) => void): void {
    this.chores.push({ run, failed });
    // A running loop picks it up after its current step; an idle background slice gives way.
    if (!this.looping)
      this.enqueue(async () => {
        await this.runChores();
        this.pumpIdle();
      });
  }

  /** A latency-sensitive request; a newer one under the same key replaces one not yet started. */
  query(key: string, run: () => Promise<void>): void {
    const q = this.queries.get(key) ?? { wanted: null, busy: false };
    this.queries.set(key, q);
    q.wanted = run;
    void this.runQuery(q);
  }

  private retryQueries(): void {
    for (const q of this.queries.values()) void this.runQuery(q);
  }

  /** Whether the current run may be used: built, and no rebuild pending. */
  private get runUsable(): boolean {
    return this.run.hasRun() && this.rebuilds === 0;
  }

  private async runQuery(q: Query): Promise<void> {
    if (q.busy || !this.runUsable || !q.wanted) return;
    q.busy = true;
    try {
      while (q.wanted && this.runUsable) {
        const next = q.wanted;
        q.wanted = null;
        await next();
      }
    } catch {
      // A backend switch or reset under way: the request is asked again for the new run.
    } finally {
      q.busy = false;
    }
  }

  /** Starts the training loop if it is wanted and not running. */
  kick(): void {
    if (this.looping || !this.runUsable || !this.active) return;
    this.looping = true;
    this.enqueue(() => this.loop());
  }

  /** While idle, background work runs slice by slice until anything else wants the thread. */
  pumpIdle(): void {
    if (this.idleRunning || this.looping || !this.run.hasRun()) return;
    this.idleRunning = true;
    this.enqueue(() =>
      this.drainIdle().finally(() => {
        this.idleRunning = false;
      }),
    );
  }

  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((e) => this.run.failed(e));
  }

  private async loop(): Promise<void> {
    try {
      while (this.runUsable && this.active) {
        const t0 = performance.now();
        if (!(await this.run.step(() => !this.playingFlag && this.stepsLeft <= 1))) break;
        if (this.stepsLeft > 0) this.stepsLeft--;
        await this.run.afterStep(t0);
        for (const b of this.background) await b.afterStep();
        if (this.chores.length) await this.runChores();
        await yieldToEvents();
        await this.pace(t0);
      }
      if (this.run.hasRun()) await this.run.loopEnded();
    } finally {
      this.looping = false;
    }
    // Asked for during the last step: nothing else would pick them up.
    if (this.chores.length) await this.runChores();
    if (this.run.hasRun()) {
      await this.run.settled();
      this.pumpIdle();
    }
  }

  private async runChores(): Promise<void> {
    while (this.chores.length) {
      const c = this.chores.shift()!;
      try {
        await c.run();
      } catch (e) {
        c.failed(e);
      }
    }
  }

  private async drainIdle(): Promise<void> {
    const interrupted = () => this.looping || this.active || this.rebuilds > 0 || this.chores.length > 0;
    while (!interrupted()) {
      const source = this.background.find((b) => b.hasIdleWork());
      if (!source) return;
      await source.idleSlice();
      await yieldToEvents();
    }
  }

  /** The speed setting: waits out the rest of 1/speed seconds after a step began, in short
   *  slices so pause, reset and new settings still take effect at once. */
  private async pace(stepStart: number): Promise<void> {
    for (;;) {
      const speed = this.run.speed();
      const left = speed > 0 ? stepStart + 1000 / speed - performance.now() : 0;
      if (left <= 0 || !this.playingFlag || this.rebuilds > 0) return;
      await new Promise((r) => setTimeout(r, Math.min(50, left)));
    }
  }
}
