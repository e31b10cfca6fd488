import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { SHOTS, watchErrors, test } from './helpers';
import { solidPng } from './pngFile';

// The "your own images" parts in a real browser, on a test-only page (tests/e2e/imageLab),
// before they are wired into the app: decoding in the worker, the store across a reload, and
// the drawing pad under mouse strokes.

// A synthetic webcam for the camera tests; each grants the permission (or not) through its context.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--disable-background-networking', '--no-first-run'],
  },
});

test.beforeAll(() => {
  execFileSync('npx', ['vite', 'build', '--config', 'tests/e2e/imageLab/vite.config.ts'], { stdio: 'inherit' });
});

type Outcome = { name: string; ok: boolean; message?: string; pixels?: number[] };

async function openLab(page: Page) {
  await page.goto('image-lab/');
  await expect(page.getByRole('img', { name: 'Drawing pad' })).toBeVisible();
}

test('decodes PNG, GIF (first frame) and BMP in the worker, centre-cropped to 32 x 32 RGB, and names each bad file', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openLab(page);
  const outcomes: Outcome[] = await page.evaluate(async () => {
    /** A w x h PNG painted in vertical bands of the given colours. */
    const png = async (w: number, h: number, bands: string[]) => {
      const c = new OffscreenCanvas(w, h);
      const g = c.getContext('2d')!;
      bands.forEach((col, k) => {
        g.fillStyle = col;
        g.fillRect((k * w) / bands.length, 0, w / bands.length, h);
      });
      return c.convertToBlob({ type: 'image/png' });
    };
    const good = await png(128, 64, ['#f00', '#0f0', '#0f0', '#00f']); // the centred square is all green
    const gif = await png(40, 40, ['#00f']); // Chromium has no GIF encoder: a second PNG
    const bytes = new Uint8Array(await good.arrayBuffer());
    const corrupt = new Blob([bytes.slice(0, 8), new Uint8Array(200).fill(7)]); // PNG signature, garbage after
    // Hand-made files: a GIF of two frames (red, then blue), a 2 x 2 yellow BMP, and a PNG
    // whose header claims 8,000 x 7,000 pixels.
    const gif2 = new Uint8Array([
      0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0xf0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0x21, 0xf9, 4, 0, 10, 0, 0, 0,
      0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0,
      0x80, 0, 0, 0xff, 0, 0, 0, 2, 2, 0x44, 1, 0, 0x3b,
    ]);
    const le32 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24];
    const bmp = new Uint8Array([
      0x42,
      0x4d,
      ...le32(70),
      0,
      0,
      0,
      0,
      ...le32(54),
      ...le32(40),
      ...le32(2),
      ...le32(2),
      1,
      0,
      24,
      0,
      ...le32(0),
      ...le32(16),
      ...le32(2835),
      ...le32(2835),
      ...le32(0),
      ...le32(0),
      0,
      255,
      255,
      0,
      255,
      255,
      0,
      0,
      0,
      255,
      255,
      0,
      255,
      255,
      0,
      0,
    ]);
    const huge = new Uint8Array([
      ...bytes.slice(0, 16),
      0,
      0,
      0x1f,
      0x40,
      0,
      0,
      0x1b,
      0x58,
      8,
      2,
      0,
      0,
      0,
      ...new Array(64).fill(0),
    ]);
    const items = [
      { name: 'first-frame.gif', source: new Blob([gif2]) },
      { name: 'yellow.bmp', source: new Blob([bmp]) },
      { name: 'huge.png', source: new Blob([huge]) },
      { name: 'green.png', source: good },
      { name: 'corrupt.png', source: corrupt },
      { name: 'notes.png', source: new Blob(['just some text, not a picture\n']) },
      { name: 'empty.png', source: new Blob([]) },
      { name: 'blue.png', source: gif },
    ];
    const lab = (
      window as unknown as { imageLab: { decoder: { decode: (i: unknown[], o?: unknown) => Promise<unknown[]> } } }
    ).imageLab;
    const out = (await lab.decoder.decode(items, { chunk: 2 })) as {
      name: string;
      ok: boolean;
      message?: string;
      pixels?: Uint8Array;
    }[];
    return out.map((o) => ({ ...o, pixels: o.pixels ? Array.from(o.pixels) : undefined }));
  });
  const at0 = (o: Outcome) => o.pixels!.slice(0, 3);
  expect(at0(outcomes[0])).toEqual([255, 0, 0]); // the GIF's first frame, not its last
  expect(at0(outcomes[1])).toEqual([255, 255, 0]);
  expect(outcomes[2].message).toBe(
    'huge.png is 8,000 x 7,000 px (56.0 megapixels): images over 50 megapixels are refused',
  );
  outcomes.splice(0, 3);
  expect(outcomes.map((o) => [o.name, o.ok])).toEqual([
    ['green.png', true],
    ['corrupt.png', false],
    ['notes.png', false],
    ['empty.png', false],
    ['blue.png', true],
  ]);
  const green = outcomes[0].pixels!;
  expect(green.length).toBe(32 * 32 * 3);
  for (let p = 0; p < 32 * 32; p++) expect([green[3 * p], green[3 * p + 1], green[3 * p + 2]]).toEqual([0, 255, 0]);
  expect(outcomes[4].pixels!.slice(0, 3)).toEqual([0, 0, 255]);
  expect(outcomes[1].message).toBe('corrupt.png could not be decoded: the PNG file is corrupt or cut short');
  expect(outcomes[2].message).toBe('notes.png is a text file, not an image');
  expect(outcomes[3].message).toBe('empty.png is empty (0 bytes)');
  expect(errors).toEqual([]);
});

test('a seeded fuzz of 60 damaged image files: each decodes to 32 x 32 RGB or is refused naming its file, and the good ones are kept', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await openLab(page);
  const outcomes: Outcome[] = await page.evaluate(async () => {
    let seed = 20261203;
    const rand = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const encode = async (type: string) => {
      const c = new OffscreenCanvas(96, 64);
      const g = c.getContext('2d')!;
      g.fillStyle = '#c33';
      g.fillRect(0, 0, 96, 64);
      g.fillStyle = '#33c';
      g.fillRect(30, 10, 40, 40);
      return new Uint8Array(await (await c.convertToBlob({ type })).arrayBuffer());
    };
    const originals = {
      png: await encode('image/png'),
      jpg: await encode('image/jpeg'),
      webp: await encode('image/webp'),
    };
    const items: { name: string; source: Blob }[] = [];
    for (const [ext, bytes] of Object.entries(originals)) {
      items.push({ name: `good.${ext}`, source: new Blob([bytes]) });
      for (let i = 0; i < 8; i++) {
        const at = 1 + Math.floor(rand() * (bytes.length - 1));
        items.push({ name: `cut-${at}.${ext}`, source: new Blob([bytes.slice(0, at)]) });
      }
      for (let i = 0; i < 8; i++) {
        const b = bytes.slice();
        const at = Math.floor(rand() * b.length);
        b[at] ^= 1 << Math.floor(rand() * 8);
        items.push({ name: `flip-${at}.${ext}`, source: new Blob([b]) });
      }
      items.push({ name: `empty.${ext}`, source: new Blob([]) });
    }
    // Wrong extensions both ways, and headers claiming absurd sizes.
    items.push({ name: 'photo.gif', source: new Blob([originals.png]) });
    items.push({ name: 'readme.jpg', source: new Blob(['# not a picture\n'.repeat(40)]) });
    const huge = originals.png.slice(0, 33);
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    items.push({ name: 'huge.png', source: new Blob([huge]) });
    const zeros = originals.png.slice();
    new DataView(zeros.buffer).setUint32(16, 0);
    items.push({ name: 'zero-width.png', source: new Blob([zeros]) });
    const lab = (
      window as unknown as { imageLab: { decoder: { decode: (i: unknown[], o?: unknown) => Promise<unknown[]> } } }
    ).imageLab;
    const t0 = performance.now();
    const out = (await lab.decoder.decode(items, { chunk: 8 })) as {
      name: string;
      ok: boolean;
      message?: string;
      pixels?: Uint8Array;
    }[];
    return [
      { name: 'ms', ok: true, message: String(performance.now() - t0) },
      ...out.map((o) => ({
        name: o.name,
        ok: o.ok,
        message: o.message,
        pixels: o.pixels ? [o.pixels.length] : undefined,
      })),
    ];
  });
  const [timing, ...results] = outcomes;
  console.log(
    `image fuzz: ${results.length} files in ${Number(timing.message).toFixed(0)} ms; ${results.filter((o) => o.ok).length} decoded, ${results.filter((o) => !o.ok).length} refused`,
  );
  expect(results.length).toBeGreaterThanOrEqual(55);
  for (const o of results) {
    if (o.ok) expect(o.pixels, o.name).toEqual([32 * 32 * 3]);
    else expect(o.message, o.name).toContain(o.name);
  }
  for (const name of ['good.png', 'good.jpg', 'good.webp', 'photo.gif'])
    expect(results.find((o) => o.name === name)?.ok, name).toBe(true);
  for (const name of ['empty.png', 'readme.jpg', 'huge.png', 'zero-width.png'])
    expect(results.find((o) => o.name === name)?.ok, name).toBe(false);
  expect(errors).toEqual([]);
});

test('adding 500 images through the panel keeps every main-thread task under 50 ms', async ({ page }) => {
  await openLab(page);
  await page.evaluate(() =>
    (
      window as unknown as { imageLab: { store: { deleteAllUserImages: () => Promise<void> } } }
    ).imageLab.store.deleteAllUserImages(),
  );
  await page.reload();
  await page.getByLabel('Class for loose images').fill('many');
  // The files are made in the page and handed to the input as a picker would: Playwright's
  // own setInputFiles of 500 files is itself one long task, which is not the page's doing.
  await page.evaluate(async () => {
    const files: File[] = [];
    for (let i = 0; i < 500; i++) {
      const c = new OffscreenCanvas(160 + (i % 7) * 10, 120);
      const g = c.getContext('2d')!;
      g.fillStyle = `hsl(${(i * 37) % 360} 80% 50%)`;
      g.fillRect(0, 0, c.width, c.height);
      g.fillStyle = '#fff';
      g.fillRect(20 + (i % 50), 30, 40, 40);
      files.push(new File([await c.convertToBlob({ type: 'image/png' })], `img${i}.png`, { type: 'image/png' }));
    }
    const w = window as unknown as { longTasks: number[]; t0: number };
    w.longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    await new Promise((r) => setTimeout(r, 50));
    w.t0 = performance.now();
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(f);
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Add images"]')!;
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const count = () =>
    page.evaluate(() => Number(document.querySelector('[data-testid="user-class-count"]')?.textContent ?? 0));
  await expect.poll(count, { timeout: 120_000 }).toBe(500);
  await expect(page.getByRole('progressbar', { name: 'Adding images' })).toHaveCount(0);
  const r = await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; t0: number };
    return { ms: performance.now() - w.t0, long: w.longTasks };
  });
  console.log(
    `added 500 PNGs through the panel in ${Math.round(r.ms)} ms; main-thread tasks over 50 ms: ${JSON.stringify(r.long.map(Math.round))}`,
  );
  expect(r.long).toEqual([]);
  await page.getByRole('button', { name: 'Delete my images' }).click();
  await page.getByRole('button', { name: 'Yes, delete them' }).click();
});

test('the store keeps images across a reload and deletes one, a class, or all', async ({ page }) => {
  await openLab(page);
  type Lab = { store: typeof import('../../src/ui/userImageStore') };
  await page.evaluate(async () => {
    const { store } = (window as unknown as { imageLab: Lab }).imageLab;
    await store.deleteAllUserImages();
    const px = (v: number) => new Uint8Array(32 * 32 * 3).fill(v);
    await store.addUserImages([
      { className: 'cats', name: 'c1.png', pixels: px(1) },
      { className: 'cats', name: 'c2.png', pixels: px(2) },
      { className: 'dogs', name: 'd1.png', pixels: px(3) },
      { className: 'mugs', name: 'm1.png', pixels: px(4) },
    ]);
  });
  await page.reload();
  const after = await page.evaluate(async () => {
    const { store } = (window as unknown as { imageLab: Lab }).imageLab;
    const all = await store.loadUserImages();
    const firstByte = all.map((i) => [i.className, i.name, i.pixels[0], i.pixels.length]);
    await store.deleteUserImage(all.find((i) => i.name === 'd1.png')!.id);
    const removed = await store.deleteUserClass('cats');
    const left = (await store.loadUserImages()).map((i) => i.name);
    await store.deleteAllUserImages();
    return { firstByte, removed, left, end: (await store.loadUserImages()).length };
  });
  expect(after.firstByte).toEqual([
    ['cats', 'c1.png', 1, 3072],
    ['cats', 'c2.png', 2, 3072],
    ['dogs', 'd1.png', 3, 3072],
    ['mugs', 'm1.png', 4, 3072],
  ]);
  expect(after.removed).toBe(2);
  expect(after.left).toEqual(['m1.png']);
  expect(after.end).toBe(0);
});

test('the drawing pad turns a mouse stroke into an MNIST-style digit', async ({ page }) => {
  await openLab(page);
  const pad = page.getByRole('img', { name: 'Drawing pad' });
  const box = (await pad.boundingBox())!;
  // A vertical stroke on the right of the pad: a "1".
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.15);
  const t0 = Date.now();
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * (0.15 + 0.06 * k));
  await page.mouse.up();
  const strokeMs = Date.now() - t0;
  const prepared = () =>
    page.evaluate(() => {
      const lab = (
        window as unknown as { imageLab: { prepared: { pixels: Uint8Array; empty: boolean } | null; rasters: number } }
      ).imageLab;
      return lab.prepared
        ? { empty: lab.prepared.empty, pixels: Array.from(lab.prepared.pixels), rasters: lab.rasters }
        : null;
    });
  await expect.poll(async () => (await prepared())?.empty).toBe(false);
  const p = (await prepared())!;
  // Throttled to one raster per 150 ms while drawing (plus the one at the end), not one per move.
  expect(p.rasters).toBeLessThanOrEqual(Math.ceil(strokeMs / 150) + 2);
  const rows = new Set<number>();
  let m = 0,
    mx = 0;
  p.pixels.forEach((v, i) => {
    if (v > 0) {
      rows.add(Math.floor(i / 28));
      m += v;
      mx += v * (i % 28);
    }
  });
  expect(rows.size).toBe(20);
  expect(Math.abs(mx / m - 14)).toBeLessThanOrEqual(0.5);

  await page.getByRole('button', { name: 'Eraser' }).click();
  await expect(page.getByRole('button', { name: 'Eraser' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Clear drawing' }).click();
  await expect.poll(async () => (await prepared())?.empty).toBe(true);
});

test.describe('camera', () => {
  const capture = (page: Page) =>
    page.evaluate(async () => {
      type Lab = {
        camera: typeof import('../../src/ui/camera');
        decoder: import('../../src/ui/imageDecode').ImageDecoder;
      };
      const { camera, decoder } = (window as unknown as { imageLab: Lab }).imageLab;
      let stream: MediaStream;
      try {
        stream = await camera.openCamera();
      } catch (e) {
        return { error: (e as Error).message, frames: 0, decoded: [] as number[] };
      }
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = stream;
      document.body.append(video);
      await video.play();
      const frames: ImageBitmap[] = [];
      const stop = camera.captureWhileHeld(video, (f) => frames.push(f), 80);
      await new Promise((r) => setTimeout(r, 800));
      stop();
      camera.closeCamera(stream);
      const out = await decoder.decode(frames.map((f, i) => ({ name: `camera ${i + 1}`, source: f })));
      return { error: null, frames: frames.length, decoded: out.map((o) => (o.ok ? o.pixels.length : -1)) };
    });

  test('captures frames while held, decoded to 32 x 32 RGB', async ({ page, context }) => {
    await context.grantPermissions(['camera']);
    await openLab(page);
    const r = await capture(page);
    expect(r.error).toBeNull();
    expect(r.frames).toBeGreaterThanOrEqual(3);
    expect(r.decoded.every((n) => n === 32 * 32 * 3)).toBe(true);
  });

  test("the panel's capture button adds frames to the class while held", async ({ page, context }) => {
    await context.grantPermissions(['camera']);
    await openLab(page);
    await page.evaluate(() =>
      (
        window as unknown as { imageLab: { store: { deleteAllUserImages: () => Promise<void> } } }
      ).imageLab.store.deleteAllUserImages(),
    );
    await page.reload();
    await page.getByLabel('Class for loose images').fill('webcam');
    await page.getByRole('button', { name: 'Use camera' }).click();
    await expect(page.getByLabel('Camera preview')).toBeVisible();
    await expect
      .poll(() => page.getByLabel('Camera preview').evaluate((v: HTMLVideoElement) => v.videoWidth))
      .toBeGreaterThan(0);
    const hold = page.getByRole('button', { name: 'Hold to capture into webcam' });
    await hold.hover();
    await page.mouse.down();
    await page.waitForTimeout(1200);
    await page.mouse.up();
    const count = () =>
      page.evaluate(() =>
        Number(
          document.querySelector('section[aria-label="Class webcam"] [data-testid="user-class-count"]')?.textContent ??
            0,
        ),
      );
    await expect.poll(count).toBeGreaterThanOrEqual(4);
    // Frames taken before the release may still be decoding and storing: wait until the count
    // settles, then check that no new frame comes (capture stopped with the release).
    let n = await count();
    await expect
      .poll(
        async () => {
          const m = await count();
          const settled = m === n;
          n = m;
          return settled;
        },
        { intervals: [700] },
      )
      .toBe(true);
    await page.waitForTimeout(1000);
    expect(await count()).toBe(n); // released: no more frames
    await expect(page.getByRole('img', { name: 'webcam: camera 1', exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Stop camera' }).click();
    await page.getByRole('button', { name: 'Remove class webcam' }).click();
  });

  test('a denied camera gives a message', async ({ page, context }) => {
    await context.clearPermissions();
    await openLab(page);
    const r = await capture(page);
    expect(r.error).toMatch(/^Camera permission was denied/);
    await page.getByRole('button', { name: 'Use camera' }).click();
    await expect(page.getByTestId('camera-error')).toHaveText(/^Camera permission was denied/);
    await expect(page.getByRole('button', { name: 'Add images' }).or(page.getByLabel('Add images'))).toBeVisible();
  });
});

test('the panel adds a folder of two classes and loose files, names the bad files, and keeps the rest across a reload', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const dir = mkdtempSync(join(tmpdir(), 'user-images-'));
  try {
    for (const [cls, rgb] of [
      ['cats', [200, 120, 40]],
      ['dogs', [40, 90, 200]],
    ] as const) {
      mkdirSync(join(dir, 'pets', cls), { recursive: true });
      for (let i = 0; i < 6; i++)
        writeFileSync(join(dir, 'pets', cls, `${cls}${i}.png`), solidPng(60 + i, 40, [...rgb]));
    }
    writeFileSync(
      join(dir, 'pets', 'cats', 'broken.png'),
      Buffer.concat([solidPng(8, 8, [0, 0, 0]).subarray(0, 40), Buffer.alloc(30, 9)]),
    );
    writeFileSync(join(dir, 'pets', 'dogs', 'readme.png'), 'these are my dogs\n');
    await openLab(page);
    await page.evaluate(() =>
      (
        window as unknown as { imageLab: { store: { deleteAllUserImages: () => Promise<void> } } }
      ).imageLab.store.deleteAllUserImages(),
    );
    await page.reload();
    await page.getByLabel('Add a folder').setInputFiles(join(dir, 'pets'));
    await page.getByLabel('Class for loose images').fill('mugs');
    await page.getByLabel('Add images').setInputFiles([
      { name: 'mug.png', mimeType: 'image/png', buffer: solidPng(30, 30, [250, 250, 250]) },
      { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
    ]);
    // Read in one go: the gallery re-renders as images arrive and go.
    const counts = () =>
      page.evaluate(() =>
        Object.fromEntries(
          Array.from(document.querySelectorAll('section[aria-label^="Class "]'), (r) => [
            r.querySelector('[data-testid="user-class-name"]')!.textContent,
            Number(r.querySelector('[data-testid="user-class-count"]')!.textContent),
          ]),
        ),
      );
    await expect.poll(counts).toEqual({ cats: 6, dogs: 6, mugs: 1 });
    const messages = page.getByTestId('user-image-message');
    await expect(messages.filter({ hasText: 'broken.png could not be decoded' })).toHaveCount(1);
    await expect(messages.filter({ hasText: 'readme.png is a text file, not an image' })).toHaveCount(1);
    await expect(messages.filter({ hasText: 'empty.png is empty (0 bytes)' })).toHaveCount(1);
    await expect(page.getByRole('img', { name: 'cats: cats0.png' })).toBeVisible();
    await page.screenshot({ path: join(SHOTS, 'user-images-lab.png'), fullPage: true });

    await page.reload();
    await expect.poll(counts).toEqual({ cats: 6, dogs: 6, mugs: 1 });
    await page.getByRole('button', { name: 'Remove dogs3.png' }).click();
    await page.getByRole('button', { name: 'Remove class mugs' }).click();
    await expect.poll(counts).toEqual({ cats: 6, dogs: 5 });
    await page.reload();
    await expect.poll(counts).toEqual({ cats: 6, dogs: 5 });
    await page.getByRole('button', { name: 'Delete my images' }).click();
    await page.getByRole('button', { name: 'Yes, delete them' }).click();
    await expect.poll(counts).toEqual({});
    await page.reload();
    await expect(page.getByText('Your images stay in this browser')).toBeVisible();
    await expect.poll(counts).toEqual({});
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
