import { expect, type Page } from '@playwright/test';

// Outside Playwright's outputDir, which is wiped at every run.
export const SHOTS = 'screenshots';

const cspWatchers = new WeakMap<Page, string[][]>();

/**
 * Collects console errors, uncaught exceptions and Content-Security-Policy violations from the
 * page. A violation is reported to the page as a `securitypolicyviolation` event (a blocked
 * script or style need not log an error), so each document relays its own through a binding;
 * workers' violations surface as "Refused to ..." console errors, which land here too.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const lists = cspWatchers.get(page);
  if (lists) {
    lists.push(errors);
    return errors;
  }
  cspWatchers.set(page, [errors]);
  // Sent ahead of the spec's next command, so the first navigation is covered.
  void page.exposeBinding('__reportCspViolation', (_source, text: string) => {
    for (const list of cspWatchers.get(page) ?? []) list.push(text);
  });
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation?: (t: string) => void }).__reportCspViolation;
      report?.(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
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
