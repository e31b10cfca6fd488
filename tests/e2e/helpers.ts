import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

// Outside Playwright's outputDir, which is wiped at every run.
export const SHOTS = 'screenshots';

const cspWatchers = new WeakMap<Page, string[][]>();

/**
 * Relays every document's Content-Security-Policy violations in the context to the lists
 * `watchErrors` made for its page. A violation is reported to the page as a
 * `securitypolicyviolation` event (a blocked script or style need not log an error), so an init
 * script forwards each through a binding. Both must be in place before the first navigation:
 * Playwright's server runs calls concurrently, so an un-awaited install can lose the race with
 * `page.goto` (it did, once, in CI), hence a fixture that awaits it.
 */
export async function relayCspViolations(context: BrowserContext) {
  await context.exposeBinding('__reportCspViolation', (source, text: string) => {
    for (const list of cspWatchers.get(source.page) ?? []) list.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation?: (t: string) => void }).__reportCspViolation;
      report?.(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
}

/** Playwright's `test`, whose context relays CSP violations from before the first page loads. */
export const test = base.extend({
  context: async ({ context }, use) => {
    await relayCspViolations(context);
    await use(context);
  },
});

/**
 * Collects console errors, uncaught exceptions and CSP violations from the page (the last only
 * in a context given to `relayCspViolations`, as `test`'s is). Workers' violations surface as
 * "Refused to ..." console errors, which land here too.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const lists = cspWatchers.get(page) ?? [];
  lists.push(errors);
  cspWatchers.set(page, lists);
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
