import { expect, type Page } from '@playwright/test';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

const canvas = (page: Page) => page.getByTestId('embedding-canvas');

/** Clicks a ringed batch point: scans the canvas until the hover tip says one is under the
 *  pointer, then clicks it and checks the anchor changed. */
async function clickSomeBatchPoint(page: Page): Promise<void> {
  const box = (await canvas(page).boundingBox())!;
  const before = await canvas(page).getAttribute('data-anchor');
  // Walk a grid over the disc until a click lands on a ringed batch point.
  for (let gy = 0.2; gy <= 0.8; gy += 0.04) {
    for (let gx = 0.2; gx <= 0.8; gx += 0.04) {
      await page.mouse.move(box.x + gx * box.width, box.y + gy * box.height);
      if (await page.locator('.ev-tip').count()) {
        await page.mouse.down();
        await page.mouse.up();
        if ((await canvas(page).getAttribute('data-anchor')) !== before) return;
      }
    }
  }
  throw new Error('no batch point found to click');
}

test('the embedding view, anchor triples and temperature panel work while training and while paused', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=32');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 3);
  // Points move: the display set is re-embedded and the canvas follows it.
  const step0 = Number(await canvas(page).getAttribute('data-display-step'));
  const sum0 = await canvas(page).getAttribute('data-frame-sum');
  await expect
    .poll(async () => Number(await canvas(page).getAttribute('data-display-step')), { timeout: 60_000 })
    .toBeGreaterThan(step0);
  await expect.poll(() => canvas(page).getAttribute('data-frame-sum')).not.toBe(sum0);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.waitForTimeout(500);

  // The triple: anchor and positive images, six hardest negatives with similarity and weight.
  const triples = page.getByTestId('triples');
  await expect(triples.getByRole('img', { name: /^Anchor:/ })).toBeVisible();
  await expect(triples.getByRole('img', { name: /^Positive:/ })).toBeVisible();
  await expect(page.getByTestId('triple-negative')).toHaveCount(6);
  await expect(page.getByTestId('triple-negative').first()).toContainText(/s = -?\d\.\d\d/);
  await expect(page.getByTestId('triple-negative').first()).toContainText(/p = /);
  // The anchor images carry real pixels, not a blank canvas.
  const inked = await triples
    .locator('canvas.tp-img')
    .first()
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
      return lit;
    });
  expect(inked).toBeGreaterThan(10);

  // The temperature slider re-weights the last batch at once, while paused.
  const stepPaused = await readNumber(page, 'step-count');
  const eff0 = await readNumber(page, 'effective-negatives');
  const loss0 = await readNumber(page, 'anchor-loss');
  console.log(`effective negatives at step ${stepPaused}: ${eff0}`);
  // Of 2N - 2 = 62 negatives, a few steps in (tau = 0.2, embeddings still alike) most weigh
  // in. A weighting that ignored tau or the similarities would sit at 62 or near 1.
  expect(eff0).toBeGreaterThan(40);
  expect(eff0).toBeLessThan(62);
  const slider = page.getByRole('slider', { name: 'Temperature' });
  await slider.focus();
  for (let i = 0; i < 25; i++) await slider.press('ArrowLeft');
  await expect.poll(() => readNumber(page, 'effective-negatives')).toBeLessThan(eff0);
  const effLow = await readNumber(page, 'effective-negatives');
  for (let i = 0; i < 50; i++) await slider.press('ArrowRight');
  await expect.poll(() => readNumber(page, 'effective-negatives')).toBeGreaterThan(effLow);
  expect(await readNumber(page, 'anchor-loss')).not.toBe(loss0);
  expect(await readNumber(page, 'step-count')).toBe(stepPaused);
  // The formula shows the same loss as the triple.
  await expect(page.getByTestId('formula-loss')).toHaveText((await page.getByTestId('anchor-loss').textContent())!);

  // Clicking a batch point makes it the anchor; the triple follows.
  const anchorBefore = await page.getByTestId('anchor-row').textContent();
  await clickSomeBatchPoint(page);
  await expect(page.getByTestId('anchor-row')).not.toHaveText(anchorBefore!);
  await page.getByRole('button', { name: 'Next anchor' }).click();
  await page.getByRole('checkbox', { name: 'Show all forces' }).check();

  for (const [w, h, name] of [
    [1280, 800, 'playground-1280'],
    [1920, 1080, 'playground-1920'],
    [390, 844, 'playground-390'],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    // Close-ups of this feature's parts: the full page is long and shrinks in a viewer.
    await page.locator('.embedding-view').screenshot({ path: `${SHOTS}/${name}-embedding.png` });
    await page.locator('.contrast-row').screenshot({ path: `${SHOTS}/${name}-anchor.png` });
  }
  expect(errors).toEqual([]);
});

test('3-D embeddings sit on a sphere that turns by dragging; Shapes can be coloured by factor', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  // Shapes' display set has 8 classes x 50 images, so openApp's "500" does not apply.
  await page.goto('#dataset=shapes&embeddingDim=3&batchSize=16');
  await expect(
    page.getByRole('img', { name: /Embedding space of 400 held-out images on the unit sphere/ }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await waitForStep(page, 1);
  await expect(page.getByTestId('triple-negative')).toHaveCount(6);
  const colourBy = page.getByRole('combobox', { name: 'Colour by' });
  await expect(colourBy).toBeVisible();
  await colourBy.selectOption({ label: 'colour' });
  const sum0 = await canvas(page).getAttribute('data-frame-sum');
  const box = (await canvas(page).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.45, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => canvas(page).getAttribute('data-frame-sum')).not.toBe(sum0);
  // The per-factor kNN table, once all six columns hold figures (the paused engine evaluates),
  // stays inside its panel in the narrow layout a step brings.
  const factorTable = page.getByRole('table', { name: 'kNN accuracy per factor' });
  await expect(factorTable.getByTestId('knn-factor-shape')).not.toContainText('–', { timeout: 120_000 });
  const table = (await factorTable.boundingBox())!;
  const panel = (await page.locator('.panel.metrics').boundingBox())!;
  expect(table.x + table.width).toBeLessThanOrEqual(panel.x + panel.width);
  await page.screenshot({ path: `${SHOTS}/playground-sphere.png`, fullPage: true });
  await page.locator('.embedding-view').screenshot({ path: `${SHOTS}/playground-sphere-embedding.png` });
  expect(errors).toEqual([]);
});

test('UMAP is an on-demand projection for high-dimensional embeddings, computed in a worker', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (let i = 1; i <= 3; i++) {
    await step.click();
    await waitForStep(page, i);
  }
  const projection = page.getByRole('combobox', { name: 'Projection' });
  await expect(projection).toHaveValue('pca');
  await projection.selectOption({ label: 'UMAP' });
  await expect(page.locator('.embedding-view figcaption')).toContainText(
    /UMAP of the display set, computed at step \d+; forces are shown in PCA mode/,
    { timeout: 60_000 },
  );
  await expect(
    page.getByRole('img', { name: /^Embedding space of 500 held-out images, laid out by UMAP/ }),
  ).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Show all forces' })).toHaveCount(0);
  // Recompute for a later snapshot: the caption follows the step.
  await step.click();
  await waitForStep(page, 4);
  await expect.poll(async () => Number(await canvas(page).getAttribute('data-display-step'))).toBeGreaterThanOrEqual(4);
  await page.getByRole('button', { name: 'Recompute UMAP' }).click();
  await expect(page.locator('.embedding-view figcaption')).toContainText(/computed at step [4-9]/, { timeout: 60_000 });
  await page.waitForTimeout(400);
  await page.locator('.embedding-view').screenshot({ path: `${SHOTS}/umap.png` });
  // Back to PCA: the batch and its forces return.
  await projection.selectOption({ label: 'PCA' });
  await expect(page.getByRole('img', { name: /projected by PCA/ })).toBeVisible();
  expect(errors).toEqual([]);
});
