import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { FlatAdam } from '../../src/engine/adam';
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
