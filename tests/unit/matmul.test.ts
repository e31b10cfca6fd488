import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { biasAdd, matMul } from '../../src/engine/ops/matmul';
import { Rng } from '../../src/core/rng';
import { configureWasm } from './support/wasmBackend';

const rand = (shape: [number, number], seed: number) => {
  const r = new Rng(seed);
  return tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => r.normal()),
    shape,
  );
};

async function valueAndGrads(f: typeof matMul, ta: boolean, tb: boolean) {
  const a = rand(ta ? [7, 5] : [5, 7], 1),
    b = rand(tb ? [3, 7] : [7, 3], 2),
    w = rand([5, 3], 3);
  const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb), w)));
  const y = f(a, b, ta, tb);
  const [da, db] = g([a, b]);
  const out = {
    y: (await y.array()) as number[][],
    da: (await da.array()) as number[][],
    db: (await db.array()) as number[][],
  };
  tf.dispose([a, b, w, y, da, db]);
  return out;
}

const native = (a: tf.Tensor2D, b: tf.Tensor2D, ta = false, tb = false) => tf.matMul(a, b, ta, tb) as tf.Tensor2D;

function close(x: number[][], y: number[][], tol: number) {
  x.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - y[i][j])).toBeLessThan(tol)));
}

describe('matMul with explicit transposes', () => {
  beforeAll(async () => {
    configureWasm();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    it(`value and gradients equal tf.matMul's (transposeA=${ta}, transposeB=${tb}), cpu and wasm`, async () => {
      await tf.setBackend('cpu');
      const ref = await valueAndGrads(native, ta, tb);
      const cpu = await valueAndGrads(matMul, ta, tb);
      await tf.setBackend('wasm');
      const wasm = await valueAndGrads(matMul, ta, tb); // runs as a 1x1 convolution here
      for (const got of [cpu, wasm]) {
        close(got.y, ref.y, 1e-4);
        close(got.da, ref.da, 1e-4);
        close(got.db, ref.db, 1e-4);
      }
    });
  }

  it('leaks nothing', async () => {
    await tf.setBackend('wasm');
    await valueAndGrads(matMul, false, true);
    const before = tf.memory().numTensors;
    await valueAndGrads(matMul, true, false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('biasAdd: value and gradients equal tf.add with broadcasting, cpu and wasm, 2-D and 4-D', async () => {
    for (const shape of [
      [6, 5],
      [2, 3, 4, 5],
    ]) {
      const run = async (f: (x: tf.Tensor, b: tf.Tensor1D) => tf.Tensor) => {
        const r = new Rng(9);
        const size = shape.reduce((a, b) => a * b, 1);
        const x = tf.tensor(
          Float32Array.from({ length: size }, () => r.normal()),
          shape,
        );
        const w = tf.tensor(
          Float32Array.from({ length: size }, () => r.normal()),
          shape,
        );
        const b = tf.tensor1d(Float32Array.from({ length: 5 }, () => r.normal()));
        const [dx, db] = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx, bb as tf.Tensor1D), w)))([
          x,
          b,
        ]);
        const y = f(x, b);
        const out = [Array.from(await y.data()), Array.from(await dx.data()), Array.from(await db.data())];
        tf.dispose([x, w, b, dx, db, y]);
        return out;
      };
      await tf.setBackend('cpu');
      const ref = await run((x, b) => tf.add(x, b));
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        const got = await run(biasAdd);
        got.forEach((arr, k) => arr.forEach((v, i) => expect(Math.abs(v - ref[k][i])).toBeLessThan(1e-4)));
      }
    }
  });
});
