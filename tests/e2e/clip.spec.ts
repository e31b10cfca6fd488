import { expect, type Download } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

// CLIP on Shapes with a small batch: software backends are slow, so the run is short and the
// assertions are what a short run can honestly show (below each one says how strong it is).
test('CLIP trains on Shapes: loss falls, zero-shot beats chance, search finds red stars, unknown words are named', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await openApp(page, '#dataset=shapes&loss=clip&batchSize=32');
  await expect(page.getByRole('combobox', { name: 'Loss' })).toHaveValue('clip');
  await expect(page.getByTestId('clip-controls')).toBeVisible();
  // The page says which augmentations are off, and why.
  await expect(page.getByTestId('clip-blocked')).toContainText('Colour jitter');
  await expect(page.getByTestId('clip-blocked')).toContainText('Captions name the colour');
  // The Augmentations panel agrees with what training does: the switch is off and cannot be ticked.
  const augments = page.getByRole('region', { name: 'Augmentations' });
  await expect(augments.getByRole('checkbox', { name: 'Colour jitter' })).not.toBeChecked();
  await expect(augments.getByRole('checkbox', { name: 'Colour jitter' })).toBeDisabled();
  await expect(augments.getByTestId('clip-augments-off')).toBeVisible();

  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 20, 240_000);
  const earlyLoss = await readNumber(page, 'loss-value');
  const tensorsEarly = await readNumber(page, 'tensor-count');
  await waitForStep(page, 1000, 480_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  const pausedAt = await readNumber(page, 'step-count');
  // The loss read is one batch's: a falling trend, not a point, is what is claimed.
  await expect.poll(() => readNumber(page, 'loss-value')).toBeLessThan(earlyLoss);
  expect(await readNumber(page, 'tensor-count')).toBe(tensorsEarly);

  // The caption points and the gap.
  await expect(page.getByTestId('modality-legend')).toBeVisible();
  await expect(page.getByTestId('gap-path')).toBeVisible();
  await expect(page.getByTestId('clip-matrix')).toBeVisible();

  // Zero-shot shape accuracy (8 shapes, chance 12.5%) measured at the paused step.
  const acc = page.getByTestId('zero-shot-accuracy');
  await expect.poll(async () => Number(await acc.textContent()), { timeout: 120_000 }).toBeGreaterThan(0);
  const chance = Number(await page.getByTestId('zero-shot-chance').textContent());
  expect(chance).toBeCloseTo(12.5, 0);
  // A short run on a software backend: shape is learned after colour, so above chance is the claim.
  await expect.poll(async () => Number(await acc.textContent()), { timeout: 60_000 }).toBeGreaterThan(chance + 3);
  await page.getByRole('combobox', { name: 'Zero-shot factor' }).selectOption('colour');
  await expect.poll(async () => Number(await acc.textContent()), { timeout: 60_000 }).toBeGreaterThan(50);

  const box = page.getByRole('searchbox', { name: 'Search images' });
  await box.fill('a red star');
  await box.press('Enter');
  const results = page.getByTestId('search-result');
  await expect(results).toHaveCount(12, { timeout: 60_000 });
  const alts = await results.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt') ?? ''));
  console.log(`CLIP search "a red star" at step ${pausedAt}: ${alts.map((a) => a.split(',')[0]).join('; ')}`);
  // Red stars are 1 image in 64, so 12 results at random hold 0.2 of them. Around step 600 runs
  // gave 5, 8 and 9 of 12 (all 12 red); shape is learned after colour, so the claim is made at
  // step 1,000: at least 5 red stars (25 times chance) and nearly all red.
  expect(alts.filter((a) => a.startsWith('red star')).length).toBeGreaterThanOrEqual(5);
  expect(alts.filter((a) => a.startsWith('red ')).length).toBeGreaterThanOrEqual(10);
  await results.first().click();
  await expect(page.getByTestId('best-captions')).toBeVisible();

  await box.fill('a red zebra');
  await box.press('Enter');
  await expect(page.getByTestId('search-unknown')).toContainText('"zebra"');

  expect(await readNumber(page, 'tensor-count')).toBe(tensorsEarly);
  for (const [w, h] of [
    [1280, 800],
    [1024, 768],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    for (const id of ['zero-shot', 'clip-search', 'clip-anchor', 'clip-matrix', 'clip-controls']) {
      const panel = page.getByTestId(id);
      const b = await panel.boundingBox();
      expect(b, id).not.toBeNull();
      expect(b!.x, `${id} at ${w}`).toBeGreaterThanOrEqual(0);
      expect(b!.x + b!.width, `${id} at ${w}`).toBeLessThanOrEqual(w + 1);
    }
    await page.screenshot({ path: `${SHOTS}/clip-${w}x${h}.png`, fullPage: true });
    await page.locator('.clip-eval-row').screenshot({ path: `${SHOTS}/clip-eval-${w}.png` });
    await page.locator('.clip-row-panels').screenshot({ path: `${SHOTS}/clip-batch-${w}.png` });
    await page.getByTestId('clip-controls').screenshot({ path: `${SHOTS}/clip-controls-${w}.png` });
  }
  expect(errors).toEqual([]);
});

test('the first load fetches no CLIP code; choosing CLIP loads it, and its Projector export holds the caption points', async ({
  page,
  context,
}) => {
  const errors = watchErrors(page);
  const fetched: string[] = [];
  context.on('request', (r) => fetched.push(r.url()));
  await openApp(page);
  await page.waitForTimeout(1000);
  const clipCode = (u: string) => /\/(clipTrainer|clipStep|clipQueries|ClipSection)-[\w-]+\.js$/.test(u);
  expect(fetched.filter(clipCode)).toEqual([]);
  await page.getByRole('combobox', { name: 'Loss' }).selectOption('clip');
  await expect(page.getByTestId('clip-controls')).toBeVisible();
  await expect(page).toHaveURL(/loss=clip/);
  await expect(page.getByTestId('zero-shot-step')).toHaveText('0', { timeout: 120_000 });
  expect(fetched.some((u) => /\/clipTrainer-[\w-]+\.js$/.test(u))).toBe(true);
  // MNIST: the zero-shot factor is the digit, and the colour augmentations are not in question.
  await expect(page.getByRole('combobox', { name: 'Zero-shot factor' })).toHaveValue('digit');
  await expect(page.getByTestId('clip-blocked')).toHaveCount(0);

  // The Projector export holds the 500 digits and, after them, their 500 captions.
  const got: Download[] = [];
  page.on('download', (d) => got.push(d));
  await page.getByRole('button', { name: 'Export embeddings' }).click();
  await expect.poll(() => got.length, { timeout: 60_000 }).toBe(2);
  const file = async (name: string) =>
    readFileSync((await got.find((d) => d.suggestedFilename() === name)!.path())!, 'utf8')
      .trim()
      .split('\n');
  const meta = await file('metadata.tsv');
  const vectors = await file('vectors.tsv');
  expect(meta[0].split('\t')).toEqual(['index', 'digit', 'modality', 'caption']);
  expect(vectors).toHaveLength(1000);
  expect(meta.slice(1).filter((l) => l.split('\t')[2] === 'caption')).toHaveLength(500);
  // Caption k + 500 is image k's: the same dataset index, and it names the image's digit.
  const [idx, digit, , caption] = meta[501].split('\t');
  expect(meta[1].split('\t')[0]).toBe(idx);
  expect(caption).toMatch(
    new RegExp(
      `(${digit}|${['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Number(digit)]})`,
    ),
  );
  expect(errors).toEqual([]);
});
