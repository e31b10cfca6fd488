// The page's recovery from a failed worker or a lost GPU, driven with a fake worker and a fake
// clock: what the new worker is told (settings, backend, checkpoint, play), what the views are
// told, and when the supervisor gives up.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelState } from '../../src/core/modelFile';
import { defaultSettings, type Settings } from '../../src/core/settings';
import type { Command, EngineEvent } from '../../src/protocol';
import { EngineSupervisor, type FaultTiming, type WorkerLike } from '../../src/ui/engineSupervisor';
import { storageProblem } from '../../src/ui/modelStore';

class FakeWorker implements WorkerLike {
  sent: Command[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<EngineEvent>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(m: Command): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(ev: EngineEvent): void {
    this.onmessage?.({ data: ev } as MessageEvent<EngineEvent>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => {} } as unknown as ErrorEvent);
  }
  of<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
    return this.sent.filter((c): c is Extract<Command, { type: T }> => c.type === type);
  }
}

const TIMING: FaultTiming = { hangMs: 5000, checkpointMs: 2000 };

function stateAt(step: number, s: Settings): ModelState {
  return {
    arch: { dataset: s.dataset, model: s.model, embeddingDim: s.embeddingDim, seed: s.seed },
    step,
    seen: step * s.batchSize,
    orderEpoch: 0,
    cursor: step * s.batchSize,
    weights: [{ shape: [2], data: new Float32Array([step, -step]) }],
    optimizer: null,
    savedAt: '2026-12-03T10:00:00.000Z',
  };
}

function snapshot(step: number, playing: boolean): EngineEvent {
  return { type: 'snapshot', step, playing } as unknown as EngineEvent;
}

describe('EngineSupervisor', () => {
  let workers: FakeWorker[];
  let events: EngineEvent[];
  let notices: string[];
  let visible: boolean;
  let sup: EngineSupervisor;
  const settings: Settings = { ...defaultSettings('mnist'), backend: 'webgpu', batchSize: 16 };
  const current = () => workers[workers.length - 1];

  beforeEach(() => {
    vi.useFakeTimers();
    workers = [];
    events = [];
    notices = [];
    visible = true;
    sup = new EngineSupervisor({
      create: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      onEvent: (ev) => events.push(ev),
      onNotice: (m) => notices.push(m),
      timing: TIMING,
      now: () => Date.now(),
      visible: () => visible,
    });
    sup.send({ type: 'configure', settings, assetBase: 'http://x/' });
    sup.send({ type: 'play' });
  });
  afterEach(() => {
    sup.dispose();
    vi.useRealTimers();
  });

  /** Heartbeats and snapshots for `seconds`, the step rising by one a second; answers checkpoint requests. */
  function run(seconds: number, from: number): number {
    let step = from;
    for (let i = 0; i < seconds; i++) {
      const w = current();
      w.emit({ type: 'heartbeat' });
      w.emit(snapshot(++step, true));
      const asked = w.of('checkpoint').filter((c) => !(c as { answered?: boolean }).answered);
      for (const c of asked) {
        (c as { answered?: boolean }).answered = true;
        w.emit({ type: 'checkpoint', id: c.id, state: stateAt(step, settings) });
      }
      vi.advanceTimersByTime(1000);
    }
    return step;
  }

  it('a crashed worker is replaced; the new one gets the settings, the last checkpoint and Play', () => {
    const step = run(5, 0);
    const taken = current().of('checkpoint').length;
    expect(taken).toBeGreaterThan(0);
    const old = current();
    old.crash('boom');
    vi.advanceTimersByTime(400);
    expect(old.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    const w = current();
    expect(w.sent.map((c) => c.type)).toEqual(['configure', 'loadModel', 'play']);
    const load = w.of('loadModel')[0];
    expect(load.state.step).toBeGreaterThan(0);
    expect(load.state.step).toBeLessThanOrEqual(step);
    expect(load.settings).toEqual(settings);
    expect(notices.at(-1)).toContain(`checkpoint at step ${load.state.step}`);
    expect(notices.at(-1)).toContain('boom');
    // The restore's answer is the supervisor's own: the export panel never sees it.
    w.emit({ type: 'modelLoaded', ok: true, step: load.state.step, settings });
    expect(events.some((e) => e.type === 'modelLoaded')).toBe(false);
    // Heartbeats and checkpoints never reach the views.
    expect(events.some((e) => e.type === 'heartbeat' || e.type === 'checkpoint')).toBe(false);
  });

  it('a silent worker counts as hung only after its first heartbeat, and not while the tab is hidden', () => {
    vi.advanceTimersByTime(20_000);
    expect(workers).toHaveLength(1);
    run(2, 0);
    visible = false;
    vi.advanceTimersByTime(20_000);
    expect(workers).toHaveLength(1);
    visible = true;
    vi.advanceTimersByTime(4000);
    expect(workers).toHaveLength(1);
    vi.advanceTimersByTime(2500);
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(notices.at(-1)).toMatch(/stopped responding/);
  });

  it('a lost WebGPU device moves the run to WebGL, and later commands follow it until the user picks a backend', () => {
    run(4, 0);
    current().emit({ type: 'error', kind: 'fatal', message: 'mapAsync failed' });
    current().emit({ type: 'deviceLost', backend: 'webgpu', message: 'destroyed' });
    vi.advanceTimersByTime(400);
    expect(workers).toHaveLength(2);
    const w = current();
    expect(w.of('configure')[0].settings.backend).toBe('webgl');
    expect(w.of('loadModel')[0].settings.backend).toBe('webgl');
    expect(notices.at(-1)).toMatch(/webgpu device was lost \(destroyed\).*continues on webgl/);
    sup.send({ type: 'setParams', settings: { ...settings, temperature: 0.3 } });
    expect(w.of('setParams')[0].settings).toEqual({ ...settings, temperature: 0.3, backend: 'webgl' });
    // A lost WebGL context then moves it on to wasm.
    run(1, 0);
    w.emit({ type: 'deviceLost', backend: 'webgl', message: 'context lost' });
    vi.advanceTimersByTime(400);
    expect(current().of('configure')[0].settings.backend).toBe('wasm');
    // The user's own choice wins again.
    sup.send({ type: 'configure', settings: { ...settings, backend: 'cpu' }, assetBase: 'http://x/' });
    expect(current().of('configure').at(-1)!.settings.backend).toBe('cpu');
  });

  it('a checkpoint of an earlier run is never restored into a new one', () => {
    run(4, 0);
    sup.send({ type: 'configure', settings: { ...settings, seed: 7 }, assetBase: 'http://x/' });
    current().crash('after reset');
    vi.advanceTimersByTime(400);
    const w = current();
    expect(w.of('loadModel')).toHaveLength(0);
    expect(w.of('configure')[0].settings.seed).toBe(7);
    expect(notices.at(-1)).toContain('from step 0');
  });

  it('a loaded file becomes the checkpoint, and the page keeps its own backend choice', () => {
    run(2, 0);
    current().emit({ type: 'deviceLost', backend: 'webgpu', message: 'gone' });
    vi.advanceTimersByTime(400);
    const restored = current().of('loadModel')[0].state.step;
    current().emit({ type: 'modelLoaded', ok: true, step: restored, settings: { ...settings, backend: 'webgl' } });
    const file = stateAt(40, settings);
    sup.send({ type: 'loadModel', state: file, settings });
    expect(current().of('loadModel').at(-1)!.settings.backend).toBe('webgl');
    current().emit({ type: 'modelLoaded', ok: true, step: 40, settings: { ...settings, backend: 'webgl' } });
    const loaded = events.filter((e) => e.type === 'modelLoaded').at(-1) as Extract<
      EngineEvent,
      { type: 'modelLoaded'; ok: true }
    >;
    expect(loaded.settings.backend).toBe('webgpu');
    current().crash('again');
    vi.advanceTimersByTime(400);
    expect(current().of('loadModel')[0].state).toBe(file);
  });

  it('gives up after three replacements in two minutes, and says so', () => {
    for (let i = 0; i < 4; i++) {
      current().crash(`crash ${i}`);
      vi.advanceTimersByTime(400);
    }
    expect(workers).toHaveLength(4);
    expect(notices.at(-1)).toMatch(/not restarted/);
  });

  it('asks for a checkpoint only when the run has moved on and one is due', () => {
    current().emit({ type: 'heartbeat' });
    vi.advanceTimersByTime(5000);
    current().emit({ type: 'heartbeat' });
    expect(current().of('checkpoint')).toHaveLength(0);
    run(1, 0);
    expect(current().of('checkpoint')).toHaveLength(1);
  });
});

describe('storageProblem', () => {
  it('names a full disk and blocked storage, and passes anything else on', () => {
    expect(storageProblem({ name: 'QuotaExceededError', message: 'x' })).toMatch(/full/);
    expect(storageProblem({ name: 'SecurityError', message: 'denied' })).toMatch(/blocked/);
    expect(storageProblem(new Error('this browser has no IndexedDB'))).toMatch(/blocked/);
    expect(storageProblem(new Error('disk on fire'))).toBe('storage failed: disk on fire');
  });
});
