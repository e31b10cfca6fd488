// The GPU path checked against the cpu path in the browser, where our WGSL and GLSL programs
// (ops/wgslPrograms.ts, ops/glslPrograms.ts) really run: the unit tests can only run their
// formulas, on cpu kernels. Same weights, same views, same gradients on both backends; the
// benchmark page reports the largest relative differences and tests/e2e/dispatches.spec.ts
// bounds them.

import * as tf from '@tensorflow/tfjs';
import { FlatAdam } from './adam';
import { buildEncoder } from './model';
import { lossAndGrads } from './step';
import type { ModelId } from '../core/settings';

export interface GpuCheck {
  /** |loss_gpu - loss_cpu| / max(1, |loss_cpu|). */
  loss: number;
  /** Largest over variables of max |g_gpu - g_cpu| / max |g_cpu|. */
  grads: number;
  /** After three Adam updates from the same gradients: largest over variables of
   *  max |w_gpu - w_cpu| / max |w_cpu - w_start|, and the same for both moments. */
  weights: number;
  moments: number;
}

const SHAPE = { height: 28, width: 28, channels: 1, embeddingDim: 32 };

interface Side {
  loss: number;
  grads: Float32Array[];
  start: Float32Array[];
  weights: Float32Array[];
  first: Float32Array[];
  second: Float32Array[];
}

async function runOn(backend: string, model: ModelId, views: Float32Array, n: number): Promise<Side> {
  await tf.setBackend(backend);
  const enc = buildEncoder(model, SHAPE, 0);
  const [v1, v2] = [0, 1].map((k) => tf.tensor4d(views.subarray(k * n * 784, (k + 1) * n * 784), [n, 28, 28, 1]));
  const { value, grads, z } = lossAndGrads(enc, v1, v2, { loss: 'ntxent', temperature: 0.1 });
  const loss = (await value.data())[0];
  const g = await Promise.all(enc.variables.map((v) => grads[v.name].data() as Promise<Float32Array>));
  tf.dispose([v1, v2, value, z]);
  tf.dispose(grads);
  const start = await Promise.all(enc.variables.map((v) => v.data() as Promise<Float32Array>));
  // Adam from gradients both sides share (seeded, made on the host; a seed of 0 means none), so
  // a gradient's rounding cannot flip the sign of an update: what differs is Adam's arithmetic.
  const opt = new FlatAdam(enc.variables, 1e-3);
  for (let s = 0; s < 3; s++) {
    const gs: tf.NamedTensorMap = {};
    enc.variables.forEach((v, i) => (gs[v.name] = tf.randomNormal(v.shape, 0, 1, 'float32', 1 + 100 * s + i)));
    opt.applyGradients(gs);
    tf.dispose(gs);
  }
  const weights = await Promise.all(enc.variables.map((v) => v.data() as Promise<Float32Array>));
  const { first, second } = await opt.moments();
  opt.dispose();
  enc.dispose();
  return { loss, grads: g, start, weights, first, second };
}

function maxAbs(a: Float32Array, b?: Float32Array): number {
  let m = 0;
  a.forEach((v, i) => (m = Math.max(m, Math.abs(v - (b ? b[i] : 0)))));
  return m;
}

/** Largest over variables of max |a - b| / max |b - base| (base: zero when not given). */
function relative(a: Float32Array[], b: Float32Array[], base?: Float32Array[]): number {
  return Math.max(...a.map((x, i) => maxAbs(x, b[i]) / Math.max(1e-12, maxAbs(b[i], base?.[i]))));
}

/** One step of `model` on the current backend and on cpu, from the same weights and views
 *  (2n images of 28x28 in [0, 1], view 1 then view 2); the backend is current again after. */
export async function checkAgainstCpu(model: ModelId, views: Float32Array, n: number): Promise<GpuCheck> {
  const gpu = tf.getBackend();
  const a = await runOn(gpu, model, views, n);
  let b: Side;
  try {
    b = await runOn('cpu', model, views, n);
  } finally {
    await tf.setBackend(gpu);
  }
  return {
    loss: Math.abs(a.loss - b.loss) / Math.max(1, Math.abs(b.loss)),
    grads: relative(a.grads, b.grads),
    weights: relative(a.weights, b.weights, b.start),
    moments: Math.max(relative(a.first, b.first), relative(a.second, b.second)),
  };
}
