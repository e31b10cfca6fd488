import { expect, test } from '@playwright/test';

// On WebGPU and WebGL a training step costs per GPU program dispatched. The benchmark page
// counts the programs one update of the default model dispatches (src/engine/dispatchCount.ts);
// the counts do not depend on the batch size, so a small one keeps SwiftShader quick. Bounds:
// before the GPU step was rewritten an update took 132 programs on WebGPU and 228 on WebGL
// (bench-results/dispatches-before.json).
const BOUNDS = { webgpu: 100, webgl: 180 } as const;

interface Bench {
  error?: string;
  dispatchesPerStep?: number;
  kernelsPerStep?: number;
  tensorsLeft?: number;
  firstLoss?: number;
  ran?: string;
}

for (const backend of ['webgpu', 'webgl'] as const) {
  test(`${backend}: one update of the default model dispatches at most ${BOUNDS[backend]} programs`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await page.goto(`bench.html?backend=${backend}&n=8&model=default&budgetMs=0`);
    const r = await page
      .waitForFunction(() => (window as unknown as { __bench?: Bench }).__bench, null, {
        timeout: 220_000,
        polling: 500,
      })
      .then((h) => h.jsonValue() as Promise<Bench>);
    console.log(
      `${backend}: ${r.dispatchesPerStep} programs, ${r.kernelsPerStep} kernels per update; first loss ${r.firstLoss}`,
    );
    expect(r.error).toBeUndefined();
    expect(r.ran).toBe(backend);
    expect(Number.isFinite(r.firstLoss)).toBe(true);
    expect(r.dispatchesPerStep).toBeGreaterThan(20);
    expect(r.dispatchesPerStep).toBeLessThanOrEqual(BOUNDS[backend]);
    expect(r.tensorsLeft).toBe(0);
  });
}
