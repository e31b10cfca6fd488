import { expect, type Page } from '@playwright/test';
import { readNumber, watchErrors, test } from './helpers';

// Faults a lesson throws at the playground: a lost GPU, a crashed or hung worker, storage that
// is full or blocked. Training goes on from the last checkpoint, a notice says what happened,
// and the page reports no error. ?test=faults lets the page inject the faults (and shortens the
// timings: a checkpoint every 2 s, a worker silent for 5 s counts as hung).

type Fault = 'loseDevice' | 'throw' | 'hang';

async function inject(page: Page, fault: Fault) {
  await page.evaluate(
    (f) => (window as unknown as { __engine: Worker }).__engine.postMessage({ type: 'fault', fault: f }),
    fault,
  );
}

/** Plays until the step passes `steps` and a checkpoint (every 2 s here) has surely been taken. */
async function trainAWhile(page: Page, steps: number) {
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => readNumber(page, 'step-count'), { timeout: 240_000 }).toBeGreaterThanOrEqual(steps);
  await page.waitForTimeout(4000);
}

/** The recovery notice, and the checkpoint step it names. */
async function recovered(page: Page, what: RegExp, timeout = 120_000): Promise<number> {
  const notice = page.getByTestId('notice').filter({ hasText: what });
  await expect(notice).toBeVisible({ timeout });
  const text = (await notice.textContent()) ?? '';
  const m = /checkpoint at step (\d+)/.exec(text);
  expect(m, text).not.toBeNull();
  return Number(m![1]);
}

/** Training goes on past the checkpoint, with a finite loss. */
async function trainsOnFrom(page: Page, checkpoint: number) {
  await expect.poll(() => readNumber(page, 'step-count'), { timeout: 240_000 }).toBeGreaterThan(checkpoint + 1);
  await expect.poll(async () => Number.isFinite(await readNumber(page, 'loss-value')), { timeout: 60_000 }).toBe(true);
}

/** What only the injected crash itself may log. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Injected worker crash/.test(e));

test('a lost WebGPU device: the run moves to WebGL from its checkpoint and trains on', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await page.goto('?backend=webgpu&test=faults#batchSize=8');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 120_000 });
  await trainAWhile(page, 2);
  await inject(page, 'loseDevice');
  const at = await recovered(page, /webgpu device was lost.*continues on webgl/);
  expect(at).toBeGreaterThan(0);
  await expect(page.getByTestId('backend-name')).toHaveText('webgl', { timeout: 120_000 });
  await trainsOnFrom(page, at);
  expect(unexpected(errors)).toEqual([]);
});

test('a lost WebGL context: the run moves to wasm from its checkpoint and trains on', async ({ page }) => {
  test.setTimeout(400_000);
  const errors = watchErrors(page);
  await page.goto('?backend=webgl&test=faults#batchSize=8');
  await expect(page.getByTestId('backend-name')).toHaveText('webgl', { timeout: 120_000 });
  await trainAWhile(page, 3);
  await inject(page, 'loseDevice');
  const at = await recovered(page, /webgl device was lost.*continues on wasm/);
  expect(at).toBeGreaterThan(0);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await trainsOnFrom(page, at);
  expect(unexpected(errors)).toEqual([]);
});

for (const [fault, what] of [
  ['throw', /training worker failed/],
  ['hang', /stopped responding/],
] as const) {
  test(`a worker that ${fault === 'throw' ? 'crashes' : 'hangs'} is replaced; the run continues from its checkpoint with no tensor leak`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const errors = watchErrors(page);
    await page.goto('?test=faults#batchSize=16');
    await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 120_000 });
    await trainAWhile(page, 5);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    const tensorsBefore = await readNumber(page, 'tensor-count');
    await page.getByRole('button', { name: 'Play' }).click();
    const stepBefore = await readNumber(page, 'step-count');
    await inject(page, fault);
    const at = await recovered(page, what, 60_000);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThanOrEqual(stepBefore + 1);
    await trainsOnFrom(page, at);
    // The new worker holds what the old one held for the same run, no more.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    await expect.poll(() => readNumber(page, 'tensor-count')).toBeLessThanOrEqual(tensorsBefore);
    expect(unexpected(errors)).toEqual([]);
  });
}

test('nothing is lost: after a crash, the next steps give the losses an uninterrupted run gives', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  const open = async () => {
    await page.goto('about:blank');
    await page.goto('?test=faults#batchSize=16&seed=7');
    await expect(page.getByRole('img', { name: /Embedding space of 500/ })).toBeVisible({ timeout: 120_000 });
  };
  const stepLosses = async (from: number, to: number) => {
    const out: string[] = [];
    for (let i = from; i <= to; i++) {
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await expect(page.getByTestId('step-count')).toHaveText(String(i), { timeout: 60_000 });
      out.push((await page.getByTestId('loss-value').textContent()) ?? '');
    }
    return out;
  };
  await open();
  const straight = await stepLosses(1, 7);
  await open();
  const before = await stepLosses(1, 4);
  // A checkpoint is due 2 s after the last one; by now one holds step 4.
  await page.waitForTimeout(3500);
  await inject(page, 'throw');
  expect(await recovered(page, /training worker failed/, 60_000)).toBe(4);
  await expect(page.getByTestId('step-count')).toHaveText('4', { timeout: 60_000 });
  // Weights, Adam's moments, the data order and the augmentation stream all carry on.
  const after = await stepLosses(5, 7);
  expect(straight.every((l) => Number.isFinite(Number(l)))).toBe(true);
  expect([...before, ...after]).toEqual(straight);
  expect(unexpected(errors)).toEqual([]);
});

for (const [how, stub, said] of [
  [
    'blocked',
    `indexedDB.open = () => { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); };`,
    /storage is blocked/,
  ],
  [
    'full',
    `IDBObjectStore.prototype.put = function () { throw new DOMException('Quota exceeded.', 'QuotaExceededError'); };`,
    /storage for this site is full/,
  ],
] as const) {
  test(`storage ${how}: saving downloads the file, says why no copy was kept, and nothing else breaks`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await page.addInitScript(stub);
    await page.goto('#batchSize=16');
    await expect(page.getByRole('img', { name: /Embedding space of 500/ })).toBeVisible({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('step-count')).toHaveText('1', { timeout: 60_000 });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save model' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.json$/);
    await expect(page.getByTestId('export-status')).toContainText(said);
    await expect(page.getByTestId('export-status')).toContainText('Downloaded');
    // Training goes on.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('step-count')).toHaveText('2', { timeout: 60_000 });
    expect(errors).toEqual([]);
  });
}
