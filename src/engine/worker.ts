// The worker's entry: speaks the protocol and drives the Trainer. Training runs here so the
// page never waits on tfjs; between steps the loop yields so commands (pause, temperature...)
// are handled at once.

import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../core/dataset';
import { loadMnist } from '../core/mnist';
import { makeShapes } from '../core/shapes';
import type { ModelState } from '../core/modelFile';
import type { Settings } from '../core/settings';
import { HISTORY_MAX, type BackendInfo, type Command, type EngineEvent, type Snapshot, type TransferFailed } from '../protocol';
import { deviceLost, selectBackend } from './backend';
import { LossHistory } from './history';
import { ChancePlateau } from '../core/chancePlateau';
import { MetricsRunner } from './metrics';
import { stockGradients } from './ops/stockGradients';
import { NonFiniteLossError, Trainer, type StepResult } from './trainer';
import { yieldToEvents } from './yieldToEvents';

const SHAPES_SEED = 20261123;
const SHAPES_COUNT = 10_000;
// 10 snapshots a second: each re-renders every panel, and the embedding view glides between
// them anyway; at 30 a second the software-rendered page spent most of its main thread redrawing.
const SNAPSHOT_MS = 100;

const post = (ev: EngineEvent, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(ev, transfer);

let settings: Settings | null = null;
let assetBase = '';
let backend: BackendInfo | null = null;
let trainer: Trainer | null = null;
const datasets = new Map<string, Dataset>();
let playing = false;
let pendingSteps = 0;
let pendingConfigure = 0;
let looping = false;
/** kNN, geometry and probes; run between steps, or by pumpMetrics while paused. */
const metrics = new MetricsRunner((ev) => post(ev));
let pumping = false;
/** The last step's batch and views, sent with the next snapshot only (they are large). */
let last: StepResult | null = null;
let lastLoss = NaN;
/** Steps per loss read on GPU backends, where each read waits for the queue to drain (Trainer.readEvery). */
const GPU_READ_EVERY = 8;
/** Duration of the last training step, to start reading the batch back one step before a snapshot is due. */
let lastStepMs = 0;
let history = new LossHistory(HISTORY_MAX);
const plateau = new ChancePlateau();
let stepTimes: number[] = [];
let display: Snapshot['display'] = null;
/** Whether `display` was re-embedded since the last snapshot (then it travels with the next). */
let displayFresh = false;
let displayCostMs = 0;
let lastDisplayAt = 0;
let lastSnapshotAt = 0;
/** Slow motion: the next step also sends its batch before and after the update. */
let explainNext = false;
let previewWanted: Settings | null = null;
let previewBusy = false;

/** Exports and saves: they read the weights, so they run between two steps (or at once when idle), never during one. */
const chores: { what: TransferFailed['what']; run: () => Promise<void> }[] = [];

let chain: Promise<void> = Promise.resolve();
function enqueue(task: () => Promise<void>): void {
  chain = chain.then(task).catch((e) => post({ type: 'error', kind: 'fatal', message: errorText(e) }));
}

self.onmessage = (e: MessageEvent<Command>) => {
  const cmd = e.data;
  switch (cmd.type) {
    case 'configure':
      assetBase = cmd.assetBase;
      pendingConfigure++;
      enqueue(() => configure(cmd.settings).finally(() => pendingConfigure--));
      enqueue(async () => kick());
      break;
    case 'reset':
      if (!settings) return;
      pendingConfigure++;
      enqueue(() => configure(settings!).finally(() => pendingConfigure--));
      break;
    case 'play':
      playing = true;
      kick();
      break;
    case 'pause':
      playing = false;
      pendingSteps = 0;
      metrics.notePaused();
      sendSnapshot(true);
      break;
    case 'step':
      pendingSteps += Math.max(1, Math.floor(cmd.n));
      if (cmd.explain) explainNext = true;
      kick();
      break;
    case 'poisonNextStep':
      if (trainer) trainer.poisonNext = true;
      break;
    case 'preview':
      previewWanted = cmd.settings;
      void runPreview();
      break;
    case 'evaluate':
      metrics.requestProbe(cmd.labelsPerClass);
      pumpMetrics();
      break;
    case 'setMetrics':
      metrics.setK(cmd.knnK);
      pumpMetrics();
      break;
    case 'setParams': {
      const lossChanged = settings?.loss !== cmd.settings.loss;
      settings = cmd.settings;
      trainer?.update(cmd.settings);
      // Paused, no step would tell the page: its loss panels follow the switch at once.
      if (lossChanged && !looping) sendSnapshot(true);
      break;
    }
    case 'exportEmbeddings':
      chore('embeddings', exportEmbeddings);
      break;
    case 'saveModel':
      chore('model', saveModel);
      break;
    case 'loadModel':
      pendingConfigure++;
      enqueue(() => loadModel(cmd.state, cmd.settings).finally(() => pendingConfigure--));
      enqueue(async () => kick());
      break;
  }
};

function chore(what: TransferFailed['what'], run: () => Promise<void>): void {
  chores.push({ what, run });
  // A running loop picks it up after its current step; otherwise it goes on the command chain
  // (an idle evaluation in progress stops for it: see pumpMetrics).
  if (!looping) enqueue(async () => { await runChores(); pumpMetrics(); });
}

async function runChores(): Promise<void> {
  while (chores.length) {
    const c = chores.shift()!;
    try {
      await c.run();
    } catch (e) {
      post({ type: 'transferFailed', what: c.what, message: errorText(e) });
    }
  }
}

async function exportEmbeddings(): Promise<void> {
  const t = trainer;
  if (!t) throw new Error('The model is still being built; try again in a moment.');
  const { h, z } = await t.embedDisplayBoth();
  const idx = t.displayIndices.slice();
  const factors = t.data.factors.map((f) => ({ name: f.name, classes: f.classes, values: Int32Array.from(idx, (i) => f.values[i]) }));
  post({ type: 'embeddings', step: t.step, count: idx.length, indices: idx, z, zDim: t.encoder.zDim, h, hDim: t.encoder.hDim, factors },
    [z.buffer, h.buffer, idx.buffer, ...factors.map((f) => f.values.buffer)]);
}

async function saveModel(): Promise<void> {
  const t = trainer;
  if (!t) throw new Error('The model is still being built; try again in a moment.');
  await flushLosses(t);
  const state = await t.saveState();
  const tensors = [...state.weights, ...(state.optimizer ? [...state.optimizer.firstMoment, ...state.optimizer.secondMoment] : [])];
  post({ type: 'modelSaved', state }, tensors.map((x) => x.data.buffer));
}

/**
 * A saved run replaces the current one only once it is known to fit: it is built and filled
 * beside the running trainer, which stays untouched (and keeps its place) on any refusal.
 */
async function loadModel(state: ModelState, next: Settings): Promise<void> {
  const refuse = (message: string) => post({ type: 'modelLoaded', ok: false, message });
  let data: Dataset;
  try {
    data = await loadDataset(next.dataset);
  } catch (e) {
    refuse(`Not loaded (training is unchanged): the ${next.dataset} dataset could not be loaded (${errorText(e)}).`);
    return;
  }
  let candidate: Trainer | null = null;
  try {
    candidate = new Trainer(data, next);
    const problem = await candidate.restore(state);
    if (problem) {
      candidate.dispose();
      refuse(problem);
      return;
    }
  } catch (e) {
    candidate?.dispose();
    refuse(`Not loaded (training is unchanged): ${errorText(e)}`);
    return;
  }
  settings = next;
  await retire();
  await adopt(candidate, data);
  post({ type: 'modelLoaded', ok: true, step: candidate.step, settings: next });
}

async function loadDataset(id: string): Promise<Dataset> {
  const cached = datasets.get(id);
  if (cached) return cached;
  const d = id === 'shapes' ? makeShapes(SHAPES_COUNT, SHAPES_SEED) : await loadMnist(new URL('data/mnist.bin', assetBase).href);
  datasets.set(id, d);
  return d;
}

/** Ends the current run: its evaluation jobs, its trainer and what the page was sent about it. */
async function retire(): Promise<void> {
  await metrics.stop();
  trainer?.dispose();
  trainer = null;
  last = null;
  lastLoss = NaN;
  display = null;
  history = new LossHistory(HISTORY_MAX);
  plateau.reset();
  stepTimes = [];
}

async function configure(next: Settings): Promise<void> {
  const backendChanged = !backend || !settings || next.backend !== settings.backend;
  settings = next;
  await retire();
  if (backendChanged) {
    backend = await selectBackend(next.backend);
    post(backend);
    watchDevice();
  }
  let data: Dataset;
  try {
    data = await loadDataset(next.dataset);
  } catch (e) {
    playing = false;
    post({ type: 'error', kind: 'data', message: `Could not load the ${next.dataset} dataset: ${errorText(e)}` });
    return;
  }
  await adopt(new Trainer(data, next), data);
}

/** Makes `t` the running trainer and tells the page: ready, the display set, a snapshot. */
async function adopt(t: Trainer, data: Dataset): Promise<void> {
  trainer = t;
  trainer.readEvery = stockGradients() ? GPU_READ_EVERY : 1;
  metrics.start(trainer, () => settings!);
  post({
    type: 'ready', dataset: settings!.dataset, trainCount: trainer.train.length, testCount: trainer.test.length,
    classNames: data.classNames, parameterCount: trainer.encoder.parameterCount,
    factors: data.factors.map((f) => ({ name: f.name, classes: f.classes, swatches: f.swatches, displayValues: Int32Array.from(t.displayIndices, (i) => f.values[i]) })),
  });
  await refreshDisplay();
  sendSnapshot(true);
  void runPreview();
  pumpMetrics();
}

/** A lost WebGPU device (driver reset, GPU unplugged) falls back to the next backend. */
function watchDevice(): void {
  const lost = deviceLost();
  if (!lost) return;
  const backendAtStart = backend;
  void lost.then((why) => {
    if (backend !== backendAtStart || !settings) return;
    playing = false;
    post({ type: 'error', kind: 'backend', message: `The GPU device was lost (${why}). Switching to wasm; training restarts from step 0.` });
    backend = null;
    const fallback: Settings = { ...settings, backend: 'wasm' };
    pendingConfigure++;
    enqueue(() => configure(fallback).finally(() => pendingConfigure--));
  });
}

function kick(): void {
  if (looping || !trainer || pendingConfigure > 0) return;
  if (!playing && pendingSteps === 0) return;
  looping = true;
  enqueue(loop);
}

async function loop(): Promise<void> {
  try {
    while (trainer && pendingConfigure === 0 && (playing || pendingSteps > 0)) {
      const t0 = performance.now();
      let r: StepResult;
      try {
        const explain = explainNext;
        explainNext = false;
        // On a GPU the batch is read back only when a snapshot will carry it (a read stalls the queue).
        const readBatch = trainer.readEvery === 1 || t0 - lastSnapshotAt >= SNAPSHOT_MS - lastStepMs;
        r = await trainer.trainStep(explain, readBatch);
        // The last step asked for (Step, or Pause pressed): read its loss before any snapshot shows it.
        if (!playing && pendingSteps <= 1) r.losses.push(...(await trainer.flush()));
        if (r.batch) last = r;
        if (r.explain) postExplain(r, trainer.step);
        recordLosses(r.losses);
      } catch (e) {
        if (!(e instanceof NonFiniteLossError)) throw e;
        stopOnNonFinite(e);
        break;
      }
      if (pendingSteps > 0) pendingSteps--;
      const t1 = performance.now();
      lastStepMs = t1 - t0;
      stepTimes.push(t1);
      while (stepTimes.length > 2 && t1 - stepTimes[0] > 2000) stepTimes.shift();
      metrics.noteStep(t1 - t0, r.labels, r.n);
      // Re-embed the display set often, but spend at most ~1/6 of the time on it.
      if (t1 - lastDisplayAt > Math.max(200, 5 * displayCostMs)) await refreshDisplay();
      if (performance.now() - lastSnapshotAt >= SNAPSHOT_MS) sendSnapshot(false);
      await metrics.afterStep();
      if (chores.length) await runChores();
      // Yield to the event loop so commands arrive between steps.
      await yieldToEvents();
      await pace(t0);
    }
    // Deferred losses of the last steps: read now, so a pause shows the true last loss (and a
    // bad one rolls back before anything looks at the weights).
    if (trainer) await flushLosses(trainer);
  } finally {
    looping = false;
  }
  // Asked for during the last step: nothing else would pick them up.
  if (chores.length) await runChores();
  if (trainer) {
    await refreshDisplay();
    sendSnapshot(true);
    pumpMetrics();
  }
}

/** While paused, evaluation left to do (probes, baselines, a fresh kNN) runs chunk by chunk; Play interrupts it. */
function pumpMetrics(): void {
  if (pumping || looping || !trainer) return;
  pumping = true;
  enqueue(() => metrics.drainIdle(() => looping || playing || pendingSteps > 0 || pendingConfigure > 0 || chores.length > 0).finally(() => { pumping = false; }));
}

/** The speed setting: waits out the rest of 1/speed seconds after a step began, in short
 *  slices so pause, reset and new settings still take effect at once. */
async function pace(stepStart: number): Promise<void> {
  for (;;) {
    const speed = settings?.speed ?? 0;
    const left = speed > 0 ? stepStart + 1000 / speed - performance.now() : 0;
    if (left <= 0 || !playing || pendingConfigure > 0) return;
    await new Promise((r) => setTimeout(r, Math.min(50, left)));
  }
}

/** Slow motion: the step's batch before and after its update (copies: the snapshot transfers the batch). */
function postExplain(r: StepResult, step: number): void {
  if (!r.explain || !settings) return;
  const batch = r.batch!; // explain steps always read their batch
  const n = batch.n;
  const before = batch.embeddings.slice();
  post({
    type: 'explain', step, n, dim: before.length / (2 * n), temperature: settings.temperature, lossId: settings.loss,
    before, after: r.explain.after, labels: batch.labels.slice(), lossBefore: r.loss, lossAfter: r.explain.lossAfter,
  }, [before.buffer, r.explain.after.buffer]);
}

/**
 * The augmentation preview runs beside the training loop (not on the command chain, which a
 * playing loop holds), between its steps. Only the latest request counts: a dragged slider
 * sends many.
 */
async function runPreview(): Promise<void> {
  if (previewBusy || !trainer || pendingConfigure > 0 || !previewWanted) return;
  previewBusy = true;
  try {
    while (previewWanted && trainer && pendingConfigure === 0) {
      const wanted: Settings = previewWanted;
      previewWanted = null;
      const views = await trainer.preview(wanted.augments);
      post({ type: 'preview', views }, [views.pixels.buffer]);
    }
  } catch {
    // A backend switch or reset under way: the next configure asks again.
  } finally {
    previewBusy = false;
  }
}

async function refreshDisplay(): Promise<void> {
  if (!trainer) return;
  const t0 = performance.now();
  const embeddings = await trainer.embedDisplay();
  displayCostMs = performance.now() - t0;
  lastDisplayAt = performance.now();
  display = { embeddings, labels: trainer.displayLabels(), indices: trainer.displayIndices.slice(), step: trainer.step };
  displayFresh = true;
}

function stepsPerSecond(): number {
  if (stepTimes.length < 2) return 0;
  const span = stepTimes[stepTimes.length - 1] - stepTimes[0];
  return span > 0 ? ((stepTimes.length - 1) * 1000) / span : 0;
}

function sendSnapshot(final: boolean): void {
  if (!trainer || !settings) return;
  lastSnapshotAt = performance.now();
  const h = history.export();
  const snap: Snapshot = {
    type: 'snapshot',
    step: trainer.step,
    epoch: trainer.epoch,
    playing: playing || pendingSteps > 0,
    loss: lastLoss,
    lossHistory: h.losses,
    lossSteps: h.steps,
    stepsPerSecond: final && !playing ? 0 : stepsPerSecond(),
    numTensors: tf.memory().numTensors,
    temperature: settings.temperature,
    lossId: settings.loss,
    dim: trainer.encoder.zDim,
    // Sent once per refresh, like the batch: the page keeps the last one (no copy per snapshot,
    // and no re-projection of an unchanged display set on the page).
    display: displayFresh ? display : null,
    batch: last?.batch ?? null,
    batchViews: last?.batchViews ?? null,
    batchFactors: last?.batchFactors ?? null,
  };
  // The display copy and the history are transferred; the batch is sent once, then dropped.
  const transfer: Transferable[] = [snap.lossHistory.buffer, snap.lossSteps.buffer];
  if (snap.display) transfer.push(snap.display.embeddings.buffer);
  displayFresh = false;
  if (last?.batch) {
    transfer.push(last.batch.embeddings.buffer);
    if (last.batchViews) transfer.push(last.batchViews.pixels.buffer);
    last = null;
  }
  post(snap, transfer);
}

function recordLosses(losses: { step: number; loss: number }[]): void {
  for (const l of losses) {
    history.push(l.step, l.loss);
    const stuck = plateau.push(l.loss, settings!.loss, settings!.batchSize);
    if (stuck) post({ type: 'error', kind: 'stalled', message: stuck });
  }
  if (losses.length) lastLoss = losses[losses.length - 1].loss;
}

/** Reads the trainer's deferred losses into the history; a bad one (already rolled back) stops training. */
async function flushLosses(t: Trainer): Promise<void> {
  try {
    recordLosses(await t.flush());
  } catch (e) {
    if (!(e instanceof NonFiniteLossError)) throw e;
    stopOnNonFinite(e);
  }
}

function stopOnNonFinite(e: NonFiniteLossError): void {
  playing = false;
  pendingSteps = 0;
  post({ type: 'error', kind: 'nan', message: nanMessage(e.value, e.step) });
}

function nanMessage(value: string, step: number): string {
  const s = settings!;
  const causes: string[] = [];
  if (s.learningRate > 0.01) causes.push(`the learning rate (${s.learningRate}) is probably too high`);
  if (s.temperature < 0.05) causes.push(`the temperature (${s.temperature}) is very low`);
  if (causes.length === 0) causes.push('the learning rate may be too high or the temperature too low');
  return `The loss became ${value}: ${causes.join(' and ')}. Training paused at step ${step}, with the weights of that last good step. Lower the learning rate or raise the temperature, then press Play.`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Unhandled rejections inside tfjs (e.g. a backend crash) become visible errors, not silence.
self.addEventListener('unhandledrejection', (e) => {
  post({ type: 'error', kind: 'fatal', message: errorText((e as PromiseRejectionEvent).reason) });
});
