import { expect, type Download, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';

// Export and restore, as a user does it: the Projector files, the model file (and the copy in
// the browser), loading it back into a run that had moved on, and files that are not models.
// Small batches: the machine that runs this is slow.

/** Starts collecting downloads; the returned array fills as they arrive. */
function collectDownloads(page: Page): Download[] {
  const got: Download[] = [];
  page.on('download', (d) => got.push(d));
  return got;
}

async function nextDownloads(got: Download[], count: number, click: () => Promise<void>): Promise<Map<string, string>> {
  const from = got.length;
  await click();
  await expect.poll(() => got.length - from, { timeout: 60_000 }).toBe(count);
  const out = new Map<string, string>();
  for (const d of got.slice(from)) out.set(d.suggestedFilename(), (await d.path())!);
  return out;
}

const rows = (text: string) => text.split('\n').filter((l) => l.length > 0);
const vectorsOf = (path: string) => rows(readFileSync(path, 'utf8')).map((l) => l.split('\t').map(Number));

async function exportEmbeddings(page: Page, got: Download[]) {
  const files = await nextDownloads(got, 2, () => page.getByRole('button', { name: 'Export embeddings' }).click());
  expect([...files.keys()].sort()).toEqual(['metadata.tsv', 'vectors.tsv']);
  return {
    vectors: vectorsOf(files.get('vectors.tsv')!),
    metadata: rows(readFileSync(files.get('metadata.tsv')!, 'utf8')),
  };
}

async function stepTo(page: Page, target: number) {
  const now = await readNumber(page, 'step-count');
  for (let i = now; i < target; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('step-count')).toHaveText(String(target), { timeout: 60_000 });
}

/** Wang & Isola's uniformity of unit rows: log mean exp(-2 |zi - zj|^2); 0 is total collapse. */
function uniformity(z: number[][]): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < z.length; i++) {
    for (let j = i + 1; j < z.length; j++) {
      let d2 = 0;
      for (let k = 0; k < z[i].length; k++) d2 += (z[i][k] - z[j][k]) ** 2;
      s += Math.exp(-2 * d2);
      n++;
    }
  }
  return Math.log(s / n);
}

test('embeddings export for the Projector; a saved model loads back exactly; wrong files change nothing', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const t0 = Date.now();
  const errors = watchErrors(page);
  const got = collectDownloads(page);
  await openApp(page, '#batchSize=16');
  await stepTo(page, 3);

  // vectors.tsv: 500 rows of 32 unit-length z; metadata.tsv: a header, then one row per point.
  const first = await exportEmbeddings(page, got);
  expect(first.vectors).toHaveLength(500);
  for (const r of first.vectors) {
    expect(r).toHaveLength(32);
    expect(Math.abs(Math.hypot(...r) - 1)).toBeLessThan(1e-4);
  }
  expect(first.metadata[0]).toBe('index\tdigit');
  expect(first.metadata).toHaveLength(501);
  const meta = first.metadata.slice(1).map((l) => l.split('\t'));
  expect(meta.every((c) => c.length === 2 && /^\d+$/.test(c[0]) && /^[0-9]$/.test(c[1]))).toBe(true);
  expect(new Set(meta.map((c) => c[0])).size).toBe(500);
  // The display set is class-balanced: 50 of each digit.
  for (let d = 0; d <= 9; d++) expect(meta.filter((c) => c[1] === String(d))).toHaveLength(50);
  await expect(page.getByTestId('export-status')).toContainText('Exported 500 held-out points at step 3');

  // h instead of z: 128 numbers per point, same order.
  await page.getByRole('combobox', { name: 'Vectors to export' }).selectOption('h');
  const hExport = await exportEmbeddings(page, got);
  expect(hExport.vectors).toHaveLength(500);
  expect(hExport.vectors[0]).toHaveLength(128);
  expect(hExport.metadata).toEqual(first.metadata);
  await page.getByRole('combobox', { name: 'Vectors to export' }).selectOption('z');

  // Save model: one self-describing JSON file at step 3, and a copy in IndexedDB.
  const tensorsAtSave = await readNumber(page, 'tensor-count');
  const saved = await nextDownloads(got, 1, () => page.getByRole('button', { name: 'Save model' }).click());
  const [modelName, modelPath] = [...saved.entries()][0];
  expect(modelName).toBe('contrastive-mnist-default-d32-seed1-step3.json');
  const doc = JSON.parse(readFileSync(modelPath, 'utf8'));
  expect(doc.format).toBe('contrastive-playground-model');
  expect(doc.version).toBe(2);
  expect(doc.training.step).toBe(3);
  expect(doc.architecture).toEqual({ dataset: 'mnist', model: 'default', embeddingDim: 32, seed: 1 });
  expect(doc.optimizer.iterations).toBe(3);
  await expect(page.getByRole('button', { name: /Restore saved model/ })).toBeVisible();

  // The picture of the view, while we are here: a real PNG.
  const pic = await nextDownloads(got, 1, () => page.getByRole('button', { name: 'Save picture' }).click());
  const [picName, picPath] = [...pic.entries()][0];
  expect(picName).toMatch(/^embedding-mnist-step\d+\.png$/);
  const png = readFileSync(picPath);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(png.length).toBeGreaterThan(5000);
  mkdirSync(SHOTS, { recursive: true });
  copyFileSync(picPath, `${SHOTS}/embedding-picture.png`);

  // Train on, then start again from fresh weights: the saved run is gone from the engine.
  await stepTo(page, 5);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('step-count')).toHaveText('0');

  // Load the file: step 3 again, and the same embeddings for the same images.
  await page.getByLabel('Load model').setInputFiles(modelPath);
  await expect(page.getByTestId('step-count')).toHaveText('3', { timeout: 60_000 });
  await expect(page.getByTestId('export-status')).toContainText('Loaded step 3');
  const back = await exportEmbeddings(page, got);
  expect(back.metadata).toEqual(first.metadata);
  let maxDiff = 0;
  back.vectors.forEach((r, i) =>
    r.forEach((v, k) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - first.vectors[i][k]));
    }),
  );
  expect(maxDiff).toBeLessThan(1e-5);
  await expect.poll(() => readNumber(page, 'tensor-count')).toBe(tensorsAtSave);

  // Not models: random bytes, the PNG just saved, JSON of another shape, weights of the wrong
  // shape. Each is refused with a visible reason; the step and the settings stay as they were.
  const hash = await page.evaluate(() => location.hash);
  const refusals: [string, Buffer | string, RegExp][] = [
    ['noise.json', Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 97 + 13) % 256)), /not a text file/],
    ['picture.png', picPath, /PNG picture/],
    ['other.json', JSON.stringify({ hello: 'world', weights: [1, 2] }), /not a Contrastive Playground model/],
    // As a version-1 file (no checksum), so the edit is refused for its shapes, not as damage.
    [
      'wrong-dim.json',
      JSON.stringify({
        ...doc,
        version: 1,
        checksum: undefined,
        architecture: { ...doc.architecture, embeddingDim: 16 },
      }),
      /needs \[128,16\]/,
    ],
  ];
  for (const [name, content, why] of refusals) {
    const file =
      typeof content === 'string' && content.startsWith('/')
        ? content
        : {
            name,
            mimeType: 'application/octet-stream',
            buffer: Buffer.isBuffer(content) ? content : Buffer.from(content),
          };
    await page.getByLabel('Load model').setInputFiles(file);
    const alert = page.getByRole('alert').filter({ hasText: 'Not loaded (training is unchanged)' });
    await expect(alert).toContainText(why);
    expect(await readNumber(page, 'step-count')).toBe(3);
    expect(await page.evaluate(() => location.hash)).toBe(hash);
  }

  await page.locator('.export-panel').scrollIntoViewIfNeeded();
  await page.locator('.export-panel').screenshot({ path: `${SHOTS}/export-panel.png` });
  await page.screenshot({ path: `${SHOTS}/export-desktop.png` });

  // A reload keeps the copy in the browser: restoring it continues from step 3.
  await page.goto('about:blank');
  await openApp(page, '#batchSize=16');
  await page.getByRole('button', { name: /Restore saved model/ }).click();
  await expect(page.getByTestId('step-count')).toHaveText('3', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('step-count')).toHaveText('4', { timeout: 60_000 });
  expect(Number.isFinite(await readNumber(page, 'loss-value'))).toBe(true);
  console.log(`export/save/load spec body: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(errors).toEqual([]);
});

test('alignment only (no negatives) collapses: uniformity of the exported z heads to 0', async ({ page }) => {
  test.setTimeout(120_000);
  const t0 = Date.now();
  const errors = watchErrors(page);
  const got = collectDownloads(page);
  await openApp(page, '#loss=align&batchSize=16&learningRate=0.01&embeddingDim=8');
  await expect(page.getByRole('combobox', { name: 'Loss' })).toHaveValue('align');
  const u0 = uniformity((await exportEmbeddings(page, got)).vectors);

  await page.getByRole('button', { name: 'Play' }).click();
  // Exporting while training runs: it is served between two steps.
  await waitForStep(page, 5);
  expect((await exportEmbeddings(page, got)).vectors).toHaveLength(500);
  await waitForStep(page, 40);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const loss = await readNumber(page, 'loss-value');
  expect(Number.isFinite(loss)).toBe(true);
  expect(loss).toBeGreaterThanOrEqual(0);
  expect(loss).toBeLessThan(0.1);
  const u1 = uniformity((await exportEmbeddings(page, got)).vectors);
  console.log(`alignment only: uniformity ${u0.toFixed(3)} at step 0 -> ${u1.toFixed(3)}; loss ${loss}`);
  expect(u1).toBeGreaterThan(u0 + 0.5);
  expect(u1).toBeGreaterThan(-0.5);

  // The panels built around NT-Xent's negatives say there are none instead.
  await expect(page.getByTestId('no-negatives')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Loss over training steps' })).not.toContainText('log(2N−1)');
  await expect(page.locator('.loss-chart figcaption, figure.chart figcaption').first()).toContainText(
    'Alignment (no negatives)',
  );
  await expect(page.getByTestId('formula-loss')).toHaveText((await page.getByTestId('anchor-loss').textContent())!);
  await page.screenshot({ path: `${SHOTS}/collapse.png`, fullPage: true });
  // Back to NT-Xent while paused: the negatives' panels return at once, without a step.
  const stepNow = await readNumber(page, 'step-count');
  await page.getByRole('combobox', { name: 'Loss' }).selectOption('ntxent');
  await expect(page.getByTestId('effective-negatives')).toBeVisible();
  await expect(page.getByTestId('no-negatives')).toHaveCount(0);
  expect(await readNumber(page, 'step-count')).toBe(stepNow);
  console.log(`collapse spec body: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(errors).toEqual([]);
});

test('the export panel fits a phone screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, '#batchSize=16');
  const panel = page.locator('.export-panel');
  await panel.scrollIntoViewIfNeeded();
  const box = (await panel.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  // Every control inside the panel, none clipped or overlapping another.
  const boxes = await panel
    .locator('button, .export-file, select')
    .evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })),
    );
  for (const [i, a] of boxes.entries()) {
    expect(a.x + a.w).toBeLessThanOrEqual(box.x + box.width + 0.5);
    for (const b of boxes.slice(i + 1)) {
      const overlap = a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
      expect(overlap).toBe(false);
    }
  }
  // Every control has a name and a one-sentence tooltip (its own title or its label's).
  const unexplained = await panel
    .locator('button, input, select')
    .evaluateAll((els) =>
      els
        .filter(
          (e) =>
            !(e.getAttribute('aria-label') || e.textContent?.trim()) || !e.closest('[title]')?.getAttribute('title'),
        )
        .map((e) => e.outerHTML),
    );
  expect(unexplained).toEqual([]);
  await panel.screenshot({ path: `${SHOTS}/export-panel-phone.png` });
  await page.screenshot({ path: `${SHOTS}/export-phone.png` });
});
