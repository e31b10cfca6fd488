#!/usr/bin/env node
// The soak: a lesson's worth of use of the built app in headless Chromium (scripts/lib/
// soakDriver.mjs says what it does and how it judges), then each measure's range and the goals:
// no console errors, the tensor count flat between resets, the JS heap growing less than 10%
// from minute 2 to the end, no long task over 50 ms. Exits 1 when a goal fails, saying which.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { cliArgs } from './lib/args.mjs';
import { judge, openForSoak, runSoak } from './lib/soakDriver.mjs';
import { startServer } from './serve.mjs';

const { opt, helpOr } = cliArgs();
helpOr(`npm run soak [-- options]   (or: node scripts/soak.mjs [options] after a build)
  --minutes M      how long to drive the app (default 10)
  --every S        seconds between two actions (default 3)
  --seed N         the order and values of the actions (default 1)
  --hash HASH      the app's settings at the start, as in its URL (default batchSize=32)
  --heap-from S    the heap goal's first reading, in seconds (default 120, or a fifth of a short run)
  --dist DIR       the build to drive (default dist)
  --json FILE      also write every sample, action and the verdict as JSON`);
const seconds = Math.round(Number(opt('minutes', 10)) * 60);
const every = Number(opt('every', 3));
const seed = Number(opt('seed', 1));
const hash = opt('hash', 'batchSize=32');
const heapFrom = Number(opt('heap-from', Math.min(120, Math.round(seconds / 5))));
const jsonPath = opt('json', null);

const server = await startServer({ port: 0, dir: resolve(opt('dist', 'dist')), quiet: true });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const errors = await openForSoak(page, `http://127.0.0.1:${server.address().port}/#${hash}`);
console.error(`soak: ${seconds} s, an action every ${every} s (seed ${seed})`);
const result = await runSoak(page, { seconds, every, seed, heapAt: [heapFrom], errors, log: (l) => console.error(l) });
await browser.close();
server.close();

const verdict = judge(result, { heapFrom, heapTo: seconds });
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
const r = verdict.ranges;
const show = (name, x, f = String) =>
  console.log(`  ${name.padEnd(16)} ${x ? `${f(x.min)} to ${f(x.max)}` : 'not reported'}`);
console.log(
  `ranges over ${seconds} s (${result.samples.length} samples, ${verdict.summary.actionsDone} actions, backend ${verdict.summary.backends.join(', ')}):`,
);
show('numTensors', r.numTensors);
show('tensor bytes', r.tensorBytes, mb);
show('wasm heap', r.wasmHeapBytes, mb);
show('JS heap', r.jsHeapBytes, mb);
show('frames/s', r.framesPerSecond);
show('long tasks (ms)', r.longTaskMs, (v) => v.toFixed(0));
const h = verdict.summary.heapGrowth;
console.log(
  `  JS heap after GC: ${mb(h.from.heap)} at ${h.from.t} s, ${mb(h.to.heap)} at ${h.to.t} s (${(100 * h.growth).toFixed(1)}%)`,
);
console.log(
  `  tensor segments: ${verdict.segments.length}, not flat: ${verdict.segments.filter((g) => !g.flat).length}`,
);
console.log(
  `  console errors: ${result.errors.length}; long tasks: ${verdict.summary.longTasks.count} (over 50 ms: ${verdict.summary.longTasks.over})`,
);
if (jsonPath) {
  writeFileSync(
    jsonPath,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        hash,
        ...verdict,
        actions: result.actions,
        errors: result.errors,
        heapMarks: result.heapMarks,
        samples: result.samples,
      },
      null,
      1,
    ),
  );
}
for (const f of verdict.failures) console.log(`GOAL FAILED: ${f}`);
if (!verdict.failures.length) console.log('all goals met');
process.exit(verdict.failures.length ? 1 : 0);
