import { expect } from '@playwright/test';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

test('loads without console errors and picks wasm on a machine without a GPU', async ({ page, context }) => {
  const errors = watchErrors(page);
  // Works offline: every request must go to the app's own server (no CDN, no fonts, no data hub).
  const external: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('http://127.0.0.1') || url.startsWith('data:') || url.startsWith('blob:'))
      return route.continue();
    external.push(url);
    return route.abort();
  });
  await openApp(page);
  // This machine's only WebGPU adapter is SwiftShader (software): auto must choose wasm and say why.
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await expect(page.getByTestId('backend-reason')).toContainText(/software|no GPU|no WebGPU/i);
  for (const name of ['Play', 'Step', 'Reset'])
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  for (const name of ['Temperature', 'Batch size', 'Learning rate'])
    await expect(page.getByRole('slider', { name })).toBeVisible();
  for (const name of ['Dataset', 'Backend']) await expect(page.getByRole('combobox', { name })).toBeVisible();
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1');
  await page.screenshot({ path: `${SHOTS}/loaded.png`, fullPage: true });
  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});

test('Play trains: the step count rises and the loss falls; Pause stops', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=32');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await waitForStep(page, 3);
  const early = await readNumber(page, 'loss-value');
  expect(Number.isFinite(early)).toBe(true);
  // Within ~60 s the loss must fall clearly below where it started.
  await expect.poll(() => readNumber(page, 'loss-value'), { timeout: 60_000 }).toBeLessThan(early - 0.3);
  expect(await readNumber(page, 'steps-per-second')).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/training.png`, fullPage: true });

  // Temperature and batch size change live: training goes on from where it was, no reset.
  const before = await readNumber(page, 'step-count');
  const slider = page.getByRole('slider', { name: 'Temperature' });
  await slider.focus();
  for (let i = 0; i < 40; i++) await slider.press('ArrowLeft');
  await expect(slider).not.toHaveAttribute('aria-valuetext', '0.2');
  await expect(page).toHaveURL(/temperature=0\.\d+/);
  await waitForStep(page, before + 2);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.waitForTimeout(500);
  const stopped = await readNumber(page, 'step-count');
  await page.waitForTimeout(2000);
  expect(await readNumber(page, 'step-count')).toBe(stopped);
  expect(errors).toEqual([]);
});

test('no tensor leaks: numTensors stays flat over 200+ steps', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page, '#batchSize=8');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 10);
  const before = await readNumber(page, 'tensor-count');
  const stepBefore = await readNumber(page, 'step-count');
  await waitForStep(page, stepBefore + 200, 240_000);
  const after = await readNumber(page, 'tensor-count');
  await page.getByRole('button', { name: 'Pause' }).click();
  console.log(`numTensors ${before} at step ${stepBefore}, ${after} at step ${await readNumber(page, 'step-count')}`);
  expect(before).toBeGreaterThan(0);
  expect(after).toBe(before);
});

test('the same seed gives the same first losses on the same backend', async ({ page }) => {
  const firstLosses = async () => {
    // A fresh page load each time (a hash-only navigation would not reload the app).
    await page.goto('about:blank');
    await openApp(page, '#batchSize=16&seed=7');
    const out: string[] = [];
    for (let i = 1; i <= 3; i++) {
      await page.getByRole('button', { name: 'Step' }).click();
      await expect(page.getByTestId('step-count')).toHaveText(String(i));
      out.push((await page.getByTestId('loss-value').textContent()) ?? '');
    }
    return out;
  };
  const a = await firstLosses();
  const b = await firstLosses();
  expect(a.every((l) => Number.isFinite(Number(l)))).toBe(true);
  expect(b).toEqual(a);
});

test('?backend=webgpu trains two steps on SwiftShader with a finite loss', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await page.goto('?backend=webgpu#batchSize=8');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 120_000 });
  await expect(page.getByRole('img', { name: /Embedding space of 500/ })).toBeVisible({ timeout: 180_000 });
  for (let i = 1; i <= 2; i++) {
    await page.getByRole('button', { name: 'Step' }).click();
    await expect(page.getByTestId('step-count')).toHaveText(String(i), { timeout: 180_000 });
  }
  const loss = await readNumber(page, 'loss-value');
  expect(Number.isFinite(loss)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/webgpu.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('bad URL values fall back to defaults with a visible notice', async ({ page }) => {
  await openApp(page, '?backend=quantum#temperature=banana&batchSize=9999&colour=red');
  const notices = page.getByTestId('notice');
  await expect(notices.filter({ hasText: 'backend=quantum' })).toBeVisible();
  await expect(notices.filter({ hasText: 'temperature=banana' })).toBeVisible();
  await expect(notices.filter({ hasText: 'batchSize=9999' })).toBeVisible();
  await expect(notices.filter({ hasText: 'Unknown setting "colour"' })).toBeVisible();
  await expect(page.getByRole('slider', { name: 'Temperature' })).toHaveAttribute('aria-valuetext', '0.2');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  // The app keeps working.
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1');
  await expect.poll(() => readNumber(page, 'loss-value')).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/bad-url.png`, fullPage: true });
});

test('a NaN loss pauses training with a message and keeps the last good weights', async ({ page }) => {
  await openApp(page, '#batchSize=16');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1');
  const good = await readNumber(page, 'loss-value');
  // Make the next loss NaN through the worker's fault-injection command, then play.
  await page.evaluate(() =>
    (window as unknown as { __engine: Worker }).__engine.postMessage({ type: 'poisonNextStep' }),
  );
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('notice').filter({ hasText: /loss became NaN/ })).toBeVisible();
  await expect(page.getByTestId('notice').filter({ hasText: /learning rate|temperature/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // The poisoned step was not applied: still step 1, and the app trains on from there.
  await expect(page.getByTestId('step-count')).toHaveText('1');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('2');
  const next = await readNumber(page, 'loss-value');
  expect(Number.isFinite(next)).toBe(true);
  expect(Math.abs(next - good)).toBeLessThan(2);
  await page.screenshot({ path: `${SHOTS}/nan.png`, fullPage: true });
});

test('switching the dataset to Shapes rebuilds the engine and trains on RGB images', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  await page.getByRole('combobox', { name: 'Dataset' }).selectOption('shapes');
  await expect(page).toHaveURL(/dataset=shapes/);
  await expect(page.getByText('circle', { exact: true })).toBeVisible();
  await expect(page.getByRole('img', { name: /Embedding space of 400/ })).toBeVisible();
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1');
  await expect.poll(() => readNumber(page, 'loss-value')).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/shapes.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('SupCon stuck at chance on Shapes gets a notice saying why and what to do; training goes on', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await openApp(page, '#dataset=shapes&loss=supcon');
  await page.getByRole('button', { name: 'Play' }).click();
  const notice = page.getByTestId('notice').filter({ hasText: /chance level, log\(2N − 1\) = 4\.84, for 60 steps/ });
  await expect(notice).toBeVisible({ timeout: 150_000 });
  await expect(notice).toContainText('NT-Xent');
  // It is advice, not a stop: the step count keeps rising, and the loss really is at chance.
  expect(Math.abs((await readNumber(page, 'loss-value')) - Math.log(127))).toBeLessThan(0.05);
  const at = await readNumber(page, 'step-count');
  await expect.poll(() => readNumber(page, 'step-count')).toBeGreaterThan(at);
  await page.screenshot({ path: `${SHOTS}/supcon-stalled.png` });
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(errors).toEqual([]);
});
