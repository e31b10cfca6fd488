import { expect } from '@playwright/test';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

// The probe's supervised budgets are shrunk to 5% (test-only window.__studyBudgetScale; the
// declared ones take minutes): the budget's arithmetic is checked, not its figures.
const SCALE = 0.05;
test.beforeEach(async ({ page }) => {
  await page.addInitScript((s) => {
    (window as unknown as { __studyBudgetScale: number }).__studyBudgetScale = s;
  }, SCALE);
});

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
  console.log(
    `kNN on h: ${trained}% at step ${stopped}; random init ${random}%, pixels ${await readNumber(page, 'knn-raw')}%`,
  );
  expect(trained).toBeGreaterThan(random + 2);
  // Periodic evaluation keeps to its ~10% budget (loosely: one chunk can overrun it).
  const evalCost = await readNumber(page, 'eval-cost');
  console.log(`periodic evaluation: ${evalCost}% of training time`);
  expect(evalCost).toBeLessThanOrEqual(25);
  await expect(knn).toHaveText(/^\d+\.\d$/);
  // Geometry readouts are numbers, uniformity between its optimum and 0.
  const u = await readNumber(page, 'uniformity');
  expect(u).toBeLessThan(0);
  expect(u).toBeGreaterThan(-4);
  expect(await readNumber(page, 'alignment')).toBeGreaterThanOrEqual(0);
  await expect(page.getByRole('img', { name: /kNN accuracy over steps/ })).toBeVisible();
  await page.getByRole('radio', { name: 'Against epochs' }).click();
  await expect(page.getByRole('img', { name: /kNN accuracy over epochs/ })).toBeVisible();

  // A probe with one label per class: pre-trained, fine-tuned, from scratch twice, pixels, random init.
  await page.getByRole('combobox', { name: 'Labels per class' }).selectOption('1');
  await page.getByRole('button', { name: 'Run probe' }).click();
  const row = page.getByTestId('probe-row-1');
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('title', /3 of 3 draws/, { timeout: 180_000 });
  await expect
    .poll(async () => (await row.locator('td').allTextContents()).every((t) => /^\d+\.\d$/.test(t)))
    .toBe(true);
  const cells = (await row.locator('td').allTextContents()).map(Number);
  expect(cells).toHaveLength(6);
  console.log(
    `1 label per class (test budgets): probe ${cells[0]}, fine-tuned ${cells[1]}, scratch ${cells[2]} / ${cells[3]}, pixels ${cells[4]}, random ${cells[5]}`,
  );
  for (const c of cells) expect(c).toBeGreaterThan(10); // above chance (10%)
  // From scratch had the compute pre-training and fine-tuning had: two views of 64 images a
  // contrastive step plus fine-tuning's steps, in steps of 64 images (300 to 3,000), scaled.
  const title = (await row.getAttribute('title')) ?? '';
  const [, encoderStep, ftSteps, scratchSteps] = (
    title.match(/encoder at step (\d+).*fine-tuning: (\d+) steps; from scratch: (\d+) steps of 64 images/) ?? []
  ).map(Number);
  expect(encoderStep).toBeGreaterThan(0);
  // Below 5 labels per class there is no validation: fine-tuning ran its declared 300 steps.
  expect(ftSteps).toBe(Math.round(300 * SCALE));
  expect(scratchSteps).toBe(Math.round(Math.min(3000, Math.max(300, 2 * encoderStep + ftSteps)) * SCALE));
  await page.locator('.probes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/metrics.png`, fullPage: true });
  await page.locator('.metrics').screenshot({ path: `${SHOTS}/metrics-panel.png` });
  await page.locator('.probes').screenshot({ path: `${SHOTS}/probe-panel.png` });
  expect(errors).toEqual([]);
});
