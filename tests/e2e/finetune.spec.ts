import { expect } from '@playwright/test';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

// The declared budgets (up to 3,000 supervised steps per method and draw) take minutes per label
// count; here every step budget is shrunk to 1% through the test-only window.__studyBudgetScale,
// which the page passes to the worker and every report flags. What is checked is the plumbing
// and the bookkeeping, not the figures.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { __studyBudgetScale: number }).__studyBudgetScale = 0.01;
  });
});

const METHODS = ['pretrained', 'finetune', 'scratch', 'converged', 'pixels', 'random'];
const isPercent = (t: string | null) => /^\d+\.\d$/.test(t ?? '');

test('fine-tune cells fill in for 10 labels per class; the label curve draws every method; no tensor leaks', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=64');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 20);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  await page.getByRole('combobox', { name: 'Labels per class' }).selectOption('10');
  await page.getByRole('button', { name: 'Run probe' }).click();
  // Cells fill in after the first draw; the figures are final when all 3 are done.
  await expect(page.getByTestId('probe-row-10')).toHaveAttribute('title', /3 of 3 draws/, { timeout: 180_000 });
  for (const m of METHODS) await expect(page.getByTestId(`probe-${m}-10`)).toHaveText(/^\d+\.\d$/);
  const cells = Object.fromEntries(
    await Promise.all(METHODS.map(async (m) => [m, await readNumber(page, `probe-${m}-10`)] as const)),
  );
  console.log('10 labels per class (test budgets):', JSON.stringify(cells));
  for (const m of METHODS) expect(cells[m]).toBeGreaterThan(10); // above chance (10 digits)
  // Mean over 3 draws, with the range shown beside it.
  await expect(page.getByTestId('probe-spread-10')).toContainText('3 draws');
  const title = (await page.getByTestId('probe-row-10').getAttribute('title')) ?? '';
  expect(title).toMatch(/100 labelled images \(80 fitted, 20 for validation\), 3 of 3 draws/);
  await expect(page.getByTestId('probe-recipe')).toContainText('encoder at 0.0001');
  await expect(page.locator('.probe-note')).toContainText('not the recipe');
  // Each from-scratch budget says whom it favours.
  await expect(
    page
      .getByTestId('budget-verdict')
      .filter({ hasText: /^10\/class, to convergence: .*(favours from scratch|would not have helped it)\.$/ }),
  ).toHaveCount(1);

  // A step shows the worker's tensor count with nothing running beside it.
  const stepped = await readNumber(page, 'step-count');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readNumber(page, 'step-count')).toBe(stepped + 1);
  const tensorsBefore = await readNumber(page, 'tensor-count');

  await page.getByRole('button', { name: 'Run label curve' }).click();
  await expect(page.getByRole('button', { name: 'Stop label curve' })).toBeEnabled();
  await expect(page.getByTestId('curve-progress')).toBeVisible();
  await expect(page.getByTestId('curve-progress')).toBeHidden({ timeout: 360_000 });
  const chart = page.getByTestId('label-curve');
  await expect(chart).toBeVisible();
  for (const m of ['pretrained', 'finetune', 'scratch', 'scratchConverged', 'pixels', 'random']) {
    const group = chart.getByTestId(`curve-${m}`);
    await expect(group.locator('circle')).toHaveCount(8);
    expect((await group.locator('path.line').getAttribute('d'))?.length ?? 0).toBeGreaterThan(10);
  }
  // Draws at 1, 2, 5 and 10 per class give a band.
  expect(
    (await chart.getByTestId('curve-finetune').locator('path.band').getAttribute('d'))?.length ?? 0,
  ).toBeGreaterThan(10);
  await expect(chart.locator('text', { hasText: /^all$/ })).toHaveCount(1);

  const before = await readNumber(page, 'step-count');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readNumber(page, 'step-count')).toBe(before + 1);
  await expect.poll(() => readNumber(page, 'tensor-count')).toBe(tensorsBefore);
  await page.locator('.probes').scrollIntoViewIfNeeded();
  await page.locator('.probes').screenshot({ path: `${SHOTS}/finetune-panel.png` });
  expect(isPercent(await page.getByTestId('probe-finetune-10').textContent())).toBe(true);
  expect(errors).toEqual([]);
});
