#!/usr/bin/env node
// Time to quality: serves the built app, opens it in headless Chromium as a user would, presses
// Play and reads the kNN accuracy readout (on h, held-out images) until it reaches the target or
// the time runs out. Prints every new evaluation point with the seconds since Play and the step.
// --probes: then pauses and runs the few-label probes (labels per class, in order) as a user
// would, printing each row: the probe on the pre-trained h, fine-tuned, from scratch
// (compute-matched and to convergence), pixels, random init.
// --curve: then pauses and runs the label-efficiency curve (every method at 1 to all labels
// per class), prints it as a table and writes it, with the run's settings, to bench-results/.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { cliArgs } from './lib/args.mjs';
import { clipQuality } from './lib/clipQuality.mjs';
import { startServer } from './serve.mjs';

const { opt, flag, helpOr } = cliArgs();
helpOr(`npm run bench:quality [-- options]   (or: node scripts/time-to-quality.mjs [options] after a build)
  --target PCT     stop when kNN on h reaches it (default 95)
  --max S          stop after this many seconds of training (default 600)
  --max-steps N    or after N steps: a fixed amount of pre-training whatever else the machine
                   runs (the probes and curve then measure the same encoder as a quiet run would)
  --hash HASH      the app's settings, as in its URL (default dataset=mnist); with loss=clip, logs
                   zero-shot accuracy per factor, held-out compositions, precision at 12 and binding
  --probes LIST    then run the few-label probes, e.g. 10,1,all
  --curve          then run the label-efficiency curve; written to bench-results/ (or --curve-json FILE)
  --curve-json FILE  where to write the curve (default bench-results/label-curve-<dataset>-<date>.json)
  --budget-scale X shrink every few-label step budget by X (0 < X <= 1; not the recipe's figures)
  --json FILE      also write the points (and probes, and the curve) as JSON
  --dist DIR       the build to serve (default dist), so a run can go on while dist is rebuilt`);
const target = Number(opt('target', 95));
const maxSeconds = Number(opt('max', 600));
const maxSteps = Number(opt('max-steps', Infinity));
const hash = opt('hash', 'dataset=mnist');
const jsonPath = opt('json', null);
const probeGroups = opt('probes', '').split(',').filter(Boolean);
const curve = flag('curve');
const budgetScale = Number(opt('budget-scale', 1));
if (!(budgetScale > 0 && budgetScale <= 1)) {
  console.error('--budget-scale must be in (0, 1]');
  process.exit(2);
}
const METHODS = ['pretrained', 'finetune', 'scratch', 'converged', 'pixels', 'random'];

const server = await startServer({ port: 0, dir: resolve(opt('dist', 'dist')), quiet: true });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
if (budgetScale !== 1)
  await page.addInitScript((x) => {
    window.__studyBudgetScale = x;
  }, budgetScale);
await page.goto(`http://127.0.0.1:${server.address().port}/#${hash}`);
await page.getByRole('button', { name: 'Play' }).waitFor({ timeout: 120_000 });
await page.getByRole('img', { name: /Embedding space of/ }).waitFor({ timeout: 120_000 });
const num = async (id) => Number((await page.getByTestId(id).textContent())?.replace(/[^0-9.-]/g, ''));

await page.getByRole('button', { name: 'Play' }).click();
const t0 = Date.now();
// From pressing Play to the first finished step on the page: what a user waits before anything moves.
await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= 1, null, {
  timeout: 600_000,
  polling: 20,
});
const firstStepSeconds = (Date.now() - t0) / 1000;
/** What every JSON this script writes begins with. */
const header = (backend) => ({
  date: new Date().toISOString(),
  command: `npm run bench:quality -- ${process.argv.slice(2).join(' ')}`,
  hash,
  backend,
  firstStepSeconds,
});
console.error(`  first step shown ${firstStepSeconds.toFixed(2)} s after Play`);
if (/(^|&)loss=clip(&|$)/.test(hash)) {
  const r = await clipQuality(page, maxSeconds, t0, new URLSearchParams(hash).get('dataset') ?? 'mnist');
  const backend = (await page.getByTestId('backend-name').textContent())?.trim();
  await browser.close();
  server.close();
  console.log(
    `CLIP on ${backend}: ${Object.entries(r.targets)
      .map(([k, v]) => `${k} best ${v.best}% (target ${v.target}%: ${v.met ? 'met' : 'not met'})`)
      .join('; ')}` + (r.reached ? `; shape and colour >= 95% at ${r.reached.seconds} s (step ${r.reached.step})` : ''),
  );
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ ...header(backend), maxSeconds, ...r }, null, 2) + '\n');
  process.exit(0);
}
const points = [];
let last = '';
let reached = null;
while ((Date.now() - t0) / 1000 < maxSeconds) {
  await page.waitForTimeout(1000);
  if ((await num('step-count')) >= maxSteps) break;
  const text = (await page.getByTestId('knn-accuracy').textContent())?.trim() ?? '';
  if (text === last || !/\d/.test(text)) continue;
  last = text;
  const p = { seconds: Math.round((Date.now() - t0) / 100) / 10, step: await num('step-count'), knn: Number(text) };
  // Datasets with several labelled factors (Shapes) also show kNN per factor: keep h and z of each.
  const rows = await page.locator('[data-testid^="knn-factor-"]').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => Number(td.textContent));
      return { factor: tr.querySelector('th')?.textContent, h: cells[1], z: cells[2] };
    }),
  );
  if (rows.length) p.factors = rows;
  points.push(p);
  const perFactor = rows.map((r) => `${r.factor} ${r.h} / ${r.z}`).join(', ');
  console.error(
    `  ${p.seconds} s, step ${p.step}: kNN ${p.knn}%${perFactor ? ` (per factor, h / z: ${perFactor})` : ''}`,
  );
  if (p.knn >= target) {
    reached = p;
    break;
  }
}
const probes = [];
const trainedSeconds = Math.round((Date.now() - t0) / 100) / 10;
if (probeGroups.length || curve) await page.getByRole('button', { name: 'Pause' }).click();
for (const g of probeGroups) {
  await page.getByRole('combobox', { name: 'Labels per class' }).selectOption(g);
  await page.getByRole('button', { name: 'Run probe' }).click();
  const row = page.getByTestId(`probe-row-${g}`);
  const t = Date.now();
  // Every draw done: the row's title says "n of n draws" (cells fill in after the first).
  await page.waitForFunction(
    (id) => {
      const row = document.querySelector(`[data-testid="${id}"]`);
      const cells = [...(row?.querySelectorAll('td') ?? [])];
      const [, done, wanted] = /(\d+) of (\d+) draws/.exec(row?.getAttribute('title') ?? '') ?? [];
      return (
        done !== undefined &&
        done === wanted &&
        cells.length === 6 &&
        cells.every((c) => /^\d+\.\d$/.test(c.textContent ?? ''))
      );
    },
    `probe-row-${g}`,
    { timeout: 7_200_000, polling: 1000 },
  );
  const cells = (await row.locator('td').allTextContents()).map(Number);
  const step = await num('step-count');
  // The range over draws, where there were several (the row under it).
  const spread = (await page.getByTestId(`probe-spread-${g}`).count())
    ? Object.fromEntries(
        (await page.getByTestId(`probe-spread-${g}`).locator('td').allTextContents()).map((v, i) => [METHODS[i], v]),
      )
    : null;
  probes.push({
    labelsPerClass: g,
    step,
    ...Object.fromEntries(METHODS.map((m, i) => [m, cells[i]])),
    spread,
    title: await row.getAttribute('title'),
    seconds: Math.round((Date.now() - t) / 1000),
  });
  console.error(
    `  probe, ${g} labels per class (step ${step}, ${probes.at(-1).seconds} s): ${METHODS.map((m, i) => `${m} ${cells[i]}%`).join(', ')}`,
  );
}
let curvePoints = null;
if (curve) {
  const t = Date.now();
  await page.getByRole('button', { name: 'Run label curve' }).click();
  await page.getByTestId('curve-progress').waitFor({ state: 'visible' });
  let lastMessage = '';
  for (;;) {
    await page.waitForTimeout(5000);
    if (!(await page.getByTestId('curve-progress').isVisible())) break;
    const message = (await page.getByTestId('curve-status').textContent()) ?? '';
    if (/^(stopped|error)/.test(message)) throw new Error(`label curve ${message}`);
    const head = message.split(':')[0];
    if (head !== lastMessage) {
      lastMessage = head;
      console.error(`  curve: ${message} (${Math.round((Date.now() - t) / 1000)} s)`);
    }
  }
  curvePoints = await page
    .getByTestId('curve-table')
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => ({
        labelsPerClass: tr.getAttribute('data-lpc'),
        draws: Number(tr.getAttribute('data-draws')),
        methods: Object.fromEntries(
          [...tr.querySelectorAll('td')].map((td) => [
            td.getAttribute('data-method'),
            td.hasAttribute('data-mean')
              ? {
                  mean: Number(td.getAttribute('data-mean')),
                  min: Number(td.getAttribute('data-min')),
                  max: Number(td.getAttribute('data-max')),
                }
              : null,
          ]),
        ),
      })),
    );
  if (!curvePoints.length) {
    // The progress bar also goes when the page restarts a worker it took for hung: say so, write nothing.
    const notices = await page.getByTestId('notice').allTextContents();
    console.error(`the label curve ended with no figures on the page; notices: ${notices.join(' / ') || 'none'}`);
    process.exit(1);
  }
  const names = ['pretrained', 'finetune', 'scratch', 'scratchConverged', 'pixels', 'random'];
  const pc = (x) => (x ? (100 * x.mean).toFixed(1).padStart(6) : '     -');
  console.log(
    `label curve (${Math.round((Date.now() - t) / 1000)} s, held-out accuracy %, mean over draws${budgetScale !== 1 ? `, budgets x${budgetScale}: not the recipe's` : ''}):`,
  );
  const heads = ['labels', 'draws', ...names];
  const widths = heads.map((h) => Math.max(7, h.length));
  const row = (cells) => cells.map((v, i) => String(v).padStart(widths[i])).join(' ');
  console.log(row(heads));
  for (const p of curvePoints)
    console.log(row([p.labelsPerClass, p.draws, ...names.map((m) => pc(p.methods[m]).trim())]));
}
const backend = (await page.getByTestId('backend-name').textContent())?.trim();
await browser.close();
server.close();
const result = {
  ...header(backend),
  target,
  maxSeconds,
  maxSteps: Number.isFinite(maxSteps) ? maxSteps : undefined,
  trainedSeconds,
  budgetScale,
  reached,
  points,
  probes,
  curve: curvePoints,
};
console.log(
  reached
    ? `kNN on h reached ${reached.knn}% >= ${target}% after ${reached.seconds} s (step ${reached.step}) on ${backend}`
    : `kNN on h did not reach ${target}% within ${maxSeconds} s (best ${Math.max(0, ...points.map((p) => p.knn))}%) on ${backend}`,
);
if (jsonPath) writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
if (curvePoints) {
  const dataset = /dataset=(\w+)/.exec(hash)?.[1] ?? 'mnist';
  const file = opt('curve-json', `bench-results/label-curve-${dataset}-${result.date.slice(0, 10)}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`curve written to ${file}`);
}
