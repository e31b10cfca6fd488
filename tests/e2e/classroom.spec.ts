import { expect, type Page } from '@playwright/test';
import { LESSON } from '../../src/core/lesson';
import { PRESETS } from '../../src/core/presets';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

const playButton = (page: Page) => page.getByRole('button', { name: 'Play', exact: true });
const pauseButton = (page: Page) => page.getByRole('button', { name: 'Pause', exact: true });
const lessonToggle = (page: Page) => page.getByRole('button', { name: 'Lesson', exact: true });

/** Trains until the step count passes `steps` more than now, then pauses; the loss must be finite. */
async function trainAFew(page: Page, steps: number) {
  const from = await readNumber(page, 'step-count');
  await playButton(page).click();
  await waitForStep(page, from + steps);
  await pauseButton(page).click();
  await expect(playButton(page)).toBeVisible();
  expect(Number.isFinite(await readNumber(page, 'loss-value'))).toBe(true);
}

async function setTabHidden(page: Page, hidden: boolean) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('every preset opens from the Preset select, explains itself, sets the URL and trains', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = watchErrors(page);
  // A copied link with just the preset's name opens it.
  await openApp(page, '#preset=collapse');
  const select = page.getByRole('combobox', { name: 'Preset' });
  await expect(select).toHaveValue('collapse');
  await expect(page.getByRole('combobox', { name: 'Loss' })).toHaveValue('align');
  await expect(page.getByTestId('preset-note')).toContainText('Collapse: no negatives');

  for (const p of PRESETS) {
    await select.selectOption(p.id);
    await expect(page).toHaveURL(new RegExp(`preset=${p.id}(&|$)`));
    await expect(page.getByTestId('preset-note')).toContainText(p.title);
    await expect(page.getByTestId('preset-note')).toContainText('Try this:');
    // Choosing a preset starts from fresh weights.
    await expect(page.getByTestId('step-count')).toHaveText('0');
    if (p.settings.loss) await expect(page.getByRole('combobox', { name: 'Loss' })).toHaveValue(p.settings.loss);
    if (p.settings.dataset)
      await expect(page.getByRole('combobox', { name: 'Dataset' })).toHaveValue(p.settings.dataset);
    await trainAFew(page, 2);
  }
  // The explorer's button points at the augmentation panel and its live preview.
  await page.getByRole('button', { name: /^Show the augmentations/ }).click();
  await expect(page.locator('[data-lesson-highlight="augment"]')).toBeVisible();
  await expect(page.getByTestId('augment-preview')).toHaveAttribute('data-version', /[0-9a-f]+/);
  // Back to no preset: the settings stay, the note goes.
  await select.selectOption('');
  await expect(page.getByTestId('preset-note')).toHaveCount(0);
  await expect(page).not.toHaveURL(/preset=/);
  expect(errors).toEqual([]);
});

test('the lesson walks forward by button and back by keyboard, with hidden answers and highlights', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await openApp(page);
  await lessonToggle(page).click();
  const panel = page.getByRole('complementary', { name: 'Lesson' });
  await expect(panel).toBeVisible();
  const counter = page.getByTestId('lesson-counter');
  const n = LESSON.length;

  for (let i = 0; i < n; i++) {
    const step = LESSON[i];
    await expect(counter).toHaveText(`Step ${i + 1} of ${n}`);
    await expect(panel.getByRole('heading', { name: step.title })).toBeVisible();
    if (step.target)
      await expect(page.locator(`[data-lesson-highlight="${step.target}"]`)).toHaveCount(1, { timeout: 60_000 });
    if (step.question) {
      await expect(panel).toContainText(step.question.prompt);
      await expect(page.getByTestId('lesson-answer')).toHaveCount(0);
      await expect(panel).not.toContainText(step.question.answer);
      await panel.getByRole('button', { name: 'Reveal answer' }).click();
      await expect(page.getByTestId('lesson-answer')).toHaveText(step.question.answer);
    }
    if (step.preset) await expect(page.getByRole('combobox', { name: 'Preset' })).toHaveValue(step.preset);
    if (step.id === 'pairs') await expect(page.getByTestId('triples')).toBeVisible();
    if (step.id === 'play') await expect(pauseButton(page)).toBeVisible();
    if (step.id === 'augment-off') {
      await expect(page.getByRole('checkbox', { name: 'Colour jitter' })).not.toBeChecked();
      await expect(page).toHaveURL(/colorJitter=off/);
    }
    if (step.id === 'formula') {
      await panel.screenshot({ path: `${SHOTS}/lesson-panel.png` });
      await page.screenshot({ path: `${SHOTS}/lesson-1280x800.png` });
    }
    if (i < n - 1) await panel.getByRole('button', { name: 'Next step' }).click();
  }
  await expect(panel.getByRole('button', { name: 'Next step' })).toBeDisabled();
  // Back with the keys a presentation clicker sends, and with P; answers are hidden again.
  for (let i = n - 1; i > 0; i--) {
    await page.keyboard.press(i % 2 ? 'PageUp' : 'p');
    await expect(counter).toHaveText(`Step ${i} of ${n}`);
    if (LESSON[i - 1].question) await expect(page.getByTestId('lesson-answer')).toHaveCount(0);
  }
  await expect(panel.getByRole('button', { name: 'Previous step' })).toBeDisabled();
  await page.keyboard.press('n');
  await expect(counter).toHaveText(`Step 2 of ${n}`);
  // Closing keeps the place; the keys do nothing while it is closed.
  await lessonToggle(page).click();
  await expect(panel).toHaveCount(0);
  await page.keyboard.press('n');
  await lessonToggle(page).click();
  await expect(counter).toHaveText(`Step 2 of ${n}`);
  expect(errors).toEqual([]);
});

test('presentation mode: large type, high contrast, secondary controls hidden, driven by keys', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=32');
  const rootFont = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const normalFont = await rootFont();
  const backend = page.getByRole('combobox', { name: 'Backend' });
  await expect(backend).toBeVisible();

  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/presentation=on/);
  expect(await rootFont()).toBeGreaterThanOrEqual(normalFont * 1.2);
  await expect(backend).toBeHidden();
  await expect(page.getByRole('spinbutton', { name: 'Seed' })).toBeHidden();
  await expect(page.getByRole('slider', { name: 'Temperature' })).toBeVisible();

  // Escape leaves, F comes back.
  await page.keyboard.press('Escape');
  await expect(page).not.toHaveURL(/presentation=on/);
  await expect(backend).toBeVisible();
  await page.keyboard.press('f');
  await expect(page).toHaveURL(/presentation=on/);
  await expect(backend).toBeHidden();

  // Space plays and pauses, the right arrow steps while paused.
  await page.keyboard.press(' ');
  await waitForStep(page, 3);
  await page.keyboard.press(' ');
  await expect(playButton(page)).toBeVisible();
  await page.waitForTimeout(300);
  const paused = await readNumber(page, 'step-count');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-count')).toHaveText(String(paused + 1));

  // The lesson follows N / P here too. Open it without changing the run: the first step applies
  // its preset, so train on afterwards for the screenshots.
  await lessonToggle(page).click();
  const counter = page.getByTestId('lesson-counter');
  await expect(counter).toHaveText(`Step 1 of ${LESSON.length}`);
  await page.keyboard.press('n');
  await expect(counter).toHaveText(`Step 2 of ${LESSON.length}`);
  await page.keyboard.press('n');
  await expect(counter).toHaveText(`Step 3 of ${LESSON.length}`);
  await waitForStep(page, 15);
  await page.keyboard.press(' ');
  await expect(playButton(page)).toBeVisible();
  await page.keyboard.press('PageUp');
  await expect(counter).toHaveText(`Step 2 of ${LESSON.length}`);
  await page.keyboard.press('PageDown');
  await expect(counter).toHaveText(`Step 3 of ${LESSON.length}`);
  await page.getByRole('button', { name: 'Reveal answer' }).click();

  for (const [w, h] of [
    [1920, 1080],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${SHOTS}/presentation-lesson-${w}x${h}.png` });
  }
  await lessonToggle(page).click();
  for (const [w, h] of [
    [1920, 1080],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${SHOTS}/presentation-${w}x${h}.png` });
  }
  await page.screenshot({ path: `${SHOTS}/presentation-full-1280.png`, fullPage: true });
  await page.locator('.contrast-row').screenshot({ path: `${SHOTS}/presentation-anchor-1280.png` });
  await page.locator('.measure-row').screenshot({ path: `${SHOTS}/presentation-measure-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await lessonToggle(page).click();
  await page.waitForTimeout(600);
  await page.screenshot({ path: `${SHOTS}/presentation-lesson-390x844.png` });
  // Nothing sticks out sideways on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.keyboard.press('Escape');
  await expect(page).not.toHaveURL(/presentation=on/);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}/lesson-390x844.png` });
  expect(errors).toEqual([]);
});

test('About the math explains the loss with the live numbers of the current anchor', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=32');
  await trainAFew(page, 3);
  await page.getByRole('button', { name: 'About the math' }).click();
  const dialog = page.getByRole('dialog', { name: /About the math/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: /Softmax over the other 2N − 1 views/ })).toBeVisible();
  await expect(dialog.getByRole('heading', { name: /Hardness-aware/ })).toBeVisible();
  // The same anchor and temperature as the page's panels.
  await expect(dialog.getByTestId('about-effective-negatives')).toHaveText(
    (await page.getByTestId('effective-negatives').first().textContent())!,
  );
  const eff = Number(await dialog.getByTestId('about-effective-negatives').textContent());
  console.log(`effective negatives at step ${await readNumber(page, 'step-count')}: ${eff}`);
  // Of 2N - 2 = 62 negatives, a few steps in (tau = 0.2, embeddings still alike) most weigh
  // in. A weighting that ignored tau or the similarities would sit at 62 or near 1.
  expect(eff).toBeGreaterThan(40);
  expect(eff).toBeLessThan(62);
  const pPos = Number(await dialog.getByTestId('about-p-positive').textContent());
  expect(pPos).toBeGreaterThan(0);
  expect(pPos).toBeLessThan(1);
  const loss = await dialog.getByTestId('about-anchor-loss').textContent();
  expect(Number(loss)).toBeCloseTo(-Math.log(pPos), 1);
  await expect(dialog.getByRole('table', { name: /Effective negatives of this anchor/ })).toBeVisible();
  await expect(dialog.getByTestId('formula-loss')).toHaveText(loss!);
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/about-math-${w}x${h}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  // Live: space trains with the dialog open, and its numbers follow.
  await page.keyboard.press(' ');
  await expect(dialog.getByTestId('about-anchor-loss')).not.toHaveText(loss!, { timeout: 60_000 });
  await page.keyboard.press(' ');
  // Escape closes the dialog and nothing else.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a hidden tab pauses training and resumes it when shown, with a notice', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  await playButton(page).click();
  await waitForStep(page, 3);
  await setTabHidden(page, true);
  await expect(playButton(page)).toBeVisible();
  await page.waitForTimeout(500);
  const atHide = await readNumber(page, 'step-count');
  await page.waitForTimeout(1000);
  expect(await readNumber(page, 'step-count')).toBe(atHide);

  await setTabHidden(page, false);
  const notice = page.getByTestId('notice').filter({ hasText: 'Training paused while the tab was hidden' });
  await expect(notice).toHaveText(new RegExp(`Training paused while the tab was hidden; resumed at step ${atHide}\\.`));
  await expect(pauseButton(page)).toBeVisible();
  await waitForStep(page, atHide + 3);

  // Hidden while paused: nothing to resume, and no new notice.
  await pauseButton(page).click();
  await expect(playButton(page)).toBeVisible();
  await setTabHidden(page, true);
  await setTabHidden(page, false);
  await page.waitForTimeout(500);
  await expect(playButton(page)).toBeVisible();
  await expect(notice).toHaveCount(1);
  expect(errors).toEqual([]);
});
