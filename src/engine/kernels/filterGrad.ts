// dL/dW of a convolution on the wasm backend, computed by our own WebAssembly SIMD kernel
// (filterGrad.wat) instead of tfjs's ops.
//
// Why: every product tfjs-backend-wasm runs on XNNPACK first packs the operand it treats as the
// weights, and caches that packing by tensor. For a layer's weights that pays; in dW both
// operands are activations, new every step, so the packing is paid each time, at ~9 ns a value:
// for conv1's dW at 512 images the product took 66 ms with a fresh dy and 9 ms with a reused
// one (measured in Node). The kernel reads the padded input and dy as they lie and multiplies
// them directly. Measured in Node at 128 images (the reference model's N = 64), each against
// the forward-conv form it replaces: 28x28x1 -> 16, 28.4 -> 5.2 ms; 14x14x16 -> 32, 25.1 ->
// 12.0 ms; Shapes' 8x8x32 -> 64, 25.2 -> 15.6 ms.

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { filterGradWasm } from './filterGradWasm';

interface Kernel {
  memory: WebAssembly.Memory;
  filterGrad(xp: number, dy: number, out: number, n: number, hp: number, wp: number, cin: number,
    ho: number, wo: number, cout: number, k: number, s: number): void;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel === undefined) {
    try {
      const bytes = Uint8Array.from(atob(filterGradWasm), (c) => c.charCodeAt(0));
      kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Kernel;
    } catch {
      kernel = null; // no WebAssembly SIMD here: the caller's forward-conv form serves
    }
  }
  return kernel;
}

/** Whether the kernel can take this gradient: wasm tensors, and output channels in eights (its tile). */
export function wasmFilterGradApplies(cout: number): boolean {
  return tf.getBackend() === 'wasm' && cout % 8 === 0 && load() !== null;
}

const align16 = (floats: number) => Math.ceil(floats / 4) * 4;

/**
 * dW [k, k, cin, cout] of a stride-s convolution of x [n, h, w, cin] giving dy [n, ho, wo, cout],
 * x padded by pad = [[top, bottom], [left, right]]. Only when wasmFilterGradApplies.
 */
export function wasmFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, s: number, pad: [[number, number], [number, number]]): tf.Tensor4D {
  const K = load();
  if (!K) throw new Error('wasmFilterGrad: WebAssembly SIMD is not available');
  const backend = tf.backend() as BackendWasm;
  const [n, h, w, cin] = x.shape;
  const [, ho, wo, cout] = dy.shape;
  const hp = h + pad[0][0] + pad[0][1];
  const wp = w + pad[1][0] + pad[1][1];
  const xpAt = 0;
  const dyAt = align16(n * hp * wp * cin);
  const outAt = dyAt + align16(dy.size);
  const outSize = k * k * cin * cout;
  const bytes = (outAt + outSize) * 4;
  if (K.memory.buffer.byteLength < bytes) K.memory.grow(Math.ceil((bytes - K.memory.buffer.byteLength) / 65536));
  const mem = new Float32Array(K.memory.buffer);
  // The padded input is written row by row into the kernel's memory: cheaper than tf.pad and a copy.
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  mem.fill(0, xpAt, dyAt);
  const row = w * cin;
  for (let img = 0; img < n; img++) {
    for (let r = 0; r < h; r++) {
      const from = (img * h + r) * row;
      mem.set(xs.subarray(from, from + row), xpAt + ((img * hp + r + pad[0][0]) * wp + pad[1][0]) * cin);
    }
  }
  mem.set(backend.typedArrayFromHeap(dy) as Float32Array, dyAt);
  K.filterGrad(xpAt * 4, dyAt * 4, outAt * 4, n, hp, wp, cin, ho, wo, cout, k, s);
  return tf.tensor4d(mem.slice(outAt, outAt + outSize), [k, k, cin, cout]);
}
