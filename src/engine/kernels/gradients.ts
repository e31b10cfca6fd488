// Gradients on the wasm backend by our own WebAssembly SIMD kernels (gradients.wat),
// registered with tfjs as kernels of their own, so they run inside tfjs's bookkeeping (tidy,
// tf.memory, tf.profile) and read and write tensors in place, in tfjs-backend-wasm's memory.
//
// - Convolution filter gradient. Every product tfjs-backend-wasm runs on XNNPACK first packs
//   the operand it treats as the weights, and caches that packing by tensor. For a layer's
//   weights that pays; in dW both operands are activations, new every step, so the packing is
//   paid each time. The kernel multiplies the padded input and dy as they lie.
// - Input gradient of a stride-2 convolution: as a forward conv it convolves a zero-interleaved
//   dy, 4x the multiply-adds, 3/4 of them on zeros; the kernel visits only the taps that meet a
//   real dy.
// - 2x2 max-pool gradient: wasm's MaxPoolGrad is a scalar loop, and the same gradient from
//   broadcast ops (conv.ts) takes six kernels over the full map.
// - Adam: one pass over the moments, the gradients and the variables, where tfjs's ops took 38
//   kernels with a concatenation and a split (docs/decisions/0018).
// docs/decisions/0003 has the measurements.
//
// On the threaded build each call is cut into blocks (core/workSplit.ts) that run side by side
// on a pool of threads of our own (kernelPool.ts).

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { filterGradBlocks, splitRange } from '../../core/workSplit';
import { wasmThreadsRunning } from '../wasmThreads';
import { gradientsSharedWasm, gradientsWasm } from './gradientsWasm';
import { KernelPool, type KernelCall } from './kernelPool';

interface Exports {
  filterGrad(
    xp: number,
    dy: number,
    out: number,
    n: number,
    hp: number,
    wp: number,
    cin: number,
    ho: number,
    wo: number,
    cout: number,
    k: number,
    s: number,
    mBegin: number,
    mEnd: number,
    oBegin: number,
    oEnd: number,
  ): void;
  maxPool2Grad(x: number, dy: number, dx: number, n: number, h: number, w: number, c: number): void;
  inputGrad(
    dy: number,
    wT: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    cin: number,
    ho: number,
    wo: number,
    cout: number,
    k: number,
    s: number,
    top: number,
    left: number,
  ): void;
  adam(
    g: number,
    x: number,
    m: number,
    v: number,
    xOut: number,
    mOut: number,
    vOut: number,
    n: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    step: number,
    eps: number,
  ): void;
  pad(
    x: number,
    xp: number,
    n: number,
    h: number,
    w: number,
    c: number,
    top: number,
    left: number,
    hp: number,
    wp: number,
  ): void;
}

const FILTER_GRAD = 'PlaygroundConvFilterGrad';
const MAX_POOL2_GRAD = 'PlaygroundMaxPool2Grad';
const INPUT_GRAD = 'PlaygroundConvInputGrad';
const ADAM = 'PlaygroundAdam';

// One instance per tfjs-backend-wasm memory (a re-initialised backend has a new one).
let instance: { memory: WebAssembly.Memory; exports: Exports; pool: KernelPool | null } | null = null;
let unavailable = false;

/** Below this much work (multiply-adds, or floats moved) a block is not worth a thread's wake-up. */
const MIN_BLOCK_MADDS = 1 << 20;
const MIN_BLOCK_FLOATS = 1 << 16;

/** tfjs-backend-wasm's WebAssembly.Memory. The single-threaded builds export theirs (Emscripten
 *  keeps the exports as `asm`); the threaded build imports a shared one, kept as `wasmMemory`. */
function wasmMemory(backend: BackendWasm): WebAssembly.Memory | undefined {
  const m = backend.wasm as unknown as { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  return m.asm?.memory ?? m.wasmMemory;
}

function kernels(backend: BackendWasm): NonNullable<typeof instance> {
  const memory = wasmMemory(backend);
  if (!memory) throw new Error('tfjs-backend-wasm does not expose its memory');
  if (instance?.memory !== memory) {
    instance?.pool?.dispose();
    // The threaded build's memory is shared, and a module links only to the kind it declares.
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Uint8Array.from(atob(shared ? gradientsSharedWasm : gradientsWasm), (c) => c.charCodeAt(0));
    const module = new WebAssembly.Module(bytes);
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
    // As many threads as tfjs runs its own kernels on, the calling thread being one of them.
    const pool = shared ? KernelPool.start(wasmThreadsRunning() - 1, module, memory) : null;
    instance = { memory, exports, pool };
  }
  return instance;
}

let blocksForced: number | null = null;

/**
 * Cuts every call into `parts` blocks (null: as the pool and the work decide). For tests, where
 * blocks run one after another must add up to what one block gives, and for the benchmark's
 * comparison without threads (1).
 */
export function cutKernelCalls(parts: number | null): void {
  blocksForced = parts;
}

/**
 * Runs a kernel call cut into blocks by `blocksFor(parts)`, on the pool's threads where it has
 * any ready and the work is worth it (`work / minWork` blocks at most), else here in one block.
 */
function runSplit(b: BackendWasm, work: number, minWork: number, blocksFor: (parts: number) => KernelCall[]): void {
  const { exports, pool } = kernels(b);
  const runHere = ({ kernel, args }: KernelCall) => (exports[kernel] as (...a: number[]) => void)(...args);
  const parts = blocksForced ?? Math.min(1 + (pool?.ready() ?? 0), Math.floor(work / minWork));
  const blocks = blocksFor(Math.max(1, parts));
  if (pool && blocks.length > 1) blocksOnThreads += pool.run(blocks, runHere);
  else blocks.forEach(runHere);
}

let blocksOnThreads = 0;

/** The kernel pool as it stands: its threads, those ready, the blocks they ran, and why it stopped if it did. */
export function kernelPoolReport(): {
  threads: number;
  ready: number;
  blocksOnThreads: number;
  failure: string | null;
} | null {
  const pool = instance?.pool;
  return pool ? { threads: pool.threads, ready: pool.ready(), blocksOnThreads, failure: pool.failure } : null;
}

/**
 * A call cut into blocks of whole images, for kernels whose images are independent: the image
 * count is argument `nAt`, and `perImage` gives each argument's bytes per image (0 for sizes).
 */
function imageBlocks(
  kernel: KernelCall['kernel'],
  args: number[],
  nAt: number,
  perImage: number[],
  parts: number,
): KernelCall[] {
  return splitRange(args[nAt], parts).map(([begin, end]) => ({
    kernel,
    args: args.map((a, i) => (i === nAt ? end - begin : a + perImage[i] * begin)),
  }));
}

const offset = (backend: BackendWasm, t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;

type Inputs = Record<string, tf.TensorInfo>;

/** Registers a wasm kernel: run gets the backend, the inputs and the attributes, and returns its output(s). */
function registerWasm<A>(
  kernelName: string,
  run: (b: BackendWasm, inputs: Inputs, attrs: A) => tf.TensorInfo | tf.TensorInfo[],
): void {
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => run(backend as BackendWasm, inputs as Inputs, attrs as unknown as A),
  });
}

function register(): void {
  registerWasm<{ k: number; s: number; pad: [[number, number], [number, number]] }>(
    FILTER_GRAD,
    (b, { x, dy }, { k, s, pad }) => {
      const [n, h, w, cin] = x.shape;
      const [, ho, wo, cout] = dy.shape;
      const hp = h + pad[0][0] + pad[0][1],
        wp = w + pad[1][0] + pad[1][1];
      const xp = b.makeOutput([n, hp, wp, cin], 'float32');
      const out = b.makeOutput([k, k, cin, cout], 'float32');
      const [px, pxp] = [offset(b, x), offset(b, xp)];
      runSplit(b, n * h * w * cin, MIN_BLOCK_FLOATS, (parts) =>
        imageBlocks(
          'pad',
          [px, pxp, n, h, w, cin, pad[0][0], pad[1][0], hp, wp],
          2,
          [4 * h * w * cin, 4 * hp * wp * cin, 0, 0, 0, 0, 0, 0, 0, 0],
          parts,
        ),
      );
      const taps = k * k * cin;
      const args = [pxp, offset(b, dy), offset(b, out), n, hp, wp, cin, ho, wo, cout, k, s];
      runSplit(b, n * ho * wo * taps * cout, MIN_BLOCK_MADDS, (parts) =>
        filterGradBlocks(taps, cout, parts).map(({ taps: [m0, m1], channels: [o0, o1] }) => ({
          kernel: 'filterGrad',
          args: [...args, m0, m1, o0, o1],
        })),
      );
      b.disposeData(xp.dataId);
      return out;
    },
  );
  registerWasm<{ xShape: number[]; s: number; top: number; left: number }>(
    INPUT_GRAD,
    (b, { dy, wT }, { xShape, s, top, left }) => {
      const [n, h, w, cin] = xShape;
      const [, ho, wo, cout] = dy.shape;
      const k = wT.shape[0];
      const dx = b.makeOutput(xShape, 'float32');
      const args = [offset(b, dy), offset(b, wT), offset(b, dx), n, h, w, cin, ho, wo, cout, k, s, top, left];
      const perImage = [4 * ho * wo * cout, 0, 4 * h * w * cin, ...args.slice(3).map(() => 0)];
      const madds = (n * ho * wo * k * k * cin * cout) / Math.max(1, s * s);
      runSplit(b, madds, MIN_BLOCK_MADDS, (parts) => imageBlocks('inputGrad', args, 3, perImage, parts));
      return dx;
    },
  );
  // inputs m, v, then g0..g(k-1) and x0..x(k-1); outputs m', v', x0'..x(k-1)'
  registerWasm<Record<'count' | 'b1' | 'c1' | 'b2' | 'c2' | 'step' | 'eps', number>>(ADAM, (b, inputs, a) => {
    const { m, v } = inputs;
    const mOut = b.makeOutput(m.shape, 'float32'),
      vOut = b.makeOutput(v.shape, 'float32');
    const K = kernels(b).exports;
    const xs: tf.TensorInfo[] = [];
    let o = 0; // bytes into m and v
    for (let i = 0; i < a.count; i++) {
      const [g, x] = [inputs[`g${i}`], inputs[`x${i}`]];
      const n = tf.util.sizeFromShape(x.shape);
      const xOut = b.makeOutput(x.shape, 'float32');
      const [pm, pv, pmOut, pvOut] = [m, v, mOut, vOut].map((t) => offset(b, t) + o);
      K.adam(
        offset(b, g),
        offset(b, x),
        pm,
        pv,
        offset(b, xOut),
        pmOut,
        pvOut,
        n,
        a.b1,
        a.c1,
        a.b2,
        a.c2,
        a.step,
        a.eps,
      );
      xs.push(xOut);
      o += 4 * n;
    }
    return [mOut, vOut, ...xs];
  });
  registerWasm<object>(MAX_POOL2_GRAD, (b, { x, dy }) => {
    const [n, h, w, c] = x.shape;
    const dx = b.makeOutput(x.shape, 'float32');
    const args = [offset(b, x), offset(b, dy), offset(b, dx), n, h, w, c];
    const perImage = [4 * h * w * c, h * w * c, 4 * h * w * c, 0, 0, 0, 0];
    runSplit(b, n * h * w * c, MIN_BLOCK_FLOATS, (parts) => imageBlocks('maxPool2Grad', args, 3, perImage, parts));
    return dx;
  });
}

/**
 * Links the kernels to the wasm backend just started and, on the threaded build, waits for the
 * pool's threads (a few seconds at most: without them the kernels run on one thread).
 */
export async function startWasmKernels(): Promise<void> {
  if (!available()) return;
  await instance?.pool?.whenStarted(POOL_START_MS);
}

const POOL_START_MS = 5_000;

/** Whether the kernels run here: on the wasm backend, where WebAssembly SIMD compiles. */
function available(): boolean {
  if (unavailable || tf.getBackend() !== 'wasm') return false;
  if (!instance) {
    try {
      kernels(tf.backend() as BackendWasm);
      register();
    } catch {
      unavailable = true; // no SIMD, or another tfjs build: conv.ts's own forms serve
      return false;
    }
  }
  return true;
}

/** dW [k, k, cin, cout] of a stride-s convolution of x [n, h, w, cin], padded by
 *  pad = [[top, bottom], [left, right]], giving dy [n, ho, wo, cout]; or null where the kernel
 *  does not apply (off wasm; cout not in eights, its tile). */
export function wasmFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  k: number,
  s: number,
  pad: [[number, number], [number, number]],
): tf.Tensor4D | null {
  if (dy.shape[3] % 8 !== 0 || x.shape[0] === 0 || !available()) return null;
  return tf.engine().runKernel(FILTER_GRAD, { x, dy }, { k, s, pad } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** dL/dx [n, h, w, cin] of a stride-s 'same' convolution whose input had xShape, from dy and the
 *  filter w [k, k, cin, cout], padded (top, left) in front; or null where the kernel does not
 *  apply (off wasm; cin not in sixteens, its tile). */
export function wasmInputGrad(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  xShape: number[],
  s: number,
  top: number,
  left: number,
): tf.Tensor4D | null {
  if (xShape[3] % 16 !== 0 || !available()) return null;
  return tf.tidy(() => {
    const wT = tf.transpose(w, [0, 1, 3, 2]);
    return tf
      .engine()
      .runKernel(INPUT_GRAD, { dy, wT }, { xShape, s, top, left } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  });
}

/** dL/dx of a 2x2 stride-2 max pool of x (even H and W) from dy, or null where the kernel does
 *  not apply (off wasm; channels not in fours, its vector width). */
export function wasmMaxPool2Grad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D | null {
  if (x.shape[3] % 4 !== 0 || x.size === 0 || !available()) return null;
  return tf.engine().runKernel(MAX_POOL2_GRAD, { x, dy }) as tf.Tensor4D;
}

/**
 * One Adam update on the wasm backend in one kernel (gradients.wat's adam): from the flat
 * moments m and v (the variables' sizes end to end), the gradients and the variables, the new
 * m, v and variables; or null off wasm. Constants are float32, as tfjs would round them.
 */
export function wasmAdam(
  m: tf.Tensor1D,
  v: tf.Tensor1D,
  grads: tf.Tensor[],
  vars: tf.Tensor[],
  c: { b1: number; b2: number; step: number; eps: number },
): { m: tf.Tensor1D; v: tf.Tensor1D; vars: tf.Tensor[] } | null {
  if (!available()) return null;
  const inputs: tf.NamedTensorMap = { m, v };
  grads.forEach((g, i) => (inputs[`g${i}`] = g));
  vars.forEach((x, i) => (inputs[`x${i}`] = x));
  const f = Math.fround;
  const attrs = {
    count: vars.length,
    b1: f(c.b1),
    c1: f(1 - c.b1),
    b2: f(c.b2),
    c2: f(1 - c.b2),
    step: f(c.step),
    eps: f(c.eps),
  };
  const [m2, v2, ...xs] = tf.engine().runKernel(ADAM, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { m: m2 as tf.Tensor1D, v: v2 as tf.Tensor1D, vars: xs };
}
