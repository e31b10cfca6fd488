#!/usr/bin/env node
// Time to quality: serves the built app, opens it in headless Chromium as a user would, presses
// Play and reads the kNN accuracy readout (on h, held-out images) until it reaches the target or
// the time runs out. Prints every new evaluation point with the seconds since Play and the step.
// --probes: then pauses and runs the few-label probes (labels per class, in order) as a user
// would, printing each row: the probe on the pre-trained h, from scratch, pixels, random init.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { cliArgs } from './lib/args.mjs';
import { startServer } from './serve.mjs';

const { opt, helpOr } = cliArgs();
helpOr(`npm run bench:quality [-- options]   (or: node scripts/time-to-quality.mjs [options] after a build)
  --target PCT     stop when kNN on h reaches it (default 95)
  --max S          stop after this many seconds of training (default 600)
  --hash HASH      the app's settings, as in its URL (default dataset=mnist)
  --probes LIST    then run the few-label probes, e.g. 10,1,all
  --json FILE      also write the points (and probes) as JSON`);
const target = Number(opt('target', 95));
const maxSeconds = Number(opt('max', 600));
const hash = opt('hash', 'dataset=mnist');
const jsonPath = opt('json', null);
const probeGroups = opt('probes', '').split(',').filter(Boolean);

const server = await startServer({ port: 0, dir: resolve('dist'), quiet: true });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`http://127.0.0.1:${server.address().port}/#${hash}`);
await page.getByRole('button', { name: 'Play' }).waitFor({ timeout: 120_000 });
await page.getByRole('img', { name: /Embedding space of/ }).waitFor({ timeout: 120_000 });
const num = async (id) => Number((await page.getByTestId(id).textContent())?.replace(/[^0-9.-]/g, ''));

await page.getByRole('button', { name: 'Play' }).click();
const t0 = Date.now();
// From pressing Play to the first finished step on the page: what a user waits before anything moves.
await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= 1, null, { timeout: 600_000, polling: 20 });
const firstStepSeconds = (Date.now() - t0) / 1000;
console.error(`  first step shown ${firstStepSeconds.toFixed(2)} s after Play`);
const points = [];
let last = '';
let reached = null;
while ((Date.now() - t0) / 1000 < maxSeconds) {
  await page.waitForTimeout(1000);
  const text = (await page.getByTestId('knn-accuracy').textContent())?.trim() ?? '';
  if (text === last || !/\d/.test(text)) continue;
  last = text;
  const p = { seconds: Math.round((Date.now() - t0) / 100) / 10, step: await num('step-count'), knn: Number(text) };
  // Datasets with several labelled factors (Shapes) also show kNN per factor: keep h and z of each.
  const rows = await page.locator('[data-testid^="knn-factor-"]').evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')].map((td) => Number(td.textContent));
    return { factor: tr.querySelector('th')?.textContent, h: cells[1], z: cells[2] };
  }));
  if (rows.length) p.factors = rows;
  points.push(p);
  const perFactor = rows.map((r) => `${r.factor} ${r.h} / ${r.z}`).join(', ');
  console.error(`  ${p.seconds} s, step ${p.step}: kNN ${p.knn}%${perFactor ? ` (per factor, h / z: ${perFactor})` : ''}`);
  if (p.knn >= target) { reached = p; break; }
}
const probes = [];
if (probeGroups.length) {
  await page.getByRole('button', { name: 'Pause' }).click();
  for (const g of probeGroups) {
    await page.getByRole('combobox', { name: 'Labels per class' }).selectOption(g);
    await page.getByRole('button', { name: 'Run probe' }).click();
    const row = page.getByTestId(`probe-row-${g}`);
    const t = Date.now();
    await page.waitForFunction((id) => {
      const cells = [...(document.querySelector(`[data-testid="${id}"]`)?.querySelectorAll('td') ?? [])];
      return cells.length === 4 && cells.every((c) => /^\d+\.\d$/.test(c.textContent ?? ''));
    }, `probe-row-${g}`, { timeout: 1_800_000, polling: 1000 });
    const [pretrained, scratch, pixels, random] = (await row.locator('td').allTextContents()).map(Number);
    const step = await num('step-count');
    probes.push({ labelsPerClass: g, step, pretrained, scratch, pixels, random, seconds: Math.round((Date.now() - t) / 1000) });
    console.error(`  probe, ${g} labels per class (step ${step}, ${probes.at(-1).seconds} s): pre-trained ${pretrained}%, from scratch ${scratch}%, pixels ${pixels}%, random init ${random}%`);
  }
}
const backend = (await page.getByTestId('backend-name').textContent())?.trim();
await browser.close();
server.close();
const result = { date: new Date().toISOString(), hash, backend, firstStepSeconds, target, maxSeconds, reached, points, probes };
console.log(reached
  ? `kNN on h reached ${reached.knn}% >= ${target}% after ${reached.seconds} s (step ${reached.step}) on ${backend}`
  : `kNN on h did not reach ${target}% within ${maxSeconds} s (best ${Math.max(0, ...points.map((p) => p.knn))}%) on ${backend}`);
if (jsonPath) writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
