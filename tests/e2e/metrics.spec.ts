import { expect, test } from '@playwright/test';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors } from './helpers';

// kNN on MNIST must climb clearly above the same kNN on the untrained encoder. Training runs
// for a fixed number of steps; pausing then makes the worker evaluate the current weights.
test('kNN accuracy rises above the random-init baseline; a 1-label probe reports all baselines', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=64');
  const knn = page.getByTestId('knn-accuracy');
  // The baselines (raw pixels, random init) and the step-0 point come first.
  await expect.poll(() => readNumber(page, 'knn-random'), { timeout: 120_000 }).toBeGreaterThan(50);
  expect(await readNumber(page, 'knn-raw')).toBeGreaterThan(85);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 250, 240_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const stopped = await readNumber(page, 'step-count');
  // The evaluation of the paused weights: its point carries the step it was measured at.
  await expect(page.getByTestId('metrics-status')).toHaveText(`at step ${stopped}`, { timeout: 120_000 });
  const random = await readNumber(page, 'knn-random');
  const trained = await readNumber(page, 'knn-accuracy');
  console.log(`kNN on h: ${trained}% at step ${stopped}; random init ${random}%, pixels ${await readNumber(page, 'knn-raw')}%`);
  // The margin is set from measured runs (bench-results/e2e-bounds.json): an encoder that
  // stopped learning stays near its random-init score.
  expect(trained).toBeGreaterThan(random + 3);
  // Periodic evaluation keeps to its ~10% budget (one chunk can overrun it).
  const evalCost = await readNumber(page, 'eval-cost');
  console.log(`periodic evaluation: ${evalCost}% of training time`);
  expect(evalCost).toBeLessThanOrEqual(15);
  await expect(knn).toHaveText(/^\d+\.\d$/);
  // Geometry readouts are numbers, uniformity between its optimum and 0.
  const u = await readNumber(page, 'uniformity');
  expect(u).toBeLessThan(0);
  expect(u).toBeGreaterThan(-4);
  expect(await readNumber(page, 'alignment')).toBeGreaterThanOrEqual(0);
  await expect(page.getByRole('img', { name: /kNN accuracy over steps/ })).toBeVisible();
  await page.getByRole('radio', { name: 'Against epochs' }).click();
  await expect(page.getByRole('img', { name: /kNN accuracy over epochs/ })).toBeVisible();

  // A probe with one label per class: pre-trained, pixels, random init and from scratch.
  await page.getByRole('combobox', { name: 'Labels per class' }).selectOption('1');
  await page.getByRole('button', { name: 'Run probe' }).click();
  const row = page.getByTestId('probe-row-1');
  await expect(row).toBeVisible();
  await expect.poll(async () => (await row.locator('td').allTextContents()).every((t) => /^\d+\.\d$/.test(t)), { timeout: 180_000 }).toBe(true);
  const cells = (await row.locator('td').allTextContents()).map(Number);
  console.log(`1 label per class: pre-trained ${cells[0]}, scratch ${cells[1]}, pixels ${cells[2]}, random ${cells[3]}`);
  // Chance is 10%; every cell, the fixed baselines included, is well above it.
  for (const c of cells) expect(c).toBeGreaterThan(20);
  // Pre-training beats its own starting point. One label per class is a noisy probe: after a few
  // hundred steps pre-trained and pixels overlap, so no claim against pixels.
  expect(cells[0]).toBeGreaterThan(cells[3] + 2);
  // From scratch had the compute pre-training had: two views of 64 images a step, in steps of
  // 64 images, so twice the contrastive steps (at least 300).
  const title = (await row.getAttribute('title')) ?? '';
  const [, encoderStep, scratchSteps] = (title.match(/encoder at step (\d+).*from scratch: (\d+) steps of 64 images/) ?? []).map(Number);
  expect(encoderStep).toBeGreaterThan(0);
  expect(scratchSteps).toBe(Math.min(3000, Math.max(300, 2 * encoderStep)));
  await page.locator('.probes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/metrics.png`, fullPage: true });
  await page.locator('.metrics').screenshot({ path: `${SHOTS}/metrics-panel.png` });
  await page.locator('.probes').screenshot({ path: `${SHOTS}/probe-panel.png` });
  expect(errors).toEqual([]);
});
