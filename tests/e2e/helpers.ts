import { expect, type Page } from '@playwright/test';

// Outside Playwright's outputDir, which is wiped at every run.
export const SHOTS = 'screenshots';

/** Collects console errors and uncaught exceptions from the page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function readNumber(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).textContent());
}

/** Opens the app and waits until the engine has built its model (the display set is drawn). */
export async function openApp(page: Page, path = '') {
  await page.goto(path);
  await expect(page.getByTestId('backend-name')).toHaveText(/^(webgpu|wasm|webgl|cpu)$/);
  // The display set: 50 held-out images per class (10 digits, or 8 shapes).
  const shown = /dataset=shapes/.test(path) ? 400 : 500;
  await expect(page.getByRole('img', { name: new RegExp(`Embedding space of ${shown}`) })).toBeVisible();
}

export async function waitForStep(page: Page, atLeast: number, timeout = 90_000) {
  await expect.poll(() => readNumber(page, 'step-count'), { timeout }).toBeGreaterThanOrEqual(atLeast);
}
