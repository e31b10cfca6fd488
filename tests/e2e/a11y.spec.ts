import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { openApp, SHOTS, waitForStep, watchErrors, test, relayCspViolations } from './helpers';

// Everyone can use it: axe-core finds no serious or critical WCAG 2.1 A/AA violation on each
// screen a lesson shows; every control is reached and worked by keyboard alone with a visible
// focus ring, the anchor included; reduced motion turns the glides into jumps.

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe's serious and critical violations, each with a few of the elements at fault. */
async function seriousViolations(page: Page, screen: string) {
  const r = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = r.violations.filter((v) => !bad.includes(v)).map((v) => `${v.id} (${v.nodes.length})`);
  console.log(
    `${screen}: ${r.passes.length} rules pass; serious/critical: ${bad.length}; minor: ${minor.join(', ') || 'none'}`,
  );
  return bad.map(
    (v) =>
      `${screen}: ${v.id} (${v.impact}) on ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
}

test('axe: the trained page, the lesson, the math, presentation mode and a phone', async ({ browser }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await relayCspViolations(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 3);
  await page.getByRole('button', { name: 'Pause' }).click();
  const found: string[] = [];
  found.push(...(await seriousViolations(page, 'trained page')));

  const lesson = page.getByRole('button', { name: 'Lesson', exact: true });
  await lesson.click();
  await expect(page.getByRole('complementary', { name: 'Lesson' })).toBeVisible();
  found.push(...(await seriousViolations(page, 'lesson')));
  await lesson.click();

  await page.getByRole('button', { name: 'About the math' }).click();
  await expect(page.getByRole('dialog', { name: /About the math/ })).toBeVisible();
  found.push(...(await seriousViolations(page, 'math dialog')));
  await page.getByRole('button', { name: 'Close About the math' }).click();

  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await expect(page.getByRole('button', { name: 'Presentation mode' })).toHaveAttribute('aria-pressed', 'true');
  found.push(...(await seriousViolations(page, 'presentation mode')));
  await page.getByRole('button', { name: 'Presentation mode' }).click();

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('img', { name: /Embedding space of 500/ })).toBeVisible();
  found.push(...(await seriousViolations(page, 'phone 390x844')));
  expect(found).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

/** The focused element's name and whether it shows a ring (an outline or a box shadow). */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    const labelled = (el as HTMLInputElement).labels?.[0]?.textContent?.trim();
    const name = el.getAttribute('aria-label') || labelled || el.textContent?.trim().slice(0, 40) || el.tagName;
    const r = el.getBoundingClientRect();
    return { name, tag: el.tagName.toLowerCase(), ring, visible: r.width > 0 && r.height > 0 };
  });
}

test('keyboard alone: every control is reached with a visible ring, training runs, the anchor moves', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await relayCspViolations(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');

  // Tab from the top to the end of the page: every stop is a named control with a ring.
  const stops: NonNullable<Awaited<ReturnType<typeof focusRing>>>[] = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const f = await focusRing(page);
    if (!f || (stops.length && f.name === stops[0].name && f.tag === stops[0].tag)) break;
    stops.push(f);
  }
  console.log(`${stops.length} tab stops: ${stops.map((s) => s.name).join(' · ')}`);
  expect(stops.length).toBeGreaterThan(20);
  expect(stops.filter((s) => !s.ring || !s.visible)).toEqual([]);
  for (const name of ['Play', 'Step', 'Temperature', 'Batch size', 'Loss', 'Shapes per class']) {
    expect(stops.map((s) => s.name)).toContain(name);
  }
  expect(stops.some((s) => s.tag === 'canvas')).toBe(true);

  // Play and pause by keyboard on the focused button.
  await page.getByRole('button', { name: 'Play' }).focus();
  await page.keyboard.press('Enter');
  await waitForStep(page, 2);
  await page.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.getByRole('slider', { name: 'Temperature' }).focus();
  const before = await page.getByRole('slider', { name: 'Temperature' }).inputValue();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('slider', { name: 'Temperature' })).not.toHaveValue(before);

  // The embedding view: focus the canvas, walk the anchor, hear where it is.
  const canvas = page.getByTestId('embedding-canvas');
  await canvas.focus();
  const step = await page.getByTestId('step-count').textContent();
  const anchor0 = Number(await canvas.getAttribute('data-anchor'));
  await page.keyboard.press('ArrowRight');
  await expect(canvas).toHaveAttribute('data-anchor', String(anchor0 + 1));
  await expect(page.getByTestId('anchor-announcement')).toHaveText(
    new RegExp(`^Anchor: row ${anchor0 + 2} of 32, view [12] of image \\d+, \\d\\.$`),
  );
  await expect(page.getByTestId('anchor-row')).toHaveText(`row ${anchor0 + 2} of 32`);
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await expect(canvas).toHaveAttribute('data-anchor', '31');
  await page.keyboard.press('p');
  await expect(canvas).toHaveAttribute('data-anchor', '15');
  // The view took the right arrow: it did not also run a training step.
  expect(await page.getByTestId('step-count').textContent()).toBe(step);

  // Shapes per class, by keyboard: the legend shows the shapes too.
  await page.getByRole('checkbox', { name: 'Shapes per class' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('checkbox', { name: 'Shapes per class' })).toBeChecked();
  await expect(page.locator('.legend-item svg')).toHaveCount(10);
  await canvas.focus();
  await page.locator('.embedding-view').screenshot({ path: `${SHOTS}/embedding-shapes-focus.png` });
  expect(errors).toEqual([]);
  await context.close();
});

/** Whether the embedding view glided at all while `during` ran (its canvas marks each frame). */
async function glidedDuring(page: Page, during: () => Promise<void>): Promise<boolean> {
  await page.evaluate(() => {
    const w = window as unknown as { __glided: boolean };
    w.__glided = false;
    const canvas = document.querySelector('[data-testid="embedding-canvas"]')!;
    new MutationObserver(() => {
      if ((canvas as HTMLElement).dataset.glide === 'moving') w.__glided = true;
    }).observe(canvas, { attributes: true, attributeFilter: ['data-glide', 'data-frame-sum'] });
  });
  await during();
  return page.evaluate(() => (window as unknown as { __glided: boolean }).__glided);
}

test('reduced motion: the points jump to each new place; without it they glide', async ({ browser }) => {
  test.setTimeout(150_000);
  for (const reducedMotion of ['reduce', 'no-preference'] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion });
    await relayCspViolations(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openApp(page, '#batchSize=16');
    const canvas = page.getByTestId('embedding-canvas');
    const glided = await glidedDuring(page, async () => {
      // Each step sends a new display set: the points move to their new places.
      for (let i = 1; i <= 3; i++) {
        const shown = await canvas.getAttribute('data-frame-sum');
        await page.getByRole('button', { name: 'Step', exact: true }).click();
        await expect(page.getByTestId('step-count')).toHaveText(String(i), { timeout: 60_000 });
        await expect(canvas).not.toHaveAttribute('data-frame-sum', shown!, { timeout: 30_000 });
      }
    });
    console.log(`prefers-reduced-motion ${reducedMotion}: glided ${glided}`);
    expect(glided).toBe(reducedMotion !== 'reduce');
    expect(errors).toEqual([]);
    await context.close();
  }
});
