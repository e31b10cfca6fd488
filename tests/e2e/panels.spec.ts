import { expect, type Page } from '@playwright/test';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

const stepOnce = async (page: Page, expected: number) => {
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('step-count')).toHaveText(String(expected));
};

test('the similarity matrix shows the row softmax and follows the temperature while paused', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  await stepOnce(page, 1);
  await expect(page.getByTestId('matrix-summary-similarity')).toContainText('Mean s of positives');
  await page.getByRole('checkbox', { name: 'Show row softmax' }).check();
  const summary = page.getByTestId('matrix-summary-softmax');
  await expect(summary).toContainText('τ = 0.2');
  const before = await summary.textContent();
  const slider = page.getByRole('slider', { name: 'Temperature' });
  await slider.focus();
  for (let i = 0; i < 12; i++) await slider.press('ArrowLeft');
  await expect(summary).not.toHaveText(before ?? '');
  await expect(summary).not.toContainText('τ = 0.2,');
  // Still paused: the matrix was recomputed on the page, not by training.
  expect(await readNumber(page, 'step-count')).toBe(1);
  await page.getByRole('checkbox', { name: 'Show row softmax' }).uncheck();
  await expect(page.getByTestId('matrix-summary-similarity')).toBeVisible();
  expect(errors).toEqual([]);
});

test('turning an augmentation off changes the URL and the preview, also while paused', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page);
  const preview = page.getByTestId('augment-preview');
  await expect(preview).toHaveAttribute('data-version', /[0-9a-f]+/);
  const v0 = await preview.getAttribute('data-version');
  // Greyscale MNIST: the colour augmentations cannot be switched on.
  await expect(page.getByRole('checkbox', { name: 'Colour jitter' })).toBeDisabled();
  await expect(page.getByRole('checkbox', { name: 'Random greyscale' })).toBeDisabled();
  const rotation = page.getByRole('checkbox', { name: 'Rotation', exact: true });
  await rotation.uncheck();
  await expect(page).toHaveURL(/rotate=off/);
  await expect(page.getByRole('slider', { name: 'Rotation strength' })).toBeDisabled();
  await expect(preview).not.toHaveAttribute('data-version', v0 ?? '');
  const v1 = await preview.getAttribute('data-version');
  // A strength slider moves the preview too.
  const noise = page.getByRole('slider', { name: 'Gaussian noise strength' });
  await noise.focus();
  for (let i = 0; i < 4; i++) await noise.press('ArrowRight');
  await expect(page).toHaveURL(/noise=0\.5/);
  await expect(preview).not.toHaveAttribute('data-version', v1 ?? '');
  expect(await readNumber(page, 'step-count')).toBe(0);
  // Colour images: the colour augmentations come on with the Shapes defaults, and the preview follows.
  const v2 = await preview.getAttribute('data-version');
  await page.getByRole('combobox', { name: 'Dataset' }).selectOption('shapes');
  await expect(page.getByRole('checkbox', { name: 'Colour jitter' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Colour jitter' })).toBeEnabled();
  await expect(preview).not.toHaveAttribute('data-version', v2 ?? '');
  await page
    .getByRole('region', { name: 'Augmentations', exact: true })
    .screenshot({ path: `${SHOTS}/panel-augmentations-shapes.png` });
  expect(errors).toEqual([]);
});

test('bad values in the URL fall back to defaults with notices', async ({ page }) => {
  await openApp(page, '#temperature=abc&batchSize=7&speed=-1&controls=maybe&crop=2&seed=1.5&bogus=1');
  await expect(page.getByTestId('notice')).toHaveCount(7);
  await expect(page.getByRole('slider', { name: 'Temperature' })).toHaveAttribute('aria-valuetext', '0.2');
  await expect(page.getByRole('combobox', { name: 'Speed' })).toHaveValue('0');
  await expect(page.getByRole('spinbutton', { name: 'Seed' })).toHaveValue('1');
  await expect(page.getByRole('region', { name: 'Controls' })).toBeVisible();
});

test('a copied link reopens the same settings', async ({ page, context }) => {
  await openApp(page);
  const slider = page.getByRole('slider', { name: 'Temperature' });
  await slider.focus();
  for (let i = 0; i < 5; i++) await slider.press('ArrowRight');
  const temp = await slider.getAttribute('aria-valuetext');
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('42');
  await page.getByRole('spinbutton', { name: 'Seed' }).press('Enter');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('5');
  await page.getByRole('checkbox', { name: 'Translation', exact: true }).uncheck();
  await expect(page).toHaveURL(/seed=42/);
  await expect(page).toHaveURL(/speed=5/);
  await expect(page).toHaveURL(/translate=off/);
  const url = page.url();

  const again = await context.newPage();
  await openApp(again, url);
  await expect(again.getByTestId('notice')).toHaveCount(0);
  await expect(again.getByRole('slider', { name: 'Temperature' })).toHaveAttribute('aria-valuetext', temp ?? '');
  await expect(again.getByRole('spinbutton', { name: 'Seed' })).toHaveValue('42');
  await expect(again.getByRole('combobox', { name: 'Speed' })).toHaveValue('5');
  await expect(again.getByRole('checkbox', { name: 'Translation', exact: true })).not.toBeChecked();
  await expect(again.getByRole('checkbox', { name: 'Rotation', exact: true })).toBeChecked();
  expect(again.url()).toBe(url);
});

test('keyboard: space plays and pauses, right arrow steps', async ({ page }) => {
  await openApp(page, '#batchSize=16');
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-count')).toHaveText('1');
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await waitForStep(page, 3);
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.waitForTimeout(500);
  const stopped = await readNumber(page, 'step-count');
  await page.waitForTimeout(1000);
  expect(await readNumber(page, 'step-count')).toBe(stopped);
});

test('the speed setting caps the steps per second', async ({ page }) => {
  await openApp(page, '#batchSize=8&speed=2');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 2);
  const t0 = Date.now();
  const s0 = await readNumber(page, 'step-count');
  await page.waitForTimeout(5000);
  // A loaded machine may run slower than asked, never faster.
  const rate = ((await readNumber(page, 'step-count')) - s0) / ((Date.now() - t0) / 1000);
  expect(rate).toBeLessThanOrEqual(2.5);
  await waitForStep(page, s0 + 1, 30_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('img', { name: /Steps per second over time/ })).toBeVisible();
});

test('slow motion walks one update through all its stages', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  await stepOnce(page, 1);
  await page.getByRole('button', { name: 'Slow motion', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /slow motion/ });
  await expect(dialog).toBeVisible();
  const stage = dialog.getByTestId('slowmo-stage');
  await expect(stage).toHaveText('1. Similarities');
  await expect(page.getByTestId('step-count')).toHaveText('2');
  // The dialog has the focus: the arrow keys walk the stages instead of training.
  await page.keyboard.press('ArrowRight');
  await expect(stage).toHaveText('2. Softmax');
  await page.keyboard.press('ArrowLeft');
  await expect(stage).toHaveText('1. Similarities');
  const caption = dialog.getByTestId('slowmo-caption');
  const titles = ['2. Softmax', '3. Forces', '4. Parameter step', '5. New embeddings'];
  let lossBefore = '',
    lossAfter = '';
  for (const t of titles) {
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(stage).toHaveText(t);
    await expect(caption).not.toBeEmpty();
    if (t === '4. Parameter step') {
      lossBefore = await dialog.getByTestId('slowmo-loss-before').innerText();
      lossAfter = await dialog.getByTestId('slowmo-loss-after').innerText();
    }
  }
  await expect(dialog.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
  // The caption says what this update did to the loss on its own views, whichever way it went.
  expect(lossBefore).toMatch(/^\d+\.\d{3}$/);
  expect(lossAfter).toMatch(/^\d+\.\d{3}$/);
  const [b, a] = [Number(lossBefore), Number(lossAfter)];
  const said =
    a < b
      ? `the batch loss fell from ${lossBefore} to ${lossAfter}`
      : a > b
        ? `the batch loss rose from ${lossBefore} to ${lossAfter}`
        : `the batch loss stayed at ${lossAfter}`;
  await expect(caption).toContainText(said);
  // And what it did to the positives: the verb matches the similarities it quotes.
  const text = await caption.innerText();
  const pos =
    /Positives (drew together|drifted apart|kept their similarity) \(mean s (-?\d\.\d{3})(?: → (-?\d\.\d{3}))?\)/.exec(
      text,
    );
  expect(pos, text).not.toBeNull();
  const [, verb, s0, s1] = pos!;
  expect(verb).toBe(
    s1 === undefined ? 'kept their similarity' : Number(s1) > Number(s0) ? 'drew together' : 'drifted apart',
  );
  await dialog.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(stage).toHaveText('4. Parameter step');
  await page.keyboard.press('ArrowRight');
  await expect(stage).toHaveText('5. New embeddings');
  expect(await readNumber(page, 'step-count')).toBe(2);
  await dialog.getByRole('button', { name: 'Explain the next update' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('3');
  await expect(stage).toHaveText('1. Similarities');
  await dialog.getByRole('button', { name: 'Close slow motion' }).click();
  await expect(dialog).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('hide controls: a classroom link without the control panel', async ({ page, context }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Hide controls' }).click();
  await expect(page.getByRole('region', { name: 'Controls' })).toHaveCount(0);
  await expect(page).toHaveURL(/controls=hidden/);
  const again = await context.newPage();
  await openApp(again, page.url());
  await expect(again.getByRole('region', { name: 'Controls' })).toHaveCount(0);
  await again.screenshot({ path: `${SHOTS}/controls-hidden-1280x800.png` });
  await again.getByRole('button', { name: 'Show controls' }).click();
  await expect(again.getByRole('region', { name: 'Controls' })).toBeVisible();
  await expect(again).not.toHaveURL(/controls=/);
});

for (const [w, h] of [
  [1280, 800],
  [1920, 1080],
  [390, 844],
] as const) {
  test(`panels at ${w}x${h}: screenshots, nothing overflows`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openApp(page, '#batchSize=32');
    for (let i = 1; i <= 3; i++) await stepOnce(page, i);
    await page.getByRole('checkbox', { name: 'Show row softmax' }).check();
    await expect(page.getByTestId('augment-preview')).toHaveAttribute('data-version', /[0-9a-f]+/);
    // No horizontal scrolling: everything fits the width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
    await page.screenshot({ path: `${SHOTS}/panels-${w}x${h}.png`, fullPage: true });
    for (const name of ['Augmentations', 'Run', 'Similarity matrix']) {
      await page
        .getByRole('region', { name, exact: true })
        .screenshot({ path: `${SHOTS}/panel-${name.toLowerCase().replace(' ', '-')}-${w}x${h}.png` });
    }
    await page.getByRole('button', { name: 'Slow motion', exact: true }).click();
    await page
      .getByRole('dialog', { name: /slow motion/ })
      .getByRole('button', { name: 'Next', exact: true })
      .click();
    await page
      .getByRole('dialog', { name: /slow motion/ })
      .getByRole('button', { name: 'Next', exact: true })
      .click();
    await expect(page.getByTestId('slowmo-stage')).toHaveText('3. Forces');
    await page.screenshot({ path: `${SHOTS}/slowmo-${w}x${h}.png` });
    await page
      .getByRole('dialog', { name: /slow motion/ })
      .getByRole('button', { name: 'Next', exact: true })
      .click();
    await page
      .getByRole('dialog', { name: /slow motion/ })
      .getByRole('button', { name: 'Next', exact: true })
      .click();
    await expect(page.getByTestId('slowmo-stage')).toHaveText('5. New embeddings');
    await page.screenshot({ path: `${SHOTS}/slowmo-after-${w}x${h}.png` });
  });
}
