// The worker's entry: speaks the protocol and owns the current run (its trainer, what the
// page was told about it). When each kind of work runs is scheduler.ts's business; training
// runs here so the page never waits on tfjs.

import type { Dataset } from '../core/dataset';
import type { ModelState } from '../core/modelFile';
import type { Settings } from '../core/settings';
import type { BackendInfo, Command, EngineEvent, TransferFailed } from '../protocol';
import { selectBackend, setWasmThreads } from './backend';
import { deviceGone, watchDevice } from './deviceLoss';
import { startHeartbeat } from './heartbeat';
import { LabelRunner } from './labelRunner';
import { MetricsRunner } from './metrics';
import { stockGradients } from './ops/stockGradients';
import { RunReport } from './runReport';
import { GPU_READ_EVERY } from './readPolicy';
import { Scheduler } from './scheduler';
import { runQuery } from './query';
import { faultsAllowed, injectFault } from './testFaults';
import { userProbeRefusal } from './userData';
import { DatasetStore } from './datasetStore';
import { errorText, nanMessage } from './failureText';
import { exportEmbeddings, postState } from './runExport';
import { NonFiniteLossError, Trainer } from './trainer';
import type { ClipTrainer } from './clip/clipTrainer';

const BUILDING = 'The model is still being built; try again in a moment.';
const post = (ev: EngineEvent, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(ev, transfer);

let settings: Settings | null = null;
let assetBase = '';
let backend: BackendInfo | null = null;
let trainer: Trainer | null = null;
/** The same run when it is a CLIP run (its code is loaded only then). */
let clip: ClipTrainer | null = null;
const datasets = new DatasetStore();
/** Slow motion: the next step also sends its batch before and after the update. */
let explainNext = false;
const report = new RunReport(post);
/** kNN, geometry and probes: background work between steps, or back to back while idle. */
const metrics = new MetricsRunner((ev) => post(ev));
/** Probes, fine-tuning and the label curve: on demand, sliced between steps. */
const studies = new LabelRunner((ev) => post(ev));

const schedule = new Scheduler({
  hasRun: () => trainer !== null,
  step: trainStep,
  afterStep: async (t0) => {
    if (trainer) await report.stepDone(trainer, shownSettings(), schedule, t0);
    postClipState();
  },
  loopEnded: async () => {
    // Deferred losses of the last steps: read now, so a pause shows the true last loss (and a
    // bad one rolls back before anything looks at the weights).
    if (trainer) await flushLosses(trainer);
  },
  settled: async () => {
    if (!trainer) return;
    await report.refreshDisplay(trainer);
    sendSnapshot(true);
    postClipState();
  },
  speed: () => settings?.speed ?? 0,
  failed: (e) => reportFatal(e),
});
schedule.addBackground(metrics);
schedule.addBackground(studies);
startHeartbeat(post);

self.onmessage = (e: MessageEvent<Command>) => {
  const cmd = e.data;
  switch (cmd.type) {
    case 'configure':
      assetBase = cmd.assetBase;
      schedule.rebuild(() => configure(cmd.settings));
      break;
    case 'reset':
      if (!settings) return;
      schedule.rebuild(() => configure(settings!));
      break;
    case 'play':
      schedule.play();
      break;
    case 'pause':
      schedule.halt();
      metrics.notePaused();
      sendSnapshot(true);
      break;
    case 'step':
      if (cmd.explain) explainNext = true;
      schedule.steps(Math.max(1, Math.floor(cmd.n)));
      break;
    case 'wasmThreads':
      setWasmThreads(cmd.n);
      break;
    case 'poisonNextStep':
      if (trainer) trainer.poisonNext = true;
      break;
    case 'preview': {
      const { augments } = cmd.settings;
      schedule.query('preview', async () => {
        const views = await trainer!.preview(augments);
        post({ type: 'preview', views }, [views.pixels.buffer]);
      });
      break;
    }
    case 'evaluate': {
      const refusal = trainer && userProbeRefusal(trainer.data, trainer, cmd.labelsPerClass);
      if (refusal) {
        studies.refuseProbe(cmd.labelsPerClass, refusal);
        break;
      }
      studies.requestProbe(cmd.labelsPerClass, cmd.budgetScale);
      schedule.pumpIdle();
      break;
    }
    case 'labelCurve':
      studies.requestCurve(cmd.budgetScale);
      schedule.pumpIdle();
      break;
    case 'stopLabelCurve':
      // A chore, so no slice of the curve is in flight when it is taken out.
      schedule.chore(
        () => studies.stopCurve(),
        (e) => post({ type: 'error', kind: 'fatal', message: errorText(e) }),
      );
      break;
    case 'setMetrics':
      metrics.setK(cmd.knnK);
      schedule.pumpIdle();
      break;
    case 'setParams': {
      // CLIP has a text encoder beside the image encoder: going in or out of it rebuilds the run.
      if (settings && (settings.loss === 'clip') !== (cmd.settings.loss === 'clip')) {
        const next = cmd.settings;
        schedule.rebuild(() => configure(next));
        break;
      }
      const lossChanged = settings?.loss !== cmd.settings.loss;
      settings = cmd.settings;
      trainer?.update(cmd.settings);
      // Paused, no step would tell the page: its loss panels follow the switch at once.
      if (lossChanged && !schedule.training) sendSnapshot(true);
      break;
    }
    case 'exportEmbeddings':
      chore('embeddings', async () => exportEmbeddings(running(BUILDING), clip, post));
      break;
    case 'saveModel':
      chore('model', async () => postState(running(BUILDING), flushLosses, post, { type: 'modelSaved' }));
      break;
    case 'loadModel':
      schedule.rebuild(() => loadModel(cmd.state, cmd.settings));
      break;
    case 'checkpoint': {
      const id = cmd.id;
      schedule.chore(
        async () => postState(running('no run yet'), flushLosses, post, { type: 'checkpoint', id }),
        (e) => post({ type: 'checkpoint', id, state: null, message: errorText(e) }),
      );
      break;
    }
    case 'fault': {
      if (!faultsAllowed()) break;
      const refused = injectFault(cmd.fault);
      if (refused) post({ type: 'error', kind: 'backend', message: `Fault not injected: ${refused}.` });
      break;
    }
    case 'userData':
      datasets.setUserData(cmd);
      break;
    case 'query':
      schedule.query('query', async () => {
        const { result, transfer } = await runQuery(trainer!, cmd, settings!);
        post(result, transfer);
      });
      break;
    case 'clipEvaluate': {
      const { templates } = cmd;
      schedule.query('clipEvaluate', async () => {
        if (!clip) return;
        const { clipEvaluate } = await import('./clip/clipQueries');
        const r = await clipEvaluate(clip, templates);
        post(
          r,
          r.factors.map((f) => f.confusion.buffer),
        );
      });
      break;
    }
    case 'clipSearch': {
      const { text } = cmd;
      schedule.query('clipSearch', async () => {
        if (!clip) return;
        const { clipSearch } = await import('./clip/clipQueries');
        const r = await clipSearch(clip, text);
        post(r, [r.images.pixels.buffer]);
      });
      break;
    }
  }
};

function chore(what: TransferFailed['what'], run: () => Promise<void>): void {
  schedule.chore(run, (e) => post({ type: 'transferFailed', what, message: errorText(e) }));
}

/** The current run, or an error a chore reports when none is built yet. */
function running(whenNone: string): Trainer {
  if (!trainer) throw new Error(whenNone);
  return trainer;
}

/**
 * A saved run replaces the current one only once it is known to fit: it is built and filled
 * beside the running trainer, which stays untouched (and keeps its place) on any refusal.
 */
async function loadModel(state: ModelState, next: Settings): Promise<void> {
  const refuse = (message: string) => post({ type: 'modelLoaded', ok: false, message });
  let data: Dataset;
  try {
    data = await datasets.load(next.dataset, assetBase);
  } catch (e) {
    refuse(`Not loaded (training is unchanged): the ${next.dataset} dataset could not be loaded (${errorText(e)}).`);
    return;
  }
  let candidate: Trainer | null = null;
  try {
    candidate = await buildTrainer(data, next);
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

/** Ends the current run: its evaluation jobs, its trainer and what the page was sent about it. */
async function retire(): Promise<void> {
  await metrics.stop();
  await studies.stop();
  trainer?.dispose();
  trainer = null;
  clip = null;
  report.reset();
}

async function configure(next: Settings): Promise<void> {
  const backendChanged = !backend || !settings || next.backend !== settings.backend;
  settings = next;
  await retire();
  if (backendChanged) {
    backend = await selectBackend(next.backend);
    post(backend);
    watchDevice(onDeviceLost);
  }
  let data: Dataset;
  try {
    data = await datasets.load(next.dataset, assetBase);
  } catch (e) {
    schedule.stopPlaying();
    post({ type: 'error', kind: 'data', message: `Could not load the ${next.dataset} dataset: ${errorText(e)}` });
    return;
  }
  await adopt(await buildTrainer(data, next), data);
}

/** A run for these settings; CLIP's code (and its text encoder) is fetched only when chosen. */
async function buildTrainer(data: Dataset, s: Settings): Promise<Trainer> {
  if (s.loss !== 'clip') return new Trainer(data, s);
  const { ClipTrainer } = await import('./clip/clipTrainer');
  return new ClipTrainer(data, s);
}

/** The settings a snapshot reports: with a learned temperature, the value it has reached. */
function shownSettings(): Settings {
  return clip ? { ...settings!, temperature: clip.temperatureNow() } : settings!;
}

function postClipState(): void {
  if (clip?.fresh) {
    const st = clip.state();
    post(st, st.captions ? [st.captions.embeddings.buffer] : []);
  }
}

/** Makes `t` the running trainer and tells the page: ready, the display set, a snapshot. */
async function adopt(t: Trainer, data: Dataset): Promise<void> {
  trainer = t;
  clip = settings!.loss === 'clip' ? (t as ClipTrainer) : null;
  trainer.readEvery = stockGradients() ? GPU_READ_EVERY : 1;
  metrics.start(trainer, () => settings!);
  studies.start(trainer, () => settings!);
  post({
    type: 'ready',
    dataset: settings!.dataset,
    trainCount: trainer.train.length,
    testCount: trainer.test.length,
    classNames: data.classNames,
    parameterCount: trainer.encoder.parameterCount,
    factors: data.factors.map((f) => ({
      name: f.name,
      classes: f.classes,
      swatches: f.swatches,
      displayValues: Int32Array.from(t.displayIndices, (i) => f.values[i]),
    })),
  });
  await report.refreshDisplay(t);
  sendSnapshot(true);
  postClipState();
  schedule.pumpIdle();
}

/** Nothing more can run on a lost GPU: stop, and let the page move the run elsewhere. */
function onDeviceLost(lost: BackendInfo['name'], why: string): void {
  schedule.halt();
  post({ type: 'deviceLost', backend: lost, message: why });
}

/** A failure caused by a lost GPU is not reported as the run's own: 'deviceLost' says what happened. */
function reportFatal(e: unknown): void {
  if (!deviceGone()) post({ type: 'error', kind: 'fatal', message: errorText(e) });
}

/** One training step; false when a non-finite loss stopped training. */
async function trainStep(isLast: () => boolean): Promise<boolean> {
  const t = trainer!;
  const t0 = performance.now();
  try {
    const explain = explainNext;
    explainNext = false;
    const r = await t.trainStep(explain, report.batchWanted(t0, t.readEvery));
    // The last step asked for (Step, or Pause pressed): read its loss before any snapshot shows it.
    if (isLast()) r.losses.push(...(await t.flush()));
    report.keep(r);
    if (r.explain) report.postExplain(r, t.step, settings!);
    report.recordLosses(r.losses, settings!);
    metrics.noteStep(performance.now() - t0, r.labels, r.n);
    return true;
  } catch (e) {
    if (!(e instanceof NonFiniteLossError)) throw e;
    stopOnNonFinite(e);
    return false;
  }
}

function sendSnapshot(final: boolean): void {
  if (trainer && settings) report.send(trainer, shownSettings(), schedule, final);
}

/** Reads the trainer's deferred losses into the history; a bad one (already rolled back) stops training. */
async function flushLosses(t: Trainer): Promise<void> {
  try {
    report.recordLosses(await t.flush(), settings!);
  } catch (e) {
    if (!(e instanceof NonFiniteLossError)) throw e;
    stopOnNonFinite(e);
  }
}

function stopOnNonFinite(e: NonFiniteLossError): void {
  schedule.halt();
  // A lost GPU reads back garbage: not a diverging run.
  if (deviceGone()) return;
  post({ type: 'error', kind: 'nan', message: nanMessage(e.value, e.step, settings!) });
}

// Unhandled rejections inside tfjs (e.g. a backend crash) become visible errors, not silence.
self.addEventListener('unhandledrejection', (e) => reportFatal((e as PromiseRejectionEvent).reason));
