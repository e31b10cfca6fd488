import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { FlatAdam } from '../../src/engine/adam';
import { wasmAdam } from '../../src/engine/kernels/gradients';
import { Rng } from '../../src/core/rng';
import { configureWasm } from './support/wasmBackend';

// A small quadratic-plus-tanh objective over three variables of different shapes; both
// optimizers start from the same values and must move them identically.
function problem(seed: number) {
  const r = new Rng(seed);
  const vals = (n: number) => Float32Array.from({ length: n }, () => r.normal());
  const init = { a: vals(6), b: vals(4), c: vals(1) };
  const target = vals(6);
  const make = () => [
    tf.variable(tf.tensor2d(init.a, [2, 3])),
    tf.variable(tf.tensor1d(init.b)),
    tf.variable(tf.tensor1d(init.c)),
  ];
  const loss = (v: tf.Variable[]) => () =>
    tf.tidy(() => {
      const t = tf.tensor2d(target, [2, 3]);
      const x = tf.sum(tf.square(tf.sub(v[0], t)));
      const y = tf.sum(tf.tanh(tf.mul(v[1], v[2])));
      return tf.add(x, tf.mul(y, tf.sum(v[0]))) as tf.Scalar;
    });
  return { make, loss };
}

describe('FlatAdam', () => {
  beforeAll(async () => {
    configureWasm();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`moves the variables exactly as tf.train.adam does (${backend})`, async () => {
      await tf.setBackend(backend);
      const { make, loss } = problem(3);
      const ref = make(),
        mine = make();
      const tfAdam = tf.train.adam(0.05);
      const flat = new FlatAdam(mine, 0.05);
      for (let s = 0; s < 8; s++) {
        const g1 = tf.variableGrads(loss(ref), ref);
        tfAdam.applyGradients(g1.grads as unknown as Record<string, tf.Variable>);
        const g2 = tf.variableGrads(loss(mine), mine);
        flat.applyGradients(g2.grads);
        tf.dispose([g1.value, g2.value]);
        tf.dispose(g1.grads);
        tf.dispose(g2.grads);
      }
      for (let i = 0; i < ref.length; i++) {
        const a = await ref[i].data(),
          b = await mine[i].data();
        a.forEach((x, k) => expect(Math.abs(x - b[k])).toBeLessThan(1e-5));
        // and they did move
        expect(Math.abs(a[0] - (await make()[i].data())[0])).toBeGreaterThan(1e-3);
      }
      tfAdam.dispose();
      flat.dispose();
      tf.dispose([...ref, ...mine]);
    });
  }

  it("on wasm, our one-pass Adam kernel gives the bits tfjs's ops give, tails of 1 to 3 included", async () => {
    await tf.setBackend('wasm');
    const r = new Rng(11);
    const sizes = [6, 4, 1, 7, 2];
    const total = sizes.reduce((a, b) => a + b, 0);
    const vec = (n: number, scale = 1) => tf.tensor1d(Float32Array.from({ length: n }, () => scale * r.normal()));
    const m = vec(total, 0.1),
      v = tf.abs(vec(total, 0.01)) as tf.Tensor1D;
    const grads = sizes.map((n) => vec(n));
    const xs = sizes.map((n) => vec(n));
    const c = { b1: 0.9, b2: 0.999, step: 0.0123, eps: 3e-8 };
    const own = wasmAdam(m, v, grads, xs, c)!;
    expect(own).not.toBeNull();
    // FlatAdam's arithmetic with tfjs's ops, in the same order
    const g = tf.concat(grads);
    const m2 = tf.add(tf.mul(m, c.b1), tf.mul(g, 1 - c.b1));
    const v2 = tf.add(tf.mul(v, c.b2), tf.mul(tf.square(g), 1 - c.b2));
    const x2 = tf.sub(tf.concat(xs), tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), c.eps)), c.step));
    expect(Array.from(await own.m.data())).toEqual(Array.from(await m2.data()));
    expect(Array.from(await own.v.data())).toEqual(Array.from(await v2.data()));
    expect(Array.from(await tf.concat(own.vars).data())).toEqual(Array.from(await x2.data()));
    tf.dispose([m, v, g, m2, v2, x2, own.m, own.v, ...own.vars, ...grads, ...xs]);
    await tf.setBackend('cpu');
  });

  it('saved moments restore the same trajectory, and nothing leaks', async () => {
    await tf.setBackend('cpu');
    const { make, loss } = problem(5);
    const vars = make();
    const opt = new FlatAdam(vars, 0.02);
    const step = (o: FlatAdam, v: tf.Variable[]) => {
      const g = tf.variableGrads(loss(v), v);
      o.applyGradients(g.grads);
      g.value.dispose();
      tf.dispose(g.grads);
    };
    for (let s = 0; s < 3; s++) step(opt, vars);
    const saved = await opt.moments();
    expect(saved.iterations).toBe(3);
    expect(saved.first.map((f) => f.length)).toEqual([6, 4, 1]);
    const copy = vars.map((v) => tf.variable(v.clone()));
    const opt2 = new FlatAdam(copy, 0.02);
    opt2.setMoments(saved);
    const before = tf.memory().numTensors;
    step(opt, vars);
    step(opt2, copy);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < vars.length; i++)
      expect(Array.from(await copy[i].data())).toEqual(Array.from(await vars[i].data()));
    expect(() => opt2.setMoments({ iterations: 1, first: [new Float32Array(2)], second: [] })).toThrow(/values/);
    opt.dispose();
    opt2.dispose();
    tf.dispose([...vars, ...copy]);
  });
});
