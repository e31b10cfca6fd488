import { expect } from '@playwright/test';
import { openApp, watchErrors, test } from './helpers';

// The page runs under a strict Content-Security-Policy, sent as a header and in the meta tag
// alike, and the error watch every spec uses fails on a violation. Both are checked here: the
// policy's words, and a violation provoked on purpose must land in the watch.

test('the CSP is strict, the same in header and meta tag, and a violation is caught', async ({ page, request }) => {
  const response = await request.get('/');
  const header = response.headers()['content-security-policy'];
  const html = await response.text();
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  expect(header).toBeTruthy();
  expect(meta).toBe(header);
  const directives = new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v]),
  );
  expect(directives.get('default-src')).toEqual(["'self'"]);
  expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  // tfjs's wasm threads included (tests/e2e/wasmThreads.spec.ts): no blob: workers.
  expect(directives.get('worker-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(header).not.toMatch(/'unsafe-eval'|'unsafe-inline'|https?:|\*/);
  expect(response.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response.headers()['cross-origin-embedder-policy']).toBe('require-corp');

  const errors = watchErrors(page);
  await openApp(page, '#batchSize=16');
  expect(errors).toEqual([]);
  // An inline script and a remote image, as injected markup would bring: both refused, both seen.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__ran = true';
    document.body.append(s);
    const img = document.createElement('img');
    img.src = 'https://example.invalid/x.png';
    document.body.append(img);
  });
  await expect.poll(() => errors.filter((e) => e.startsWith('CSP violation')).length).toBeGreaterThanOrEqual(2);
  expect(errors.join('\n')).toMatch(/script-src/);
  expect(errors.join('\n')).toMatch(/img-src/);
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
});
