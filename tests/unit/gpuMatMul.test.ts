import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MAT_MUL } from '../../src/engine/ops/gpuMatMul';
import { Rng } from '../../src/core/rng';

// WebGL's product of our own (ops/gpuMatMul.ts), its formula run as a cpu kernel, against tfjs's
// product, bias and ReLU. The GLSL program itself is checked in the browser
// (tests/e2e/dispatches.spec.ts, through the whole step on WebGL against cpu).

function randn(shape: number[], seed: number): tf.Tensor {
  const r = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()),
    shape,
  );
}

describe('CpMatMul', () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`equals tf.matMul (+ bias, relu) with transposeA ${ta}, transposeB ${tb}`, async () => {
      await tf.setBackend('cpu');
      const a = randn(ta ? [7, 5] : [5, 7], 1) as tf.Tensor2D;
      const b = randn(tb ? [3, 7] : [7, 3], 2) as tf.Tensor2D;
      const bias = randn([3], 3) as tf.Tensor1D;
      const ref = tf.matMul(a, b, ta, tb);
      for (const [withBias, relu] of [
        [false, 0],
        [true, 0],
        [true, 1],
      ] as const) {
        const attrs = { transposeA: +ta, transposeB: +tb, relu } as unknown as tf.NamedAttrMap;
        const mine = tf.engine().runKernel(MAT_MUL, withBias ? { a, b, bias } : { a, b }, attrs) as tf.Tensor;
        let want = withBias ? tf.add(ref, bias) : ref;
        if (relu) want = tf.relu(want);
        expect(mine.shape).toEqual([5, 3]);
        const [x, y] = [await mine.data(), await want.data()];
        x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(1e-5));
        if (relu) expect(Array.from(x).some((v) => v === 0)).toBe(true);
      }
    });
  }
});
