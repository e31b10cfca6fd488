import { expect, type Page } from '@playwright/test';
import { defaultWasmThreads } from '../../src/core/wasmThreads';
import { openApp, readNumber, waitForStep, watchErrors, test } from './helpers';

// tfjs-backend-wasm's threaded build, started from the bundled worker: serve.mjs makes the page
// cross-origin isolated, ?threads=N asks for N threads (this machine may have too few cores for
// the default to pick more than one), and a page served without the isolation headers runs one.

/** tfjs's pthreads (a pool it starts whatever the count asked). */
function pthreads(page: Page) {
  return page.workers().filter((w) => /tfjs-backend-wasm-pthread-[\w-]+\.js$/.test(w.url()));
}

/** The threads of our own gradient kernels (engine/kernels/kernelPool.ts). */
function kernelThreads(page: Page) {
  return page.workers().filter((w) => /kernelThread-[\w-]+\.js$/.test(w.url()));
}

/** Steps on from where it is and returns the losses seen: all finite, the last below the first. */
async function trainsWithFallingLoss(page: Page) {
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 2);
  const first = await readNumber(page, 'loss-value');
  expect(Number.isFinite(first)).toBe(true);
  await expect.poll(() => readNumber(page, 'loss-value'), { timeout: 120_000 }).toBeLessThan(first - 0.3);
  expect(Number.isFinite(await readNumber(page, 'loss-value'))).toBe(true);
  await page.getByRole('button', { name: 'Pause' }).click();
}

test('on the isolated page, ?threads=2 trains on wasm with 2 threads', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, '?backend=wasm&threads=2#batchSize=32');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await expect(page.getByTestId('backend-reason')).toContainText('WebAssembly SIMD, 2 threads:');
  // The pthreads are workers of their own, started from the page's origin (worker-src 'self').
  expect(pthreads(page).length).toBeGreaterThanOrEqual(2);
  // So is the thread that shares our own gradient kernels' work (one beside the training worker).
  expect(kernelThreads(page)).toHaveLength(1);
  await trainsWithFallingLoss(page);
  expect(errors).toEqual([]);
});

test('our gradient kernels cut across 2 threads give the same losses as on one, and run there', async ({ page }) => {
  const errors = watchErrors(page);
  /** The benchmark's first two losses (one update between them) and its kernel pool's report. */
  const bench = async (query: string) => {
    await page.goto(`/bench.html?backend=wasm&n=32&model=reference&budgetMs=0&threads=2${query}`);
    const r = await page.waitForFunction(() => (window as { __bench?: unknown }).__bench, null, { timeout: 120_000 });
    return (await r.jsonValue()) as {
      firstLoss: number;
      secondLoss: number;
      error?: string;
      kernelThreads?: { threads: number; ready: number; blocksOnThreads: number; failure: string | null } | null;
    };
  };
  const pooled = await bench('');
  const alone = await bench('&kernelPool=0');
  expect(pooled.error).toBeUndefined();
  expect(pooled.kernelThreads).toMatchObject({ threads: 1, ready: 1, failure: null });
  expect(pooled.kernelThreads!.blocksOnThreads).toBeGreaterThan(0);
  expect(alone.kernelThreads!.blocksOnThreads).toBe(0);
  expect(pooled.firstLoss).toBe(alone.firstLoss);
  expect(pooled.secondLoss).toBe(alone.secondLoss);
  expect(errors).toEqual([]);
});

test('should our kernel thread fail to load, training goes on with the kernels on one thread', async ({ page }) => {
  const errors = watchErrors(page);
  await page.route(/kernelThread-[\w-]+\.js$/, (route) => route.abort());
  await openApp(page, '?backend=wasm&threads=2#batchSize=32');
  await expect(page.getByTestId('backend-reason')).toContainText('WebAssembly SIMD, 2 threads:');
  await trainsWithFallingLoss(page);
  expect(errors.filter((e) => !/kernelThread/.test(e))).toEqual([]);
});

test('without ?threads, the isolated page keeps a core for itself and uses at most 4', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, '?backend=wasm#batchSize=16');
  const n = defaultWasmThreads(await page.evaluate(() => navigator.hardwareConcurrency));
  await expect(page.getByTestId('backend-reason')).toContainText(`WebAssembly SIMD, ${n} thread${n > 1 ? 's:' : ' ('}`);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('1');
  expect(Number.isFinite(await readNumber(page, 'loss-value'))).toBe(true);
  expect(errors).toEqual([]);
});

test('a host without the isolation headers gets one thread, and the readout says why', async ({ page }) => {
  const errors = watchErrors(page);
  // As a plain static host would serve the same files: no COOP/COEP.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await openApp(page, '?backend=wasm&threads=2#batchSize=32');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('backend-reason')).toContainText(
    'WebAssembly SIMD, 1 thread (the page is not cross-origin isolated)',
  );
  expect(pthreads(page)).toEqual([]);
  await trainsWithFallingLoss(page);
  expect(errors).toEqual([]);
});

test("should tfjs's threads fail to load, wasm starts on one thread and says so", async ({ page }) => {
  const errors = watchErrors(page);
  // The pthreads' script, as a broken deployment would lose it.
  await page.route(/tfjs-backend-wasm-threaded-simd-[\w-]+\.js$/, (route) => route.abort());
  await openApp(page, '?backend=wasm&threads=2#batchSize=32');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await expect(page.getByTestId('backend-reason')).toContainText(
    "WebAssembly SIMD, 1 thread (tfjs's threaded build did not start)",
  );
  await expect(page.getByTestId('backend-reason')).toContainText('wasm on 2 threads:');
  await trainsWithFallingLoss(page);
  // Each pthread's own load error (one per thread of tfjs's pool) is all there is: none of them
  // reaches the page as the engine's failure.
  expect(errors.length).toBeLessThanOrEqual(8);
  expect(
    errors.filter((e) => !/importScripts.*tfjs-backend-wasm-threaded-simd-[\w-]+\.js' failed to load/.test(e)),
  ).toEqual([]);
});
