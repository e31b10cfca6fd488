// Convolution and 2x2 max pooling whose gradients are built only from forward ops.
//
// Why: tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel at all, and its
// `Conv2DBackpropInput` and `MaxPoolGrad` are slow scalar loops, so a stock tfjs CNN cannot
// train on wasm (docs/decisions/0003 has the figures). Here dx is a forward `Conv2D`, which wasm
// runs on XNNPACK; dW, a strided conv's dx and the pool gradient are our own SIMD kernels on
// wasm (kernels/gradients.ts says why), elsewhere forward `Conv2D`s and an equality mask. Only
// ops that every backend has (conv2d with dilations, pad, reshape, transpose, reverse, slice,
// sub, step, mul, div, maxPool, avgPool, 5-D broadcasting) are used, so the same code runs on
// wasm, webgl, webgpu and cpu; tests/unit/convGrad.test.ts checks the gradients against
// tf.conv2d's and tf.maxPool's own.
//
// Layout: NHWC input [n, h, w, cin]; filter [k, k, cin, cout] with odd k; TF 'same' padding:
//   out = ceil(size / s), padTotal = max((out - 1) * s + k - size, 0),
//   padBefore = floor(padTotal / 2), padAfter = padTotal - padBefore.
//
// Notation for the gradients (one spatial axis; the other is the same): xp = x padded by
// (before, after), length (out - 1) * s + k; y[i] = sum_a xp[s*i + a] * w[a].
//   dW[a] = sum_i xp[s*i + a] * dy[i]: a 'valid' stride-1 conv of xp with dy as the filter,
//           dilated by s (batch and channel axes swapped so the sum over n is the channel sum).
//   dx[p] = sum_{i,a: s*i + a = p + before} dy[i] * w[a]: a 'valid' stride-1 conv of
//           dy zero-interleaved by s (then padded by k-1-before in front and to length
//           size+k-1) with w flipped in space and its in/out channels swapped.
// For s = 1 the dx conv is exactly 'same' and the dilation is 1.

import * as tf from '@tensorflow/tfjs';
import { stockGradients } from './stockGradients';
import { wasmFilterGrad, wasmInputGrad, wasmMaxPool2Grad } from '../kernels/gradients';

type Pad2 = [number, number];

/** TF 'same' padding along one axis: [before, after]. */
export function samePadding(size: number, k: number, stride: number): Pad2 {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Inserts s-1 zeros after every row and column: [n, h, w, c] -> [n, s*h, s*w, c]. Only 4D ops. */
function interleaveZeros(t: tf.Tensor4D, s: number): tf.Tensor4D {
  const [n, h, w, c] = t.shape;
  // columns: view as [n*h, w, 1, c], pad the unit axis to s
  let a: tf.Tensor4D = tf.reshape(t, [n * h, w, 1, c]);
  a = tf.pad(a, [
    [0, 0],
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  // rows: view as [n, h, 1, s*w*c], pad the unit axis to s
  a = tf.reshape(a, [n, h, 1, s * w * c]);
  a = tf.pad(a, [
    [0, 0],
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  return tf.reshape(a, [n, s * h, s * w, c]);
}

/** dL/dx of a 'same' conv, as a forward conv. */
function convInputGrad(dy: tf.Tensor4D, w: tf.Tensor4D, xShape: number[], s: number): tf.Tensor4D {
  const [, h, wd] = xShape;
  const k = w.shape[0];
  const [top] = samePadding(h, k, s);
  const [left] = samePadding(wd, k, s);
  const fromKernel = s === 1 ? null : wasmInputGrad(dy, w, xShape, s, top, left);
  if (fromKernel) return fromKernel;
  // w flipped in space, in/out channels swapped: [k, k, cout, cin]
  const wT = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  if (s === 1) return tf.conv2d(dy, wT, 1, 'same');
  const d = interleaveZeros(dy, s); // [n, s*ho, s*wo, cout]
  // want front = k-1-before and total length size+k-1; d already has s-1 trailing zeros.
  const extraH = h + top - s * dy.shape[1];
  const extraW = wd + left - s * dy.shape[2];
  let p: tf.Tensor4D = tf.pad(d, [
    [0, 0],
    [k - 1 - top, Math.max(extraH, 0)],
    [k - 1 - left, Math.max(extraW, 0)],
    [0, 0],
  ]);
  if (extraH < 0 || extraW < 0) {
    // never for k = 3 or 5 with s = 2 (extra is 0 or 1), kept for other k
    p = tf.slice(p, [0, 0, 0, 0], [-1, h + k - 1, wd + k - 1, -1]);
  }
  return tf.conv2d(p, wT, 1, 'valid');
}

/** dL/dW of a 'same' conv: our SIMD kernel on wasm, where XNNPACK would first re-pack one of
 *  these two fresh activations; elsewhere a forward conv (dilated by the stride). */
function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, s: number): tf.Tensor4D {
  const [, h, wd] = x.shape;
  const pad: [Pad2, Pad2] = [samePadding(h, k, s), samePadding(wd, k, s)];
  const fromKernel = wasmFilterGrad(x, dy, k, s, pad);
  if (fromKernel) return fromKernel;
  const xp = tf.pad(x, [[0, 0], pad[0], pad[1], [0, 0]]);
  const xT = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D; // [cin, hp, wp, n]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [ho, wo, n, cout]
  const r = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', s); // [cin, k, k, cout]
  return tf.transpose(r, [1, 2, 0, 3]) as tf.Tensor4D; // [k, k, cin, cout]
}

const convCustom = (stride: 1 | 2, inputGrad: boolean) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, w4]);
    return {
      value: tf.conv2d(x4, w4, stride, 'same'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dy4 = dy as tf.Tensor4D;
        return tf.tidy(() => [
          inputGrad ? convInputGrad(dy4, ws, xs.shape, stride) : tf.zerosLike(xs),
          convFilterGrad(xs, dy4, ws.shape[0], stride),
        ]);
      },
    };
  });

const convs = {
  s1: convCustom(1, true),
  s2: convCustom(2, true),
  s1NoDx: convCustom(1, false),
  s2NoDx: convCustom(2, false),
};

export interface ConvOptions {
  /** false: skip dL/dx (it comes back as zeros). Only for an input that is data, e.g. the
   *  first layer's images, where it is wasted work. */
  inputGrad?: boolean;
}

/**
 * 2D convolution, NHWC, 'same' padding, filter [k, k, cin, cout] with odd k, stride 1 or 2.
 * Same values as tf.conv2d(x, w, stride, 'same'); its gradients are forward convolutions.
 * For stride 2, dx convolves a zero-interleaved dy (4x the multiply-adds of a native
 * backprop-input kernel, 3/4 of them on zeros) and dW uses a dilation-2 conv.
 */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: 1 | 2, opts: ConvOptions = {}): tf.Tensor4D {
  const k = w.shape[0];
  if (w.shape[1] !== k || k % 2 !== 1) throw new Error(`conv2d: filter must be square with odd size, got ${w.shape}`);
  if (w.shape[2] !== x.shape[3])
    throw new Error(`conv2d: input has ${x.shape[3]} channels, filter expects ${w.shape[2]}`);
  if (stride !== 1 && stride !== 2) throw new Error(`conv2d: stride must be 1 or 2, got ${stride}`);
  if (stockGradients()) return tf.conv2d(x, w, stride, 'same');
  const dx = opts.inputGrad ?? true;
  const f = stride === 1 ? (dx ? convs.s1 : convs.s1NoDx) : dx ? convs.s2 : convs.s2NoDx;
  return f(x, w) as tf.Tensor4D;
}

const pool = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x4, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
  const y = tf.maxPool(x4, 2, 2, 'valid');
  save([x4, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [xs, ys] = saved as [tf.Tensor4D, tf.Tensor4D];
        const fromKernel = wasmMaxPool2Grad(xs, dy as tf.Tensor4D);
        if (fromKernel) return fromKernel;
        const [n, h, w, c] = xs.shape;
        const hh = h / 2,
          wh = w / 2;
        // x as [n*hh, 2 (row in window), wh, 2 (column in window), c]; a pooled tensor as
        // [n*hh, 1, wh, 1, c] broadcasts over both window axes in sub and mul, which XNNPACK
        // does at full speed (a concat to spread it is far slower there).
        const window = [n * hh, 1, wh, 1, c];
        const xw = tf.reshape(xs, [n * hh, 2, wh, 2, c]);
        // window max - x >= 0, and exactly 0 where x is the max: mask = 1 - step(max - x)
        const mask = tf.sub(1, tf.step(tf.sub(tf.reshape(ys, window), xw)));
        // number of maxima per window: 1 unless tied (exact in float32), never 0, since the
        // max is one of the window's own values
        const count = tf.mul(tf.avgPool(tf.reshape(mask, [n, h, w, c]) as tf.Tensor4D, 2, 2, 'valid'), 4);
        const g = tf.mul(mask, tf.reshape(tf.div(dy, count), window));
        return tf.reshape(g, [n, h, w, c]);
      }),
  };
});

/**
 * 2x2 max pooling, stride 2, on even H and W: same values as tf.maxPool(x, 2, 2, 'valid').
 * The gradient avoids the MaxPoolGrad kernel: dy goes to the window's maximum through an
 * equality mask. Ties (exactly equal maxima in a window) share dy equally, a valid
 * subgradient; tf's MaxPoolGrad gives all of it to one of them instead. After a ReLU the
 * usual tie is an all-zero window, whose gradient the ReLU zeroes either way.
 */
export function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`maxPool2: H and W must be even, got ${h}x${w}`);
  if (stockGradients()) return tf.maxPool(x, 2, 2, 'valid');
  return pool(x) as tf.Tensor4D;
}
