// The soak: the built app driven as a class would for a whole lesson, every control reached by
// role and name as a user reaches it, while the page's health is sampled once a second.
// Shared by `npm run soak` (scripts/soak.mjs, ten minutes) and the browser test
// (tests/e2e/soak.spec.ts, ninety seconds), so both drive and judge the same way.
//
// A new feature joins the lesson as one more entry in ACTIONS: a name, what it does, and
// whether it rebuilds the model (`resets`), which starts a new tensor segment. An action whose
// control is not on the page (a feature behind a setting) is skipped, not failed.

/** Seeded, so a soak that finds something can be run again the same way. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rng, list) => list[Math.floor(rng() * list.length)];
const byRole = (page, role, name) => page.getByRole(role, { name, exact: true });

/** Moves a range input to a random position of its own range (as a drag would end). */
async function moveSlider(page, name, rng, maxShare = 1) {
  const s = byRole(page, 'slider', name);
  if (!(await s.isVisible())) return false;
  const [min, max, step] = await s.evaluate((el) => [Number(el.min), Number(el.max), Number(el.step) || 1]);
  const v = min + Math.round((rng() * maxShare * (max - min)) / step) * step;
  await s.fill(String(v));
  return true;
}

/** Chooses another option of a select, from `values` when given (those it has). */
async function chooseOption(page, name, rng, values) {
  const s = byRole(page, 'combobox', name);
  if (!(await s.isVisible())) return false;
  const [current, options] = await s.evaluate((el) => [el.value, [...el.options].map((o) => o.value)]);
  const choices = options.filter((o) => o !== current && (!values || values.includes(o)));
  if (!choices.length) return false;
  await s.selectOption(pick(rng, choices));
  return true;
}

async function setTabHidden(page, hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

async function clickIfEnabled(locator) {
  if (!(await locator.isVisible()) || !(await locator.isEnabled())) return false;
  await locator.click();
  return true;
}

// Batch sizes and presets are kept to what a 2-core machine trains at a few steps a second:
// the soak is about what a lesson does to memory and the page, not about speed.
const SMALL_BATCH_SHARE = 0.25;

/** What a class does. `resets`: rebuilds the model (the tensor count may move to a new level). */
export const ACTIONS = [
  { name: 'temperature', run: (page, rng) => moveSlider(page, 'Temperature', rng) },
  { name: 'batch size', run: (page, rng) => moveSlider(page, 'Batch size', rng, SMALL_BATCH_SHARE) },
  { name: 'learning rate', run: (page, rng) => moveSlider(page, 'Learning rate', rng, 0.7) },
  { name: 'play/pause', run: (page) => clickIfEnabled(page.getByRole('button', { name: /^(Play|Pause)$/ })) },
  { name: 'step', run: (page) => clickIfEnabled(byRole(page, 'button', 'Step')) },
  { name: 'loss', run: (page, rng) => chooseOption(page, 'Loss', rng) },
  {
    name: 'preset',
    resets: true,
    run: (page, rng) =>
      chooseOption(page, 'Preset', rng, ['simclr', 'temperature', 'collapse', 'augmentations', 'supcon', 'explorer']),
  },
  { name: 'dataset', resets: true, run: (page, rng) => chooseOption(page, 'Dataset', rng) },
  {
    name: 'embedding dimension',
    resets: true,
    run: (page, rng) => chooseOption(page, 'Embedding dimension', rng, ['2', '3', '8', '16', '32']),
  },
  { name: 'reset', resets: true, run: (page) => clickIfEnabled(byRole(page, 'button', 'Reset')) },
  {
    name: 'probe',
    run: async (page, rng) => {
      await chooseOption(page, 'Labels per class', rng, ['1', '10']);
      return clickIfEnabled(byRole(page, 'button', 'Run probe'));
    },
  },
  {
    name: 'export embeddings',
    run: async (page) => {
      const button = byRole(page, 'button', 'Export embeddings');
      if (!(await button.isVisible())) return false;
      const got = page.waitForEvent('download', { timeout: 60_000 });
      await button.click();
      await (await got).delete();
      return true;
    },
  },
  {
    // Saved to a file and to the browser's copy, then loaded back from the file.
    name: 'save and load model',
    resets: true,
    run: async (page) => {
      const button = byRole(page, 'button', 'Save model');
      if (!(await button.isVisible())) return false;
      const got = page.waitForEvent('download', { timeout: 60_000 });
      await button.click();
      const file = await got;
      await page.getByLabel('Load model').setInputFiles(await file.path());
      await page
        .getByTestId('export-status')
        .filter({ hasText: /Loaded step/ })
        .waitFor({ timeout: 60_000 });
      await file.delete();
      return true;
    },
  },
  {
    name: 'hide and show the tab',
    run: async (page) => {
      await setTabHidden(page, true);
      await page.waitForTimeout(1500);
      await setTabHidden(page, false);
      return true;
    },
  },
  {
    name: 'slow motion',
    run: async (page) => {
      if (!(await clickIfEnabled(byRole(page, 'button', 'Slow motion')))) return false;
      const dialog = page.getByRole('dialog', { name: /slow motion/ });
      await dialog.waitFor({ timeout: 60_000 });
      await clickIfEnabled(dialog.getByRole('button', { name: 'Next', exact: true }));
      await dialog.getByRole('button', { name: 'Close slow motion' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });
      return true;
    },
  },
];

/**
 * Brings the page to one fixed state before the heap is read: paused, MNIST, 32 dimensions,
 * NT-Xent, PCA, no preset, fresh weights. Two readings then compare the same page, and what the
 * later one holds beyond the earlier is what the lesson left behind, not a longer loss curve or
 * another dataset's panels.
 */
async function settle(page) {
  await clickIfEnabled(byRole(page, 'button', 'Pause'));
  for (const [name, value] of [
    ['Preset', ''],
    ['Dataset', 'mnist'],
    ['Embedding dimension', '32'],
    ['Loss', 'ntxent'],
    ['Projection', 'pca'],
  ]) {
    const s = byRole(page, 'combobox', name);
    if ((await s.isVisible()) && (await s.inputValue()) !== value) await s.selectOption(value);
  }
  await clickIfEnabled(byRole(page, 'button', 'Reset'));
  await page.getByTestId('step-count').filter({ hasText: /^0$/ }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(3000);
}

/** Installed before the app loads: counts frames and collects long tasks between two reads. */
function installProbe() {
  const w = window;
  const probe = { frames: 0, long: [] };
  w.__soakProbe = probe;
  const tick = () => {
    probe.frames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.long.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no long-task timing in this browser: reported as none */
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    w.__soakCsp?.(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
  });
}

/** Once a second: the probe's counts since the last read, the engine's memory, and what runs. */
async function readPage(page) {
  return page.evaluate(() => {
    const p = window.__soakProbe ?? { frames: 0, long: [] };
    const out = { frames: p.frames, long: p.long.splice(0) };
    p.frames = 0;
    const dd = document.querySelector('[data-testid="tensor-count"]');
    const value = (label) => document.querySelector(`select[aria-label="${label}"]`)?.value ?? '';
    const num = (s) => (s === undefined || s === null || s === '' ? null : Number(s));
    return {
      ...out,
      numTensors: num(/^\d+$/.test(dd?.textContent ?? '') ? dd.textContent : null),
      numBytes: num(dd?.getAttribute('data-num-bytes')),
      wasmHeapBytes: num(dd?.getAttribute('data-wasm-heap-bytes')),
      backend: document.querySelector('[data-testid="backend-name"]')?.textContent ?? '',
      probeRunning: document.querySelector('[data-testid="probe-progress"]') !== null,
      step: Number(document.querySelector('[data-testid="step-count"]')?.textContent ?? 0),
      config: [value('Dataset'), value('Embedding dimension'), value('Loss')].join('/'),
    };
  });
}

/** Opens the app with the probe and the error watch in place; returns the errors array. */
export async function openForSoak(page, url) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.exposeFunction('__soakCsp', (text) => errors.push(text));
  await page.addInitScript(installProbe);
  await page.goto(url);
  await page.getByRole('img', { name: /Embedding space of/ }).waitFor({ timeout: 120_000 });
  return errors;
}

/**
 * Drives the page for `seconds`, one action every `every` seconds (a shuffled deck, so each is
 * taken in turn), sampling once a second. `heapAt`: seconds at which the heap is also read, and
 * at the end: on a settled page, after a forced garbage collection (what the page keeps, not
 * what it has yet to collect).
 */
export async function runSoak(page, { seconds, every = 3, seed = 1, heapAt = [], log = () => {}, errors = [] }) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const rng = mulberry32(seed);
  const heap = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const samples = [];
  const actions = [];
  const heapMarks = [];
  let generation = 0;
  const t0 = Date.now();
  const elapsed = () => (Date.now() - t0) / 1000;

  // Play first: most of a lesson is training.
  await clickIfEnabled(byRole(page, 'button', 'Play'));
  let sampling = true;
  const sampler = (async () => {
    let next = 1;
    while (sampling) {
      const wait = t0 + next * 1000 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!sampling) break;
      next = Math.floor(elapsed()) + 1;
      try {
        const s = { t: Math.round(elapsed() * 10) / 10, generation, heap: await heap(), ...(await readPage(page)) };
        samples.push(s);
      } catch (e) {
        if (sampling) log(`sample failed: ${e.message}`);
      }
    }
  })();

  const marks = [...heapAt].sort((a, b) => a - b);
  const heapMark = async () => {
    await settle(page);
    await cdp.send('HeapProfiler.collectGarbage');
    heapMarks.push({ t: Math.round(elapsed() * 10) / 10, heap: await heap() });
    log(
      `${elapsed().toFixed(0).padStart(4)} s  heap after GC, settled: ${(heapMarks.at(-1).heap / 2 ** 20).toFixed(2)} MB`,
    );
  };
  let deck = [];
  while (elapsed() < seconds) {
    if (marks.length && elapsed() >= marks[0]) {
      marks.shift();
      await heapMark();
      generation++;
      await clickIfEnabled(byRole(page, 'button', 'Play'));
    }
    if (!deck.length)
      deck = ACTIONS.map((a) => [rng(), a])
        .sort((x, y) => x[0] - y[0])
        .map(([, a]) => a);
    const action = deck.pop();
    const at = elapsed();
    let done = false;
    let failure = null;
    try {
      done = await action.run(page, rng);
    } catch (e) {
      failure = e.message.split('\n')[0];
    }
    if (done && action.resets) generation++;
    actions.push({ t: Math.round(at * 10) / 10, name: action.name, done, ...(failure ? { failure } : {}) });
    log(
      `${at.toFixed(0).padStart(4)} s  ${action.name}${done ? '' : failure ? `: failed (${failure})` : ' (skipped)'}`,
    );
    // A class spends most of the lesson watching it train.
    if (rng() < 0.8) await clickIfEnabled(byRole(page, 'button', 'Play'));
    const rest = every * 1000 - (Date.now() - t0 - at * 1000);
    if (rest > 0) await page.waitForTimeout(rest);
  }
  sampling = false;
  await sampler;
  await heapMark();
  await cdp.detach();
  return { seconds, every, seed, samples, actions, heapMarks, errors: [...errors] };
}

const range = (xs) => (xs.length ? { min: Math.min(...xs), max: Math.max(...xs) } : null);
const mode = (xs) => {
  const counts = new Map();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
};

/**
 * The tensor count between resets: the samples split into segments (one model, one
 * configuration); each segment's level is its most frequent count (an export holds a few
 * tensors for a moment). A running probe holds its own model and optimizer between slices, so
 * samples taken while one runs are left out; a cancelled one must have freed them. A segment is flat when its second half's level is not above its
 * first half's, and a configuration seen again after other runs must come back to its level.
 */
export function tensorSegments(samples) {
  const segs = [];
  for (const s of samples) {
    if (s.numTensors === null || s.probeRunning) continue;
    const key = `${s.generation}|${s.config}|${s.backend}`;
    const last = segs.at(-1);
    if (last && last.key === key) last.counts.push(s.numTensors);
    else segs.push({ key, config: `${s.config} on ${s.backend}`, from: s.t, counts: [s.numTensors] });
  }
  const levels = new Map();
  return segs.map((seg) => {
    // The selects change before the worker has rebuilt: a segment's first two samples may
    // still count the model before it.
    const g = { ...seg, counts: seg.counts.length > 4 ? seg.counts.slice(2) : seg.counts };
    const half = Math.floor(g.counts.length / 2);
    const level = mode(g.counts);
    const early = mode(g.counts.slice(0, Math.max(1, half)));
    const late = mode(g.counts.slice(half));
    // A few samples across a switch may still show the model before it: no level from those.
    const first = levels.get(g.config);
    if (first === undefined && g.counts.length >= 4) levels.set(g.config, level);
    // Too short a segment (a few seconds between two resets) says nothing about growth.
    const grew = g.counts.length >= 6 && late > early;
    const moved = first !== undefined && g.counts.length >= 4 && level !== first;
    return {
      config: g.config,
      from: g.from,
      samples: seg.counts.length,
      level,
      range: range(seg.counts),
      grew,
      ...(moved ? { levelBefore: first } : {}),
      flat: !grew && !moved,
    };
  });
}

/** Each measure's range, and the goals that fail (an empty list: all met). */
export function judge(result, { heapFrom, heapTo, heapGrowthMax = 0.1, longTaskMax = 50, judgeLongTasks = true }) {
  const s = result.samples;
  const long = s.flatMap((x) => x.long);
  const at = (t) =>
    result.heapMarks.reduce((best, m) => (Math.abs(m.t - t) < Math.abs(best.t - t) ? m : best), result.heapMarks[0]);
  const h0 = at(heapFrom);
  const h1 = at(heapTo);
  const growth = h0 && h1 ? (h1.heap - h0.heap) / h0.heap : 0;
  const segments = tensorSegments(s);
  const ranges = {
    numTensors: range(s.map((x) => x.numTensors).filter((v) => v !== null)),
    tensorBytes: range(s.map((x) => x.numBytes).filter((v) => v !== null)),
    wasmHeapBytes: range(s.map((x) => x.wasmHeapBytes).filter((v) => v !== null)),
    jsHeapBytes: range(s.map((x) => x.heap)),
    framesPerSecond: range(s.map((x) => x.frames)),
    longTaskMs: range(long),
  };
  const summary = {
    consoleErrors: result.errors.length,
    heapGrowth: { from: h0, to: h1, growth },
    longTasks: { count: long.length, over: long.filter((d) => d > longTaskMax).length, max: Math.max(0, ...long) },
    actionsDone: result.actions.filter((a) => a.done).length,
    actionsFailed: result.actions.filter((a) => a.failure).map((a) => `${a.t} s ${a.name}: ${a.failure}`),
    steps: range(s.map((x) => x.step)),
    backends: [...new Set(s.map((x) => x.backend))],
  };
  const failures = [];
  if (result.errors.length) failures.push(`${result.errors.length} console errors, first: ${result.errors[0]}`);
  for (const g of segments.filter((x) => !x.flat)) {
    failures.push(
      g.grew
        ? `numTensors grew within a run of ${g.config} from ${g.from} s (${g.range.min} to ${g.range.max})`
        : `numTensors for ${g.config} came back at ${g.level}, not ${g.levelBefore} (from ${g.from} s)`,
    );
  }
  if (growth > heapGrowthMax)
    failures.push(
      `JS heap grew ${(100 * growth).toFixed(1)}% from ${h0.t} s to ${h1.t} s (goal < ${100 * heapGrowthMax}%)`,
    );
  if (judgeLongTasks && summary.longTasks.over)
    failures.push(
      `${summary.longTasks.over} long tasks over ${longTaskMax} ms (longest ${summary.longTasks.max.toFixed(0)} ms)`,
    );
  if (summary.actionsFailed.length)
    failures.push(`${summary.actionsFailed.length} actions failed, first: ${summary.actionsFailed[0]}`);
  return { ranges, summary, segments, failures };
}
