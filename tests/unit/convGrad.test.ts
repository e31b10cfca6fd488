// Checks src/engine/ops/conv.ts: its conv2d and maxPool2 give tf.conv2d's and tf.maxPool's values
// and gradients, on the cpu backend and on the wasm backend (which has no Conv2DBackpropFilter
// kernel, the reason the module exists), and leak no tensors. Small tensors: the pure-JS cpu
// backend is far too slow in Node for anything the size of a training batch.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutKernelCalls } from '../../src/engine/kernels/gradients';
import { conv2d, maxPool2, samePadding } from '../../src/engine/ops/conv';
import { Rng } from '../../src/core/rng';
import { useBackend } from './support/wasmBackend';

// ---- data: plain arrays, so the same numbers can be loaded on any backend ----
interface Arr {
  shape: number[];
  data: Float32Array;
}

function randArr(shape: number[], seed: number): Arr {
  const rng = new Rng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { shape, data };
}

const t4 = (a: Arr) => tf.tensor4d(a.data, a.shape as [number, number, number, number]);

/** Runs f in a tensor scope: every tensor made inside is disposed; f returns plain arrays. */
function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}

function toArr(t: tf.Tensor): Arr {
  return { shape: t.shape.slice(), data: t.dataSync() as Float32Array };
}

/** max |a-b| / max(1, max |b|). Measured: at most 1.1e-6 on cpu and on wasm (XNNPACK), so
 *  the 1e-5 bounds below have a 10x margin. */
function relErr(a: Arr, ref: Arr): number {
  expect(a.shape).toEqual(ref.shape);
  let diff = 0,
    scale = 1;
  for (let i = 0; i < ref.data.length; i++) {
    diff = Math.max(diff, Math.abs(a.data[i] - ref.data[i]));
    scale = Math.max(scale, Math.abs(ref.data[i]));
  }
  return diff / scale;
}

// ---- the cases ----
interface Case {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: 3 | 5;
  s: 1 | 2;
}
const CASES: Case[] = [
  { n: 2, h: 7, w: 7, cin: 1, cout: 4, k: 3, s: 1 },
  { n: 2, h: 7, w: 7, cin: 3, cout: 2, k: 3, s: 2 },
  { n: 2, h: 8, w: 8, cin: 2, cout: 3, k: 3, s: 1 },
  { n: 2, h: 8, w: 8, cin: 3, cout: 5, k: 3, s: 2 },
  { n: 1, h: 7, w: 7, cin: 2, cout: 3, k: 5, s: 1 },
  { n: 1, h: 7, w: 7, cin: 4, cout: 2, k: 5, s: 2 },
  { n: 2, h: 8, w: 8, cin: 3, cout: 2, k: 5, s: 1 },
  { n: 2, h: 8, w: 8, cin: 2, cout: 4, k: 5, s: 2 },
  { n: 1, h: 6, w: 9, cin: 2, cout: 3, k: 3, s: 2 }, // non-square, mixed parity
  { n: 1, h: 9, w: 6, cin: 3, cout: 2, k: 5, s: 2 },
  { n: 2, h: 3, w: 3, cin: 2, cout: 2, k: 5, s: 1 }, // filter larger than the image
  { n: 2, h: 4, w: 3, cin: 2, cout: 2, k: 5, s: 2 },
  { n: 2, h: 28, w: 28, cin: 1, cout: 8, k: 3, s: 1 },
  { n: 2, h: 28, w: 28, cin: 3, cout: 4, k: 3, s: 2 },
  { n: 1, h: 14, w: 14, cin: 8, cout: 6, k: 5, s: 2 },
  { n: 1, h: 14, w: 14, cin: 6, cout: 8, k: 5, s: 1 },
  // On wasm, output channels in eights take dW from our SIMD kernel (kernels/filterGrad.wat):
  // a last tile of 1-3 taps (27, 25, 50 taps), odd and non-square sizes, stride 2, a filter
  // larger than the image, and the reference model's second layer.
  { n: 2, h: 7, w: 7, cin: 3, cout: 8, k: 3, s: 2 },
  { n: 1, h: 9, w: 6, cin: 1, cout: 16, k: 5, s: 2 },
  { n: 2, h: 3, w: 3, cin: 2, cout: 8, k: 5, s: 1 },
  { n: 2, h: 14, w: 14, cin: 16, cout: 32, k: 3, s: 1 },
  // ... and at stride 2 with input channels in sixteens, dx from another (the default model's
  // second layer; odd, non-square, k5; two tiles of sixteen).
  { n: 2, h: 14, w: 14, cin: 16, cout: 32, k: 3, s: 2 },
  { n: 1, h: 7, w: 9, cin: 16, cout: 8, k: 5, s: 2 },
  { n: 2, h: 8, w: 8, cin: 32, cout: 16, k: 3, s: 2 },
];
const name = (c: Case) => `${c.n}x${c.h}x${c.w}x${c.cin} -> ${c.cout}, k${c.k} s${c.s}`;

interface ConvData {
  x: Arr;
  w: Arr;
  r: Arr;
}
function convData(c: Case, seed: number): ConvData {
  const ho = Math.ceil(c.h / c.s),
    wo = Math.ceil(c.w / c.s);
  return {
    x: randArr([c.n, c.h, c.w, c.cin], seed),
    w: randArr([c.k, c.k, c.cin, c.cout], seed + 1),
    r: randArr([c.n, ho, wo, c.cout], seed + 2),
  };
}

type ConvFn = (x: tf.Tensor4D, w: tf.Tensor4D, s: 1 | 2) => tf.Tensor4D;
const nativeConv: ConvFn = (x, w, s) => tf.conv2d(x, w, s, 'same');
const ourConv: ConvFn = conv2d;

/** y, dL/dx, dL/dW for L = sum(conv(x, w) * r) on the current backend. */
function convGrads(fn: ConvFn, c: Case, d: ConvData): { y: Arr; dx: Arr; dw: Arr } {
  return scoped(() => {
    const x = t4(d.x),
      w = t4(d.w),
      r = t4(d.r);
    const y = fn(x, w, c.s);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(fn(a as tf.Tensor4D, b as tf.Tensor4D, c.s), r)),
    )([x, w]);
    return { y: toArr(y), dx: toArr(dx), dw: toArr(dw) };
  });
}

/** y and dL/dx for L = sum(pool(x) * r). */
function poolGrads(fn: (x: tf.Tensor4D) => tf.Tensor4D, x0: Arr, r0: Arr): { y: Arr; dx: Arr } {
  return scoped(() => {
    const x = t4(x0),
      r = t4(r0);
    const y = fn(x);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(fn(a as tf.Tensor4D), r)))(x);
    return { y: toArr(y), dx: toArr(dx) };
  });
}
const nativePool = (x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'valid');
// On wasm, channels in fours take the gradient from our SIMD kernel (kernels/gradients.wat).
const POOL_SHAPES: number[][] = [
  [2, 8, 8, 3],
  [1, 2, 2, 1],
  [2, 28, 28, 4],
  [1, 6, 10, 2],
  [1, 6, 10, 8],
  [3, 4, 2, 12],
];

async function use(backend: 'cpu' | 'wasm'): Promise<void> {
  expect(await useBackend(backend)).toBe(true);
}

describe('samePadding', () => {
  it('matches TF: pad_total = max((ceil(H/s)-1)*s + k - H, 0), pad_before = floor(pad_total/2)', () => {
    expect(samePadding(7, 3, 1)).toEqual([1, 1]);
    expect(samePadding(8, 3, 2)).toEqual([0, 1]);
    expect(samePadding(7, 3, 2)).toEqual([1, 1]);
    expect(samePadding(8, 5, 2)).toEqual([1, 2]);
    expect(samePadding(28, 5, 1)).toEqual([2, 2]);
  });
});

describe('on the cpu backend: equals tf.conv2d and tf.maxPool', () => {
  beforeAll(async () => {
    await use('cpu');
  });

  CASES.forEach((c, i) => {
    it(`conv2d ${name(c)}: value, dx and dW`, () => {
      const d = convData(c, 100 + 10 * i);
      const ref = convGrads(nativeConv, c, d);
      const got = convGrads(ourConv, c, d);
      expect(relErr(got.y, ref.y)).toBeLessThan(1e-6);
      expect(relErr(got.dx, ref.dx)).toBeLessThan(1e-5);
      expect(relErr(got.dw, ref.dw)).toBeLessThan(1e-5);
    });
  });

  POOL_SHAPES.forEach((shape, i) => {
    it(`maxPool2 ${shape.join('x')}: value and gradient (no ties)`, () => {
      const x = randArr(shape, 500 + i);
      const r = randArr([shape[0], shape[1] / 2, shape[2] / 2, shape[3]], 600 + i);
      const ref = poolGrads(nativePool, x, r);
      const got = poolGrads(maxPool2, x, r);
      expect(relErr(got.y, ref.y)).toBe(0);
      expect(relErr(got.dx, ref.dx)).toBe(0);
    });
  });

  it('maxPool2 shares dy equally among tied maxima (the sum still equals dy)', () => {
    const x = tf.tensor4d([3, 3, 1, 3, /* */ 0, 0, 0, 0, /* */ 5, 1, 2, 4, /* */ 0, 0, 0, 0], [1, 4, 4, 1]);
    const dx = tf.grad((a: tf.Tensor) =>
      tf.sum(tf.mul(maxPool2(a as tf.Tensor4D), tf.tensor4d([6, 8, 12, 20], [1, 2, 2, 1]))),
    )(x);
    // windows: [3,3,0,0] -> 2 tied, [1,3,0,0] -> one, [5,1,0,0] -> one, [2,4,0,0] -> one
    expect(Array.from(dx.dataSync())).toEqual([3, 3, 0, 8, 0, 0, 0, 0, 12, 0, 0, 20, 0, 0, 0, 0]);
    const z = tf.grad((a: tf.Tensor) => tf.sum(maxPool2(a as tf.Tensor4D)))(tf.zeros([1, 2, 2, 1]));
    expect(Array.from(z.dataSync())).toEqual([0.25, 0.25, 0.25, 0.25]);
    tf.dispose([x, dx, z]);
  });

  it('inputGrad: false gives the same dW and a zero dx', () => {
    const c = CASES[3];
    const d = convData(c, 42);
    const full = convGrads(ourConv, c, d);
    const noDx = convGrads((x, w, s) => conv2d(x, w, s, { inputGrad: false }), c, d);
    expect(noDx.y.data).toEqual(full.y.data);
    expect(noDx.dw.data).toEqual(full.dw.data);
    expect(noDx.dx.data.every((v) => v === 0)).toBe(true);
  });

  it('rejects shapes it does not handle', () => {
    const x = tf.zeros([1, 5, 4, 2]) as tf.Tensor4D;
    const w2 = tf.zeros([2, 2, 2, 1]) as tf.Tensor4D;
    const w3 = tf.zeros([3, 3, 3, 1]) as tf.Tensor4D;
    expect(() => maxPool2(x)).toThrow(/even/);
    expect(() => conv2d(x, w2, 1)).toThrow(/odd/);
    expect(() => conv2d(x, w3, 1)).toThrow(/channels/);
    tf.dispose([x, w2, w3]);
  });
});

describe("on the wasm backend: matches the cpu backend's native gradients", () => {
  // references from the cpu backend, as plain arrays
  const refs: { y: Arr; dx: Arr; dw: Arr }[] = [];
  const poolRefs: { y: Arr; dx: Arr }[] = [];
  beforeAll(async () => {
    await use('cpu');
    CASES.forEach((c, i) => refs.push(convGrads(nativeConv, c, convData(c, 200 + 10 * i))));
    POOL_SHAPES.forEach((shape, i) => {
      const r = randArr([shape[0], shape[1] / 2, shape[2] / 2, shape[3]], 800 + i);
      poolRefs.push(poolGrads(nativePool, randArr(shape, 700 + i), r));
    });
    await use('wasm');
  });
  afterAll(async () => {
    await use('cpu');
  });

  it('native tf.conv2d cannot be differentiated for its filter on wasm (why conv.ts exists)', () => {
    const c = CASES[0];
    expect(() => convGrads(nativeConv, c, convData(c, 1))).toThrow(/Conv2DBackpropFilter.*not registered/);
  });

  CASES.forEach((c, i) => {
    it(`conv2d ${name(c)}: value, dx and dW`, () => {
      const got = convGrads(ourConv, c, convData(c, 200 + 10 * i));
      expect(relErr(got.y, refs[i].y)).toBeLessThan(1e-5);
      expect(relErr(got.dx, refs[i].dx)).toBeLessThan(1e-5);
      expect(relErr(got.dw, refs[i].dw)).toBeLessThan(1e-5);
    });
  });

  POOL_SHAPES.forEach((shape, i) => {
    it(`maxPool2 ${shape.join('x')}: value and gradient`, () => {
      const r = randArr([shape[0], shape[1] / 2, shape[2] / 2, shape[3]], 800 + i);
      const got = poolGrads(maxPool2, randArr(shape, 700 + i), r);
      expect(relErr(got.y, poolRefs[i].y)).toBe(0);
      expect(relErr(got.dx, poolRefs[i].dx)).toBe(0);
    });
  });

  // On the threaded build each kernel call is cut into blocks for the threads; the blocks,
  // run here one after another, must give exactly what one call gives.
  for (const parts of [2, 3, 5]) {
    it(`our kernels cut into ${parts} blocks give the same bits as one block`, () => {
      const run = () => [
        ...CASES.map((c, i) => convGrads(ourConv, c, convData(c, 200 + 10 * i))),
        ...POOL_SHAPES.map((shape, i) =>
          poolGrads(
            maxPool2,
            randArr(shape, 700 + i),
            randArr([shape[0], shape[1] / 2, shape[2] / 2, shape[3]], 800 + i),
          ),
        ),
      ];
      const whole = run();
      cutKernelCalls(parts);
      try {
        expect(run()).toEqual(whole);
      } finally {
        cutKernelCalls(null);
      }
    });
  }

  it('maxPool2 shares dy equally among tied maxima, four channels at a time', () => {
    // channel c of the window is [c, c, c, 1] (c = 0..3): 3 tied maxima for c >= 2, c = 1 all 4
    // tied, and c = 0 a lone maximum of 1; one window, dy = 12 in every channel
    const x = tf.tensor4d([0, 1, 2, 3, /* */ 0, 1, 2, 3, /* */ 0, 1, 2, 3, /* */ 1, 1, 1, 1], [1, 2, 2, 4]);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxPool2(a as tf.Tensor4D), 12)))(x);
    expect(Array.from(dx.dataSync())).toEqual([0, 3, 4, 4, /* */ 0, 3, 4, 4, /* */ 0, 3, 4, 4, /* */ 12, 3, 0, 0]);
    tf.dispose([x, dx]);
  });
});

describe('no leaks', () => {
  afterAll(async () => {
    await use('cpu');
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: tensor count is flat across repeated forward and gradient calls`, async () => {
      await use(backend);
      const { x, w1, w2, r } = tf.tidy(() => ({
        x: t4(randArr([2, 8, 8, 2], 900)),
        // 8 channels: on wasm both SIMD kernels run (filter gradient, pool gradient)
        w1: tf.variable(t4(randArr([3, 3, 2, 8], 901))),
        w2: tf.variable(t4(randArr([5, 5, 8, 8], 902))),
        r: t4(randArr([2, 2, 2, 8], 903)),
      }));
      // conv s1 -> relu -> pool -> conv s2, as a model would chain them
      const loss = () => tf.sum(tf.mul(conv2d(maxPool2(tf.relu(conv2d(x, w1, 1))), w2, 2), r)) as tf.Scalar;
      const step = () => {
        const { value, grads } = tf.variableGrads(loss);
        const g = tf.grads((a: tf.Tensor) => tf.sum(conv2d(maxPool2(a as tf.Tensor4D), w1, 1)))([x]);
        tf.dispose([value, ...Object.values(grads), ...g]);
      };
      step(); // warm-up: anything cached on first use
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors).toBe(before);
      // a plain forward call (no tape) adds exactly its output
      const y = conv2d(x, w1, 2);
      const p = maxPool2(y);
      expect(tf.memory().numTensors).toBe(before + 2);
      tf.dispose([y, p, x, r, w1, w2]);
    });
  }
});
