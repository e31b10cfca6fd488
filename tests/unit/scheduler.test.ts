// The worker's schedule, driven by a fake run that logs what ran in which order: Step
// presses, chores between steps, rebuilds pre-empting training, latest-wins queries and
// background work that gives way to training.
import { describe, expect, it } from 'vitest';
import { Scheduler, type BackgroundSource, type RunHooks } from '../../src/engine/scheduler';

const tick = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

function fakeRun(log: string[], opts: { stepMs?: number } = {}) {
  let step = 0;
  let built = true;
  const hooks: RunHooks = {
    hasRun: () => built,
    step: async (isLast) => {
      await new Promise((r) => setTimeout(r, opts.stepMs ?? 0));
      step++;
      log.push(`step ${step}${isLast() ? ' last' : ''}`);
      return true;
    },
    afterStep: async () => {
      log.push('report');
    },
    loopEnded: async () => {
      log.push('loopEnded');
    },
    settled: async () => {
      log.push('settled');
    },
    speed: () => 0,
    failed: (e) => log.push(`failed ${String(e)}`),
  };
  return {
    hooks,
    steps: () => step,
    setBuilt: (b: boolean) => {
      built = b;
    },
  };
}

function fakeBackground(log: string[], slices: number, sliceMs = 0): BackgroundSource & { left: () => number } {
  let left = slices;
  return {
    afterStep: async () => {
      log.push('bg afterStep');
    },
    hasIdleWork: () => left > 0,
    idleSlice: async () => {
      if (sliceMs) await new Promise((r) => setTimeout(r, sliceMs));
      left--;
      log.push('bg slice');
    },
    left: () => left,
  };
}

describe('Scheduler', () => {
  it('runs the Step presses asked for, marks the last, then settles and drains idle work', async () => {
    const log: string[] = [];
    const run = fakeRun(log);
    const s = new Scheduler(run.hooks);
    const bg = fakeBackground(log, 2);
    s.addBackground(bg);
    s.steps(3);
    expect(s.active).toBe(true);
    await until(() => bg.left() === 0 && !s.training, 'the idle drain');
    expect(s.active).toBe(false);
    expect(log).toEqual([
      'step 1',
      'report',
      'bg afterStep',
      'step 2',
      'report',
      'bg afterStep',
      'step 3 last',
      'report',
      'bg afterStep',
      'loopEnded',
      'settled',
      'bg slice',
      'bg slice',
    ]);
  });

  it('runs a chore between two steps while training, and at once while idle', async () => {
    const log: string[] = [];
    const run = fakeRun(log, { stepMs: 5 });
    const s = new Scheduler(run.hooks);
    s.play();
    await until(() => run.steps() >= 2, 'two steps');
    s.chore(
      async () => {
        log.push('chore');
      },
      () => log.push('chore failed'),
    );
    await until(() => log.includes('chore'), 'the chore');
    const at = log.indexOf('chore');
    expect(log[at - 1]).toBe('report');
    s.halt();
    await until(() => !s.training && log.includes('settled'), 'the loop to end');
    const stepsAtPause = run.steps();
    s.chore(
      async () => {
        throw new Error('no');
      },
      (e) => log.push(`chore failed ${(e as Error).message}`),
    );
    await until(() => log.includes('chore failed no'), 'the idle chore');
    expect(run.steps()).toBe(stepsAtPause);
  });

  it('a rebuild stops training after the current step, runs alone, then training resumes', async () => {
    const log: string[] = [];
    const run = fakeRun(log, { stepMs: 5 });
    const s = new Scheduler(run.hooks);
    s.play();
    await until(() => run.steps() >= 1, 'a step');
    let stepsDuring = -1;
    s.rebuild(async () => {
      log.push('rebuild');
      const before = run.steps();
      await new Promise((r) => setTimeout(r, 30));
      stepsDuring = run.steps() - before;
    });
    await until(() => log.includes('rebuild'), 'the rebuild');
    const at = log.indexOf('rebuild');
    expect(log.slice(at - 2, at)).toEqual(['loopEnded', 'settled']);
    await until(() => log.lastIndexOf('report') > at, 'training to resume');
    expect(stepsDuring).toBe(0);
    s.halt();
    await until(() => !s.training, 'the loop to end');
  });

  it('a Step pressed while a rebuild runs is taken once the run is rebuilt', async () => {
    const log: string[] = [];
    const run = fakeRun(log);
    const s = new Scheduler(run.hooks);
    let release = () => {};
    s.rebuild(
      () =>
        new Promise<void>((r) => {
          log.push('rebuild');
          release = r;
        }),
    );
    await until(() => log.includes('rebuild'), 'the rebuild');
    s.steps(1);
    await tick();
    expect(run.steps()).toBe(0);
    release();
    await until(() => run.steps() === 1 && !s.training, 'the step');
    expect(log.slice(log.indexOf('rebuild') + 1, log.indexOf('rebuild') + 2)).toEqual(['step 1 last']);
  });

  it('keeps only the latest query per key while one runs, and waits for a usable run', async () => {
    const log: string[] = [];
    const run = fakeRun(log);
    const s = new Scheduler(run.hooks);
    let release = () => {};
    s.query(
      'preview',
      () =>
        new Promise<void>((r) => {
          log.push('q1');
          release = r;
        }),
    );
    s.query('preview', async () => {
      log.push('q2');
    });
    s.query('preview', async () => {
      log.push('q3');
    });
    s.query('other', async () => {
      log.push('o1');
    });
    await tick();
    release();
    await until(() => log.includes('q3'), 'the latest query');
    expect(log).toEqual(['q1', 'o1', 'q3']);

    // No run yet: the request waits, and the end of the rebuild that builds one answers it.
    run.setBuilt(false);
    s.query('preview', async () => {
      log.push('q4');
    });
    await tick();
    expect(log).not.toContain('q4');
    s.rebuild(async () => {
      run.setBuilt(true);
    });
    await until(() => log.includes('q4'), 'the waiting query');
  });

  it('idle background work gives way to Play, and resumes when training stops', async () => {
    const log: string[] = [];
    const run = fakeRun(log, { stepMs: 2 });
    const s = new Scheduler(run.hooks);
    const bg = fakeBackground(log, 1000, 1);
    s.addBackground(bg);
    s.pumpIdle();
    await until(() => bg.left() < 990, 'some idle slices');
    s.play();
    await until(() => run.steps() >= 3, 'three steps');
    const sliceAtPlay = bg.left();
    await until(() => run.steps() >= 6, 'three more steps');
    expect(bg.left()).toBe(sliceAtPlay);
    s.halt();
    await until(() => bg.left() < sliceAtPlay, 'idle slices again');
    expect(log.filter((l) => l === 'bg afterStep').length).toBe(run.steps());
  });
});
