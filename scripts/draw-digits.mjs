#!/usr/bin/env node
// Draw a query, measured: serves the built app, trains MNIST with the default settings for a
// while, pauses, then draws each digit 0-9 on the drawing pad with scripted mouse strokes and
// counts how many of the 12 nearest held-out images share the drawn digit, in h and in z.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { cliArgs } from './lib/args.mjs';
import { startServer } from './serve.mjs';

const { opt, helpOr } = cliArgs();
helpOr(`node scripts/draw-digits.mjs [options]   (after npm run data && npx vite build)
  --seconds S   seconds of training before drawing (default 90)
  --hash HASH   the app's settings, as in its URL (default dataset=mnist)
  --json FILE   also write the result as JSON`);
const seconds = Number(opt('seconds', 90));
const hash = opt('hash', 'dataset=mnist');
const jsonPath = opt('json', null);

/** Each digit as mouse strokes in the pad's unit square, written the way a person would. */
const ellipse = (cx, cy, rx, ry, n = 28) =>
  Array.from({ length: n + 1 }, (_, i) => [
    cx + rx * Math.sin((2 * Math.PI * i) / n),
    cy - ry * Math.cos((2 * Math.PI * i) / n),
  ]);
const DIGITS = [
  [ellipse(0.5, 0.5, 0.2, 0.33)],
  [
    [
      [0.52, 0.15],
      [0.48, 0.85],
    ],
  ],
  [
    [
      [0.3, 0.3],
      [0.36, 0.19],
      [0.5, 0.15],
      [0.64, 0.19],
      [0.69, 0.32],
      [0.63, 0.46],
      [0.3, 0.85],
      [0.72, 0.85],
    ],
  ],
  [
    [
      [0.3, 0.2],
      [0.5, 0.15],
      [0.67, 0.22],
      [0.67, 0.37],
      [0.5, 0.48],
      [0.68, 0.58],
      [0.7, 0.75],
      [0.52, 0.86],
      [0.3, 0.8],
    ],
  ],
  [
    [
      [0.6, 0.85],
      [0.6, 0.15],
      [0.28, 0.6],
      [0.76, 0.6],
    ],
  ],
  [
    [
      [0.7, 0.15],
      [0.36, 0.15],
      [0.33, 0.46],
      [0.55, 0.42],
      [0.7, 0.55],
      [0.7, 0.73],
      [0.55, 0.85],
      [0.3, 0.8],
    ],
  ],
  [
    [
      [0.65, 0.15],
      [0.46, 0.3],
      [0.34, 0.55],
      [0.36, 0.76],
      [0.5, 0.86],
      [0.65, 0.76],
      [0.65, 0.6],
      [0.5, 0.52],
      [0.35, 0.62],
    ],
  ],
  [
    [
      [0.28, 0.17],
      [0.72, 0.17],
      [0.45, 0.85],
    ],
  ],
  [
    [
      [0.5, 0.5],
      [0.35, 0.38],
      [0.38, 0.2],
      [0.5, 0.15],
      [0.62, 0.2],
      [0.65, 0.38],
      [0.5, 0.5],
      [0.33, 0.65],
      [0.36, 0.82],
      [0.5, 0.87],
      [0.64, 0.82],
      [0.67, 0.65],
      [0.5, 0.5],
    ],
  ],
  [
    [
      [0.67, 0.35],
      [0.6, 0.18],
      [0.45, 0.16],
      [0.34, 0.28],
      [0.38, 0.45],
      [0.55, 0.47],
      [0.67, 0.35],
      [0.65, 0.6],
      [0.6, 0.86],
    ],
  ],
];

const server = await startServer({ port: 0, dir: resolve('dist'), quiet: true });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`http://127.0.0.1:${server.address().port}/#${hash}`);
await page.getByRole('img', { name: /Embedding space of/ }).waitFor({ timeout: 120_000 });
const num = async (id) => Number((await page.getByTestId(id).textContent())?.replace(/[^0-9.-]/g, ''));

await page.getByRole('button', { name: 'Play' }).click();
await page.waitForTimeout(seconds * 1000);
await page.getByRole('button', { name: 'Pause' }).click();
await page.getByRole('button', { name: 'Play' }).waitFor();
await page.waitForTimeout(1000);
const step = await num('step-count');
const knnRaw =
  (
    await page
      .getByTestId('knn-accuracy')
      .textContent()
      .catch(() => null)
  )?.trim() ?? '';
const knnText = /\d/.test(knnRaw) ? knnRaw : null;
console.error(`trained ${seconds} s: step ${step}, kNN on h ${knnText ?? 'not measured yet'}%`);

const pad = page.getByRole('img', { name: 'Drawing pad' });
await pad.scrollIntoViewIfNeeded();
const box = await pad.boundingBox();
const querySrc = () =>
  page
    .locator('.qp-query img')
    .getAttribute('src')
    .catch(() => null);

/** The query's image once it has stopped changing (the pad sends its last raster when the stroke ends). */
async function settledQuery(previous) {
  let last = null,
    since = Date.now();
  for (const t0 = Date.now(); Date.now() - t0 < 60_000;) {
    const src = await querySrc();
    if (src !== last) {
      last = src;
      since = Date.now();
    } else if (src && src !== previous && Date.now() - since > 1500) return src;
    await page.waitForTimeout(250);
  }
  throw new Error('no answer to the drawn query within 60 s');
}

const neighbourAlts = () => page.getByTestId('neighbour').evaluateAll((els) => els.map((e) => e.getAttribute('alt')));

const digits = [];
let previous = null;
for (let d = 0; d < 10; d++) {
  await page.getByRole('button', { name: 'Clear drawing' }).click();
  for (const stroke of DIGITS[d]) {
    const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 6 });
    await page.mouse.up();
  }
  previous = await settledQuery(previous);
  const row = { digit: d };
  for (const space of ['h', 'z']) {
    await page.getByRole('radio', { name: space === 'h' ? 'h (representation)' : 'z (projection)' }).check();
    const alts = await neighbourAlts();
    if (alts.length !== 12) throw new Error(`digit ${d}: ${alts.length} neighbours shown, not 12`);
    row[space] = alts.filter((a) => a === `digit ${d}`).length;
    row[`${space}Labels`] = alts.map((a) => Number(a.replace('digit ', '')));
  }
  await page.getByRole('radio', { name: 'h (representation)' }).check();
  digits.push(row);
  console.error(`  digit ${d}: ${row.h} of 12 neighbours share it in h, ${row.z} in z`);
}
const backend = (await page.getByTestId('backend-name').textContent())?.trim();
await browser.close();
server.close();
const total = (k) => digits.reduce((s, r) => s + r[k], 0);
const result = {
  date: new Date().toISOString(),
  hash,
  backend,
  trainedSeconds: seconds,
  step,
  knnH: knnText === null ? null : Number(knnText),
  note: 'Each digit drawn once with scripted mouse strokes after training (paused); neighbours are the 12 nearest of the 500 held-out display images by cosine.',
  digits,
  sameDigitH: total('h'),
  sameDigitZ: total('z'),
  of: 120,
};
console.log(
  `after ${seconds} s (step ${step}, ${backend}): ${result.sameDigitH} of 120 neighbours share the drawn digit in h, ${result.sameDigitZ} in z`,
);
if (jsonPath) writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
