// The benchmark page: runs one benchmark in a worker (as the app trains) and leaves the
// result on window.__bench for scripts/bench.mjs. Query: ?backend=wasm&n=64&model=reference&threads=1&check=1&precompile=0&kernelPool=0
import type { BenchRequest, BenchResult } from './types';

const q = new URLSearchParams(location.search);
const req: BenchRequest = {
  backend: (q.get('backend') ?? 'wasm') as BenchRequest['backend'],
  n: Number(q.get('n') ?? 64),
  model: (q.get('model') ?? 'reference') as BenchRequest['model'],
  budgetMs: Number(q.get('budgetMs') ?? 20000),
  threads: q.has('threads') ? Number(q.get('threads')) : undefined,
  check: q.get('check') === '1',
  precompile: q.get('precompile') !== '0',
  kernelPool: q.get('kernelPool') !== '0',
};
const out = document.getElementById('out')!;
const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
w.onmessage = (e: MessageEvent<BenchResult>) => {
  (window as unknown as { __bench: BenchResult }).__bench = e.data;
  out.textContent = JSON.stringify(e.data, null, 2);
};
w.onerror = (e) => {
  const r: BenchResult = { ...req, error: e.message || 'worker error' } as BenchResult;
  (window as unknown as { __bench: BenchResult }).__bench = r;
  out.textContent = r.error ?? '';
};
w.postMessage(req);
