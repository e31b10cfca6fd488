import { expect, type Page } from '@playwright/test';
import { test } from './helpers';

// On WebGPU and WebGL a training step costs per GPU program dispatched. The benchmark page
// counts the programs one update of the default model dispatches (src/engine/dispatchCount.ts);
// the counts do not depend on the batch size, so a small one keeps SwiftShader quick. Bounds:
// half of what an update took before the GPU step was rewritten, 132 programs on WebGPU and 228
// on WebGL (bench-results/dispatches-before.json). The same page runs the step and Adam on the
// cpu backend too (engine/gpuCheck.ts): our own WGSL and GLSL programs must give its numbers.
const BOUNDS = { webgpu: 66, webgl: 114 } as const;
// Relative differences from the cpu backend: float32 summed in another order.
const TOLERANCE = { loss: 1e-4, grads: 1e-3, weights: 1e-3, moments: 1e-4 } as const;

interface Bench {
  error?: string;
  dispatchesPerStep?: number;
  kernelsPerStep?: number;
  tensorsLeft?: number;
  firstLoss?: number;
  secondLoss?: number;
  precompileMs?: number;
  programsPrecompiled?: number;
  programsCompiled?: number;
  ran?: string;
  againstCpu?: Record<keyof typeof TOLERANCE, number>;
}

async function bench(page: Page, query: string): Promise<Bench> {
  await page.goto(`bench.html?${query}`);
  return page
    .waitForFunction(() => (window as unknown as { __bench?: Bench }).__bench, null, {
      timeout: 220_000,
      polling: 500,
    })
    .then((h) => h.jsonValue() as Promise<Bench>);
}

// On WebGPU the first update's programs are compiled ahead, all in parallel, in a pass that
// executes nothing (engine/precompile.ts) and must put back the weights and Adam's state it
// assigned: the first two losses are those of a run that compiles as it goes.
test(`webgpu: compiling ahead leaves the first two updates' losses as they were`, async ({ page }) => {
  test.setTimeout(240_000);
  const ahead = await bench(page, 'backend=webgpu&n=8&model=default&budgetMs=0');
  const asItGoes = await bench(page, 'backend=webgpu&n=8&model=default&budgetMs=0&precompile=0');
  console.log(
    `webgpu: compiled ahead ${ahead.programsPrecompiled} of ${asItGoes.programsCompiled} programs in ${ahead.precompileMs} ms; losses ${ahead.firstLoss}, ${ahead.secondLoss} (as it goes: ${asItGoes.firstLoss}, ${asItGoes.secondLoss})`,
  );
  expect(ahead.error).toBeUndefined();
  expect(asItGoes.error).toBeUndefined();
  expect(asItGoes.precompileMs).toBeUndefined();
  // Nearly all of the first update's programs (the loss read may add one or two).
  expect(ahead.programsPrecompiled).toBeGreaterThanOrEqual(0.9 * asItGoes.programsCompiled!);
  expect(Number.isFinite(ahead.firstLoss)).toBe(true);
  expect(ahead.firstLoss).toBe(asItGoes.firstLoss);
  expect(ahead.secondLoss).toBe(asItGoes.secondLoss);
  expect(ahead.tensorsLeft).toBe(0);
});

for (const backend of ['webgpu', 'webgl'] as const) {
  test(`${backend}: one update of the default model dispatches at most ${BOUNDS[backend]} programs, with the cpu's numbers`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const r = await bench(page, `backend=${backend}&n=8&model=default&budgetMs=0&check=1`);
    console.log(
      `${backend}: ${r.dispatchesPerStep} programs, ${r.kernelsPerStep} kernels per update; first loss ${r.firstLoss}; against cpu ${JSON.stringify(r.againstCpu)}`,
    );
    expect(r.error).toBeUndefined();
    expect(r.ran).toBe(backend);
    expect(Number.isFinite(r.firstLoss)).toBe(true);
    expect(r.dispatchesPerStep).toBeGreaterThan(20);
    expect(r.dispatchesPerStep).toBeLessThanOrEqual(BOUNDS[backend]);
    expect(r.tensorsLeft).toBe(0);
    for (const k of Object.keys(TOLERANCE) as (keyof typeof TOLERANCE)[]) {
      expect(Number.isFinite(r.againstCpu?.[k]), k).toBe(true);
      expect(r.againstCpu![k], k).toBeLessThan(TOLERANCE[k]);
    }
  });
}
