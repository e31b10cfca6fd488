import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { FlatAdam } from '../../src/engine/adam';
import { ADAM_GROUP, reluMask } from '../../src/engine/ops/fusedKernels';
import { Rng } from '../../src/core/rng';
import { useGpuPathOnCpu } from './support/gpuPathOnCpu';

// Our own GPU kernels' formulas (ops/fusedKernels.ts, run here as cpu kernels) against the stock
// ops they replace. NT-Xent's are checked in gpuPath.test.ts; the WGSL and GLSL programs
// themselves against the cpu backend in the browser (tests/e2e/dispatches.spec.ts).

function values(n: number, seed: number): Float32Array {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('reluMask', () => {
  it('is dy * step(y): zero where y <= 0, dy elsewhere', async () => {
    await tf.setBackend('cpu');
    const y = tf.tensor2d([...values(10, 1), 0, -0, 1e-30, -1e-30, 3, 0], [4, 4]);
    const dy = tf.tensor2d(values(16, 2), [4, 4]);
    const mine = reluMask(dy, y);
    expect(mine.shape).toEqual([4, 4]);
    // (+ 0: a negative dy times a zero step is -0, which toEqual tells from 0)
    const plain = async (t: tf.Tensor) => Array.from(await t.data(), (v) => v + 0);
    expect(await plain(mine)).toEqual(await plain(tf.mul(dy, tf.step(y))));
    tf.dispose([y, dy, mine]);
  });
});

describe('FlatAdam on the GPU path (moments in groups, one program per variable)', () => {
  // More variables than one group holds, of several ranks, so offsets cross groups.
  const shapes = [[3, 3, 1, 4], [4], [6, 5], [5], [5, 2], [2], [2, 3], [3], [7]];

  async function run(path: 'cpu' | 'gpu', steps: number) {
    if (path === 'gpu') await useGpuPathOnCpu();
    else await tf.setBackend('cpu');
    const vars = shapes.map((s, i) => tf.variable(tf.tensor(values(tf.util.sizeFromShape(s), 10 + i), s)));
    const opt = new FlatAdam(vars, 0.05);
    for (let s = 0; s < steps; s++) {
      const grads: tf.NamedTensorMap = {};
      vars.forEach((v, i) => (grads[v.name] = tf.tensor(values(v.size, 100 * s + i), v.shape)));
      opt.applyGradients(grads);
      tf.dispose(grads);
    }
    return { vars, opt };
  }

  async function read(vars: tf.Variable[]) {
    return Promise.all(vars.map(async (v) => Array.from(await v.data())));
  }

  it('moves the variables as the stock path does and keeps the same moments', async () => {
    expect(shapes.length).toBeGreaterThan(ADAM_GROUP);
    const a = await run('cpu', 5);
    const wa = await read(a.vars);
    const ma = await a.opt.moments();
    const b = await run('gpu', 5);
    expect(tf.getBackend()).toBe('webgpu');
    const wb = await read(b.vars);
    const mb = await b.opt.moments();
    wa.forEach((w, i) => w.forEach((x, k) => expect(Math.abs(x - wb[i][k])).toBeLessThan(1e-6)));
    for (const which of ['first', 'second'] as const)
      ma[which].forEach((m, i) => m.forEach((x, k) => expect(Math.abs(x - mb[which][i][k])).toBeLessThan(1e-6)));
    // and they did move
    expect(Math.abs(wb[0][0] - values(36, 10)[0])).toBeGreaterThan(1e-2);
    for (const r of [a, b]) {
      r.opt.dispose();
      tf.dispose(r.vars);
    }
  });

  it('round-trips its moments and its snapshot, and leaks no tensor', async () => {
    const a = await run('gpu', 2);
    const saved = await a.opt.moments();
    expect(saved.first.map((m) => m.length)).toEqual(shapes.map((s) => tf.util.sizeFromShape(s)));
    const before = tf.memory().numTensors;
    const snap = a.opt.snapshot();
    const grads: tf.NamedTensorMap = {};
    a.vars.forEach((v, i) => (grads[v.name] = tf.tensor(values(v.size, 900 + i), v.shape)));
    a.opt.applyGradients(grads);
    tf.dispose(grads);
    const moved = await a.opt.moments();
    expect(moved.first[3]).not.toEqual(saved.first[3]);
    a.opt.restore(snap);
    a.opt.disposeSnapshot(snap);
    expect(tf.memory().numTensors).toBe(before);
    expect(await a.opt.moments()).toEqual(saved);
    a.opt.setMoments(moved);
    expect(await a.opt.moments()).toEqual(moved);
    expect(() => a.opt.setMoments({ ...saved, second: saved.second.slice(1) })).toThrow(/values/);
    a.opt.dispose();
    tf.dispose(a.vars);
  });
});
