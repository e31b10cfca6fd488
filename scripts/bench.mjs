#!/usr/bin/env node
// Serves the built app, opens the benchmark page in headless Chromium for each backend x N,
// and prints first-step and median step times, beside the PyTorch peer when python3-torch is
// installed (scripts/peer/bench_torch.py: the same model, loss and optimizer).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { cliArgs } from './lib/args.mjs';
import { startServer } from './serve.mjs';

const USAGE = `npm run bench [-- options]   (or: node scripts/bench.mjs [options] after a build)
  --backend LIST   backends to time, comma-separated (default wasm,webgl,webgpu,cpu)
  --model NAME     reference (the PyTorch peer's model) or default (default reference)
  --n LIST         batch sizes N (default 64,256)
  --budget MS      time to spend on timed steps per run: 3 to 24 steps (default 20000);
                   0 times none (first step, kernel and dispatch counts only)
  --threads T      threads for wasm and for the PyTorch peer alike (default 1; wasm runs more
                   than one only on a cross-origin isolated page, which serve.mjs makes it)
  --dist DIR       the build to serve (default dist)
  --json FILE      also write the results as JSON
  --profile        print the slowest kernels of each run
  --check          also compare the GPU path's loss, gradients and Adam with the cpu backend's
  --no-precompile  WebGPU: compile pipelines as the first update meets them, not all
                   ahead in parallel (engine/precompile.ts), to compare first steps
  --no-kernel-pool wasm: our gradient kernels on the calling thread only, not cut across
                   the threads (engine/kernels/kernelPool.ts), to compare`;

const { opt, flag, helpOr } = cliArgs();
helpOr(USAGE);
const backends = opt('backend', 'wasm,webgl,webgpu,cpu').split(',');
const model = opt('model', 'reference');
const sizes = opt('n', '64,256').split(',').map(Number);
const jsonPath = opt('json', null);
const budgetMs = Number(opt('budget', 20000));
const threads = Number(opt('threads', 1));
const profile = flag('profile');
const check = flag('check');
const noPrecompile = flag('no-precompile');
const noKernelPool = flag('no-kernel-pool');

// --dist: another build, so two versions can be compared side by side in one session.
const server = await startServer({ port: 0, dir: resolve(opt('dist', 'dist')), quiet: true });
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await launchChromium();

const results = [];
for (const backend of backends) {
  for (const N of sizes) {
    const page = await browser.newPage();
    await page.goto(
      `${base}bench.html?backend=${backend}&n=${N}&model=${model}&budgetMs=${budgetMs}&threads=${threads}${check ? '&check=1' : ''}${noPrecompile ? '&precompile=0' : ''}${noKernelPool ? '&kernelPool=0' : ''}`,
    );
    const r = await page
      .waitForFunction(() => window.__bench, null, { timeout: 900_000, polling: 500 })
      .then((h) => h.jsonValue());
    await page.close();
    results.push({
      backend,
      N,
      model,
      adapter: r.adapter,
      gpu: r.gpu,
      threads: r.threadsRan,
      kernelThreads: r.kernelThreads,
      isolated: r.isolated,
      backendInitMs: round(r.backendInitMs),
      firstStepMs: round(r.firstStepMs),
      precompileMs: round(r.precompileMs),
      programsCompiled: r.programsCompiled,
      medianStepMs: round(r.medianStepMs),
      stepsPerSecond: r.medianStepMs ? round(1000 / r.medianStepMs, 2) : undefined,
      minStepMs: round(r.minStepMs),
      augmentMs: round(r.augmentMs),
      timedSteps: r.timedSteps,
      readEvery: r.readEvery,
      kernelsPerStep: r.kernelsPerStep,
      dispatchesPerStep: r.dispatchesPerStep,
      augmentDispatches: r.augmentDispatches,
      firstLoss: round(r.firstLoss, 3),
      secondLoss: round(r.secondLoss, 3),
      lastLoss: round(r.lastLoss, 3),
      tensorsLeft: r.tensorsLeft,
      againstCpu: r.againstCpu,
      error: r.error,
      topKernels: r.topKernels,
      topPrograms: r.topPrograms,
    });
    const last = results[results.length - 1];
    if (profile && r.topKernels) {
      console.error('    ' + r.topKernels.map((k) => `${k.name} ${k.ms} ms x${k.count}`).join(', '));
      if (r.topPrograms?.length)
        console.error('    programs: ' + r.topPrograms.map((k) => `${k.name} x${k.count}`).join(', '));
    }
    if (r.againstCpu) console.error(`    against cpu: ${JSON.stringify(r.againstCpu)}`);
    console.error(
      `  ${backend} N=${N}: ${last.error ? 'error: ' + last.error : `${last.medianStepMs ?? '-'} ms/step, ${last.kernelsPerStep} kernels, ${last.dispatchesPerStep ?? '-'} dispatches`}`,
    );
  }
}
await browser.close();
server.close();

let peer = null;
if (model === 'reference') {
  const script = fileURLToPath(new URL('peer/bench_torch.py', import.meta.url));
  // Debian's python3-torch belongs to /usr/bin/python3, which a pyenv shim may hide.
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      peer = JSON.parse(
        execFileSync(py, [script, String(threads)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      );
      break;
    } catch {
      /* try the next interpreter */
    }
  }
  if (!peer) console.error('(PyTorch peer not run: apt-get install -y python3-torch to compare)');
}

const rows = results.map((r) => {
  const p = peer?.results.find((x) => x.N === r.N);
  return {
    backend: r.backend,
    N: r.N,
    model: r.model,
    'first step ms': r.firstStepMs ?? '-',
    'of it compiling ahead': r.precompileMs ?? '-',
    'compiled at first step': r.programsCompiled ?? '-',
    'median ms/step': r.medianStepMs ?? '-',
    'steps/s': r.medianStepMs ? round(1000 / r.medianStepMs, 2) : '-',
    'kernels/step': r.kernelsPerStep ?? '-',
    'dispatches/step': r.dispatchesPerStep ?? '-',
    'augment ms': r.augmentMs ?? '-',
    'x peer': p && r.medianStepMs ? round(r.medianStepMs / p.medianStepMs, 2) : '-',
    note:
      r.error ??
      `${r.timedSteps} steps timed, loss read every ${r.readEvery}; ${r.adapter}${r.gpu?.isFallbackAdapter ? ' (fallback adapter)' : ''}` +
        (r.kernelThreads
          ? `; our kernels: ${r.kernelThreads.ready} of ${r.kernelThreads.threads} extra threads, ${r.kernelThreads.blocksOnThreads} blocks on them${r.kernelThreads.failure ? ` (${r.kernelThreads.failure})` : ''}`
          : ''),
  };
});
console.table(rows);
if (peer)
  console.log(
    `PyTorch peer (${peer.threads} thread${peer.threads > 1 ? 's' : ''}, torch ${peer.torch}): ` +
      peer.results.map((p) => `N=${p.N} ${p.medianStepMs} ms/step`).join(', '),
  );
if (jsonPath) {
  mkdirSync(dirname(resolve(jsonPath)), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify({ date: new Date().toISOString(), peer, results }, null, 2));
  console.log(`wrote ${jsonPath}`);
}

function round(x, d = 1) {
  return typeof x === 'number' && Number.isFinite(x) ? Number(x.toFixed(d)) : undefined;
}
