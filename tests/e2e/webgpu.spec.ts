import { expect, type Page } from '@playwright/test';
import { readNumber, waitForStep, watchErrors, test } from './helpers';

// The GPU paths for real: on WebGPU (here SwiftShader, in software) the stock gradient kernels
// run and the losses are read back only every few steps, so a NaN is found after the update
// that made it and must be undone by going back to the window's checkpoint. Small batches:
// SwiftShader is slow.

async function openWebGpu(page: Page, hash: string) {
  await page.goto(`?backend=webgpu#${hash}`);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await expect(page.getByRole('img', { name: /Embedding space of 500/ })).toBeVisible();
}

/** Keeps every loss the worker reports (its snapshots carry the whole history, down-sampled). */
async function recordLosses(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __engine: Worker; __losses: Map<number, number> };
    w.__losses = new Map();
    w.__engine.addEventListener('message', (e: MessageEvent) => {
      const m = e.data as { type: string; lossSteps?: Int32Array; lossHistory?: Float32Array };
      if (m.type !== 'snapshot' || !m.lossSteps || !m.lossHistory) return;
      m.lossSteps.forEach((s, i) => w.__losses.set(s, m.lossHistory![i]));
    });
  });
}

async function lossesSoFar(page: Page): Promise<[number, number][]> {
  return page.evaluate(() =>
    [...(window as unknown as { __losses: Map<number, number> }).__losses].sort((a, b) => a[0] - b[0]),
  );
}

async function pause(page: Page) {
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('WebGPU: 20+ steps with deferred reads, the loss falls and numTensors stays flat', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const t0 = Date.now();
  await openWebGpu(page, 'batchSize=8&seed=3');
  await recordLosses(page);
  // One step, its loss read: nothing pending.
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1');
  const start = 1;
  const before = await readNumber(page, 'tensor-count');
  expect(before).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, start + 20, 240_000);
  await pause(page);
  const end = await readNumber(page, 'step-count');
  // Evaluation on SwiftShader is too slow to wait for, and a job in flight holds tensors of its
  // own (the first count includes the one-off baselines'), so the count must not grow: a leak
  // of one tensor a step would add 20.
  await expect.poll(() => readNumber(page, 'tensor-count'), { timeout: 15_000 }).toBeLessThanOrEqual(before);
  const after = await readNumber(page, 'tensor-count');
  const losses = await lossesSoFar(page);
  console.log(
    `webgpu: ${end} steps in ${((Date.now() - t0) / 1000).toFixed(0)} s; numTensors ${before} at step ${start}, ${after} at step ${end}; losses ${losses.map(([s, l]) => `${s}:${l.toFixed(2)}`).join(' ')}`,
  );
  // Every step's loss was read back, in order, and all are finite.
  expect(losses.map(([s]) => s)).toEqual(Array.from({ length: end }, (_, i) => i + 1));
  expect(losses.every(([, l]) => Number.isFinite(l))).toBe(true);
  const first = mean(losses.slice(0, 5).map(([, l]) => l));
  const last = mean(losses.slice(-5).map(([, l]) => l));
  expect(last).toBeLessThan(first - 0.1);
  expect(errors).toEqual([]);
});

test('WebGPU: a NaN inside a deferred-read window rolls back to the window start', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const t0 = Date.now();
  // speed=2 caps the pace, so the poison below lands inside the first window on any GPU.
  const hash = 'batchSize=8&seed=5&speed=2';
  await openWebGpu(page, hash);
  // The reference: step 2's loss in a clean run from the same seed.
  for (const step of ['1', '2']) {
    await page.getByRole('button', { name: 'Step' }).click();
    await expect(page.getByTestId('step-count')).toHaveText(step);
  }
  const ref = await page.getByTestId('loss-value').textContent();
  // A fresh page load (a hash-only navigation would not reload the app).
  await page.goto('about:blank');
  await openWebGpu(page, hash);
  await recordLosses(page);
  // A Step reads its loss, so the next window starts clean: steps 2 to 9 (GPU backends read
  // the losses every 8 steps).
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 3);
  // Poisoned mid-window, the NaN update is applied unread with the rest of its window.
  await page.evaluate(() =>
    (window as unknown as { __engine: Worker }).__engine.postMessage({ type: 'poisonNextStep' }),
  );
  const notice = page.getByTestId('notice').filter({ hasText: /loss became NaN/ });
  await expect(notice).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const text = (await notice.textContent()) ?? '';
  const back = Number(text.match(/paused at step (\d+)/)?.[1]);
  const seen = Math.max(...(await lossesSoFar(page)).map(([s]) => s));
  console.log(
    `webgpu NaN: rolled back to step ${back}; losses read up to step ${seen}; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  expect(back).toBe(1);
  expect(seen).toBe(1);
  await expect(page.getByTestId('step-count')).toHaveText('1');
  // Weights, Adam's state and the data position are those of step 1: the next step is the
  // clean run's step 2.
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('2');
  await expect(page.getByTestId('loss-value')).toHaveText(ref!);
  // Nothing of the bad window reached the page: its NaN embeddings would make d3 log errors.
  expect(errors).toEqual([]);
});
