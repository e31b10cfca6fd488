#!/usr/bin/env node
// How many wasm threads the app should train on here: for each count, opens the built app as a
// user would (`?backend=wasm&threads=T`, default settings, MNIST), presses Play, and measures
// over 20 s of training the page's frames per second, its main-thread long tasks and the steps
// per second, then the step and the kNN readout 60 s after Play. The counts alternate as given,
// so a repeated list (1,2,1,2) shows the machine's noise. The default thread count
// (core/wasmThreads.ts) should follow what this shows on machines with more cores.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cliArgs } from './lib/args.mjs';
import { measureFrames } from './lib/frames.mjs';
import { launchChromium } from './chromium.mjs';
import { startServer } from './serve.mjs';

const USAGE = `npm run build && node scripts/app-threads.mjs [options]
  --threads LIST  thread counts to run, in order (default 1,2,1,2)
  --dist DIR      the build to serve (default dist)
  --json FILE     also write the results as JSON`;
const { opt, helpOr } = cliArgs();
helpOr(USAGE);
const counts = opt('threads', '1,2,1,2').split(',').map(Number);
const jsonPath = opt('json', null);

const server = await startServer({ port: 0, dir: resolve(opt('dist', 'dist')), quiet: true });
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await launchChromium();
const results = [];
for (const threads of counts) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const step = async () => Number(await page.getByTestId('step-count').textContent());
  await page.goto(`${base}?backend=wasm&threads=${threads}`);
  await page.getByTestId('backend-name').filter({ hasText: 'wasm' }).waitFor({ timeout: 60_000 });
  await page.getByRole('img', { name: /Embedding space of 500/ }).waitFor({ timeout: 60_000 });
  const adapter = (await page.getByTestId('backend-reason').textContent()).split(':')[0];
  await page.getByRole('button', { name: 'Play' }).click();
  const played = Date.now();
  while ((await step()) < 5) await page.waitForTimeout(200);
  const [s0, t0] = [await step(), Date.now()];
  const frames = await measureFrames(page, 20_000);
  const [s1, t1] = [await step(), Date.now()];
  await page.waitForTimeout(Math.max(0, 60_000 - (Date.now() - played)));
  const r = {
    threads,
    adapter,
    fps: Math.round(frames.fps * 10) / 10,
    longTasks: frames.longTasks,
    maxLongTaskMs: Math.round(frames.maxLongTask),
    stepsPerSecond: Math.round(((s1 - s0) / ((t1 - t0) / 1000)) * 10) / 10,
    stepAt60s: await step(),
    knnAt60s: await page.getByTestId('knn-accuracy').textContent(),
  };
  console.log(JSON.stringify(r));
  results.push(r);
  await page.close();
}
await browser.close();
server.close();
if (jsonPath) {
  mkdirSync(dirname(resolve(jsonPath)), { recursive: true });
  const command = `node scripts/app-threads.mjs ${process.argv.slice(2).join(' ')}`;
  writeFileSync(jsonPath, JSON.stringify({ date: new Date().toISOString(), command, results }, null, 2));
}
