import { readFileSync } from 'node:fs';
import { expect, type Download, type Page } from '@playwright/test';
import { openApp, readNumber, SHOTS, waitForStep, watchErrors, test } from './helpers';
import { noisyPng } from './pngFile';

// "Your own images" in the app itself: a drawn query and its neighbours, the query as the
// anchor, search by example, "My images" as a dataset (added, trained on, kept across a
// reload) and the camera. Small batches: software WebGPU and WebGL are slow here.

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--disable-background-networking', '--no-first-run'],
  },
});

/** Strokes in the pad's unit square, drawn with the mouse. */
async function draw(page: Page, strokes: [number, number][][]) {
  const pad = page.getByRole('img', { name: 'Drawing pad' });
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  for (const stroke of strokes) {
    const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
  }
}

const SEVEN: [number, number][][] = [
  [
    [0.25, 0.2],
    [0.75, 0.2],
    [0.45, 0.85],
  ],
];
const ONE: [number, number][][] = [
  [
    [0.5, 0.15],
    [0.5, 0.85],
  ],
];

const galleryCounts = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll('section[aria-label^="Class "]'), (r) => [
        r.querySelector('[data-testid="user-class-name"]')!.textContent,
        Number(r.querySelector('[data-testid="user-class-count"]')!.textContent),
      ]),
    ),
  );

async function clearMyImages(page: Page) {
  const del = page.getByRole('button', { name: 'Delete my images' });
  if (await del.isVisible()) {
    await del.click();
    await page.getByRole('button', { name: 'Yes, delete them' }).click();
  }
  await expect.poll(() => galleryCounts(page)).toEqual({});
}

test('a drawn digit shows its 12 nearest held-out digits, marked in the view; it can be the anchor; a neighbour searches again; no tensors leak', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  await expect(page.getByText('nothing you add is uploaded')).toBeVisible();
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForStep(page, 1);
  const tensorsBefore = await readNumber(page, 'tensor-count');

  await draw(page, SEVEN);
  const neighbours = page.getByTestId('neighbour');
  await expect(neighbours).toHaveCount(12);
  for (const alt of await neighbours.evaluateAll((els) => els.map((e) => e.getAttribute('alt'))))
    expect(alt).toMatch(/^digit \d$/);
  await expect(page.getByTestId('embedding-canvas')).toHaveAttribute('data-query-marked', 'true');
  const sims = await page.locator('.qp-sim').allTextContents();
  expect(sims.map(Number).every((s, i, a) => Number.isFinite(s) && s <= 1 && (i === 0 || s <= a[i - 1] + 1e-9))).toBe(
    true,
  );

  await page.getByRole('radio', { name: 'z (projection)' }).check();
  await expect(neighbours).toHaveCount(12);

  await page.getByRole('checkbox', { name: 'Use as anchor' }).check();
  await expect(page.getByTestId('triple-anchor')).toContainText('your query');
  await expect(page.getByTestId('triple-negative').first()).toBeVisible();
  const sevenQuery = await page.locator('.qp-query img').getAttribute('src');
  const sevenAnchor = await page.getByTestId('triple-anchor').locator('canvas, img').first().screenshot();
  await page.getByRole('button', { name: 'Clear drawing' }).click();
  await draw(page, ONE);
  // The new drawing replaces the old one as the query and as the anchor.
  await expect(page.locator('.qp-query img')).not.toHaveAttribute('src', sevenQuery!);
  await expect(page.getByTestId('triple-anchor')).toContainText('your query');
  await expect
    .poll(async () =>
      Buffer.compare(await page.getByTestId('triple-anchor').locator('canvas, img').first().screenshot(), sevenAnchor),
    )
    .not.toBe(0);
  await page.locator('.embedding-view').screenshot({ path: `${SHOTS}/query-embedding-1280.png` });
  await page.locator('.contrast-row').screenshot({ path: `${SHOTS}/query-anchor-1280.png` });
  await page.getByRole('checkbox', { name: 'Use as anchor' }).uncheck();

  // Search by example: a neighbour becomes the query.
  const first = await neighbours.first().getAttribute('alt');
  await neighbours.first().click();
  await expect(page.getByTestId('query-result')).toContainText(first!);
  await expect(neighbours).toHaveCount(12);

  await page.getByRole('button', { name: 'Step' }).click();
  await waitForStep(page, 2);
  // Queries (with and without an anchor batch) leave nothing behind in the worker.
  await expect.poll(() => readNumber(page, 'tensor-count')).toBe(tensorsBefore);
  expect(errors).toEqual([]);
});

test('My images: two classes of PNGs plus a corrupt and a text file (both named), trained with a finite loss, kept across a reload', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  await clearMyImages(page);
  const broken = Buffer.concat([noisyPng(8, 8, [0, 0, 0], 1).subarray(0, 40), Buffer.alloc(30, 9)]);
  const cls = page.getByLabel('Class for loose images');
  await cls.fill('red things');
  await page.getByLabel('Add images').setInputFiles(
    Array.from({ length: 8 }, (_, i) => ({
      name: `red${i}.png`,
      mimeType: 'image/png',
      buffer: noisyPng(40, 40, [220, 40, 40], i + 1),
    })),
  );
  await expect.poll(() => galleryCounts(page)).toEqual({ 'red things': 8 });
  await cls.fill('blue things');
  await page.getByLabel('Add images').setInputFiles([
    ...Array.from({ length: 8 }, (_, i) => ({
      name: `blue${i}.png`,
      mimeType: 'image/png',
      buffer: noisyPng(40, 30, [40, 60, 220], 100 + i),
    })),
    { name: 'broken.png', mimeType: 'image/png', buffer: broken },
    { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture\n') },
  ]);
  await expect.poll(() => galleryCounts(page)).toEqual({ 'red things': 8, 'blue things': 8 });
  const messages = page.getByTestId('user-image-message');
  await expect(messages.filter({ hasText: 'broken.png' })).toHaveCount(1);
  await expect(messages.filter({ hasText: 'notes.png' })).toHaveCount(1);

  await page.getByRole('combobox', { name: 'Dataset' }).selectOption('user');
  await expect(page).toHaveURL(/dataset=user/);
  // 16 images, 2 held out per class: 12 to train on, so a batch of 16 is capped.
  await expect(page.getByRole('img', { name: /Embedding space of 4 held-out images/ })).toBeVisible();
  await expect(
    page.getByTestId('notice').filter({ hasText: 'Batch size 16 is more than your 12 training images' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForStep(page, 5, 120_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  const loss = Number(await page.getByTestId('loss-value').textContent());
  expect(Number.isFinite(loss)).toBe(true);
  expect(loss).toBeGreaterThan(0);

  // A gallery image is a query too: its neighbours are the held-out images of My images.
  await page.getByRole('button', { name: 'Search with red3.png (red things)' }).click();
  await expect(page.getByTestId('neighbour')).toHaveCount(4);
  await expect(page.getByTestId('neighbour').first()).toHaveAttribute('alt', /^(red|blue) things$/);
  await page.screenshot({ path: `${SHOTS}/my-images-1280.png`, fullPage: true });

  // Export works on My images too: the 4 held-out points, labelled with the user's classes.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByRole('button', { name: 'Export embeddings' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  const meta = downloads.find((d) => d.suggestedFilename() === 'metadata.tsv')!;
  const lines = readFileSync((await meta.path())!, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  expect(lines.length).toBe(1 + 4);
  expect(lines.slice(1).every((l) => /\t(red|blue) things$/.test(l))).toBe(true);

  await page.reload();
  await expect(page.getByRole('img', { name: /Embedding space of 4 held-out images/ })).toBeVisible();
  await expect.poll(() => galleryCounts(page)).toEqual({ 'red things': 8, 'blue things': 8 });
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForStep(page, 1);
  expect(Number.isFinite(Number(await page.getByTestId('loss-value').textContent()))).toBe(true);
  await clearMyImages(page);
  await expect(page.getByTestId('notice').filter({ hasText: 'add images under "Your own images"' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('on Shapes, a drawing in a palette colour finds shapes named by colour and shape', async ({ page }) => {
  await openApp(page, '#dataset=shapes&batchSize=16');
  await page.getByRole('combobox', { name: 'Pen colour' }).selectOption('blue');
  await draw(page, [
    [
      [0.3, 0.3],
      [0.7, 0.3],
      [0.7, 0.7],
      [0.3, 0.7],
      [0.3, 0.3],
    ],
  ]);
  const neighbours = page.getByTestId('neighbour');
  await expect(neighbours).toHaveCount(12);
  for (const alt of await neighbours.evaluateAll((els) => els.map((e) => e.getAttribute('alt')))) {
    expect(alt).toMatch(
      /^(red|orange|yellow|green|cyan|blue|purple|pink) (circle|square|triangle|star|cross|ring|moon|heart)$/,
    );
  }
  // The query as the encoder saw it: the pen's blue on Shapes' dark background.
  const [r, g, b] = await page.locator('.qp-query img').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let best = [0, 0, 0],
      most = -1;
    for (let p = 0; p < d.length; p += 4)
      if (d[p] + d[p + 1] + d[p + 2] > most) {
        most = d[p] + d[p + 1] + d[p + 2];
        best = [d[p], d[p + 1], d[p + 2]];
      }
    return best;
  });
  expect(b).toBeGreaterThan(r);
  expect(b).toBeGreaterThan(g);
});

test('files dropped anywhere on the page join the class named for loose images', async ({ page }) => {
  await openApp(page, '#batchSize=16');
  await clearMyImages(page);
  await page.getByLabel('Class for loose images').fill('dropped');
  const pngs = [noisyPng(24, 24, [250, 200, 0], 11), noisyPng(24, 24, [250, 200, 0], 12)].map((b) => Array.from(b));
  const dataTransfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    files.forEach((bytes, i) => dt.items.add(new File([new Uint8Array(bytes)], `drop${i}.png`, { type: 'image/png' })));
    return dt;
  }, pngs);
  const target = page.getByTestId('embedding-canvas');
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  await expect.poll(() => galleryCounts(page)).toEqual({ dropped: 2 });
  await clearMyImages(page);
});

test('My images with too few images says what is needed instead of failing', async ({ page }) => {
  await openApp(page, '#batchSize=16');
  await clearMyImages(page);
  await page
    .getByLabel('Add images')
    .setInputFiles([{ name: 'one.png', mimeType: 'image/png', buffer: noisyPng(20, 20, [10, 200, 10], 5) }]);
  await expect.poll(() => galleryCounts(page)).toEqual({ 'my images': 1 });
  await page.getByRole('combobox', { name: 'Dataset' }).selectOption('user');
  await expect(page.getByTestId('notice').filter({ hasText: 'Add at least 4 images to train' })).toBeVisible();
  await expect(page.getByTestId('notice').filter({ hasText: /training needs at least 4 images/ })).toBeVisible();
  await clearMyImages(page);
});

test.describe('camera in the app', () => {
  test('the fake camera captures frames into a class', async ({ page, context }) => {
    await context.grantPermissions(['camera']);
    await openApp(page, '#batchSize=16');
    await clearMyImages(page);
    await page.getByLabel('Class for loose images').fill('webcam');
    await page.getByRole('button', { name: 'Use camera' }).click();
    await expect
      .poll(() => page.getByLabel('Camera preview').evaluate((v: HTMLVideoElement) => v.videoWidth))
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Hold to capture into webcam' }).hover();
    await page.mouse.down();
    await page.waitForTimeout(1000);
    await page.mouse.up();
    await expect.poll(async () => (await galleryCounts(page)).webcam ?? 0).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Stop camera' }).click();
    await clearMyImages(page);
  });

  test('a denied camera gives a message', async ({ page, context }) => {
    await context.clearPermissions();
    await openApp(page, '#batchSize=16');
    await page.getByRole('button', { name: 'Use camera' }).click();
    await expect(page.getByTestId('camera-error')).toHaveText(/^Camera permission was denied/);
  });
});

for (const [w, h] of [
  [1280, 800],
  [1920, 1080],
  [390, 844],
] as const) {
  test(`query and images panels at ${w}x${h}: nothing overflows`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openApp(page, '#batchSize=16');
    await draw(page, SEVEN);
    await expect(page.getByTestId('neighbour')).toHaveCount(12);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
    await page.screenshot({ path: `${SHOTS}/my-images-${w}x${h}.png` });
    await page
      .getByRole('region', { name: 'Search by example' })
      .screenshot({ path: `${SHOTS}/query-panel-${w}x${h}.png` });
  });
}
