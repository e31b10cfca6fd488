import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { FlatAdam } from '../../src/engine/adam';
import { buildEncoder } from '../../src/engine/model';
import { normalizeRows, ntXentNormalized } from '../../src/engine/ops/gpuLoss';
import { convBiasAct, denseBiasAct } from '../../src/engine/ops/gpuLayers';
import { l2Normalize, ntXentLoss } from '../../src/engine/ops/losses';
import { lossAndGrads } from '../../src/engine/step';
import { Rng } from '../../src/core/rng';
import { useGpuPathOnCpu } from './support/gpuPathOnCpu';

// The GPU backends' step (fused layers, NT-Xent with its gradient written out, fewer programs)
// must train exactly the function the wasm and cpu path trains. Both run here on cpu kernels;
// the GPU path under the name 'webgpu' (support/gpuPathOnCpu.ts).

function randn(shape: number[], seed: number): tf.Tensor {
  const r = new Rng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()),
    shape,
  );
}

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = [await a.data(), await b.data()];
  expect(x.length).toBe(y.length);
  let m = 0;
  x.forEach((v, i) => {
    m = Math.max(m, Math.abs(v - y[i]));
  });
  return m;
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('NT-Xent with its gradient written out', () => {
  for (const tau of [0.5, 0.1, 0.01]) {
    it(`equals ntXentLoss(l2Normalize) in value and gradient at tau ${tau}`, async () => {
      await tf.setBackend('cpu');
      const z = randn([12, 5], 7) as tf.Tensor2D;
      const ref = tf.valueAndGrad((x: tf.Tensor) => {
        const [a, b] = tf.split(x as tf.Tensor2D, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
        return ntXentLoss(a, b, tau);
      })(z);
      const mine = tf.valueAndGrad((x: tf.Tensor) => ntXentNormalized(normalizeRows(x as tf.Tensor2D), tau))(z);
      const v0 = (await ref.value.data())[0],
        v1 = (await mine.value.data())[0];
      expect(Math.abs(v0 - v1)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v0)));
      const scale = Math.max(...Array.from(await tf.abs(ref.grad).data()));
      expect(scale).toBeGreaterThan(0);
      expect(await maxAbsDiff(ref.grad, mine.grad)).toBeLessThan(1e-4 * Math.max(1, scale));
      tf.dispose([z, ref.value, ref.grad, mine.value, mine.grad]);
    });
  }

  it('normalizeRows matches l2Normalize, its gradient too, and keeps a zero row at zero', async () => {
    await tf.setBackend('cpu');
    const z = tf.concat([randn([3, 4], 3), tf.zeros([1, 4])]) as tf.Tensor2D;
    const w = randn([4, 4], 4);
    const f = (norm: (x: tf.Tensor2D) => tf.Tensor2D) =>
      tf.valueAndGrad((x: tf.Tensor) => tf.sum(tf.mul(norm(x as tf.Tensor2D), w)))(z);
    const ref = f(l2Normalize),
      mine = f(normalizeRows);
    expect(await maxAbsDiff(ref.grad, mine.grad)).toBeLessThan(1e-5);
    expect(await maxAbsDiff(l2Normalize(z), normalizeRows(z))).toBeLessThan(1e-6);
    expect(Array.from(await normalizeRows(z).slice([3, 0], [1, 4]).data())).toEqual([0, 0, 0, 0]);
  });
});

describe('fused layers', () => {
  it('convBiasAct equals relu(conv2d + b) in value and in all three gradients (stride 1 and 2)', async () => {
    await tf.setBackend('cpu');
    for (const stride of [1, 2] as const) {
      const x = randn([2, 6, 6, 3], 11) as tf.Tensor4D,
        w = randn([3, 3, 3, 4], 12) as tf.Tensor4D,
        b = randn([4], 13) as tf.Tensor1D;
      const up = randn([2, 6 / stride, 6 / stride, 4], 14);
      const loss = (f: (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor) =>
        tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(f(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D), up)),
        );
      const ref = loss((xx, ww, bb) => tf.relu(tf.add(tf.conv2d(xx, ww, stride, 'same'), bb)))([x, w, b]);
      const mine = loss((xx, ww, bb) => convBiasAct(xx, ww, bb, stride, 'relu', true))([x, w, b]);
      for (let i = 0; i < 3; i++) expect(await maxAbsDiff(ref[i], mine[i])).toBeLessThan(1e-4);
      expect(
        await maxAbsDiff(
          tf.relu(tf.add(tf.conv2d(x, w, stride, 'same'), b)),
          convBiasAct(x, w, b, stride, 'relu', false),
        ),
      ).toBeLessThan(1e-5);
    }
  });

  it('denseBiasAct equals act(x w + b) in value and gradients, relu and linear', async () => {
    await tf.setBackend('cpu');
    const x = randn([5, 6], 21) as tf.Tensor2D,
      w = randn([6, 3], 22) as tf.Tensor2D,
      b = randn([3], 23) as tf.Tensor1D;
    const up = randn([5, 3], 24);
    for (const act of ['relu', 'linear'] as const) {
      const loss = (f: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) =>
        tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(f(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D), up)),
        );
      const plain = (xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D) => {
        const y = tf.add(tf.matMul(xx, ww), bb);
        return act === 'relu' ? tf.relu(y) : y;
      };
      const ref = loss(plain)([x, w, b]);
      const mine = loss((xx, ww, bb) => denseBiasAct(xx, ww, bb, act))([x, w, b]);
      for (let i = 0; i < 3; i++) expect(await maxAbsDiff(ref[i], mine[i])).toBeLessThan(1e-4);
    }
  });
});

describe('the whole step on the GPU path', () => {
  const shape = { height: 28, width: 28, channels: 1, embeddingDim: 32 };

  async function stepOn(path: 'cpu' | 'gpu', model: 'default' | 'reference') {
    if (path === 'gpu') await useGpuPathOnCpu();
    else await tf.setBackend('cpu');
    const enc = buildEncoder(model, shape, 4);
    const v1 = tf.clipByValue(randn([6, 28, 28, 1], 31), 0, 1) as tf.Tensor4D;
    const v2 = tf.clipByValue(randn([6, 28, 28, 1], 32), 0, 1) as tf.Tensor4D;
    const { value, grads, z } = lossAndGrads(enc, v1, v2, { loss: 'ntxent', temperature: 0.1 });
    const out = {
      loss: (await value.data())[0],
      z: await z.data(),
      grads: await Promise.all(enc.variables.map((v) => grads[v.name].data())),
    };
    tf.dispose([v1, v2, value, z]);
    tf.dispose(grads);
    enc.dispose();
    return out;
  }

  for (const model of ['default', 'reference'] as const) {
    it(`gives the cpu path's loss, projections and gradients (${model} model)`, async () => {
      const a = await stepOn('cpu', model);
      const b = await stepOn('gpu', model);
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-4);
      let m = 0;
      a.z.forEach((v, i) => {
        m = Math.max(m, Math.abs(v - b.z[i]));
      });
      expect(m).toBeLessThan(1e-5);
      a.grads.forEach((g, i) => {
        let scale = 1e-3,
          d = 0;
        g.forEach((v, k) => {
          scale = Math.max(scale, Math.abs(v));
          d = Math.max(d, Math.abs(v - b.grads[i][k]));
        });
        expect(d / scale, `variable ${i}`).toBeLessThan(1e-3);
      });
    });
  }

  it('runs at most 130 kernels per update of the default model, and leaks no tensor', async () => {
    await useGpuPathOnCpu();
    const enc = buildEncoder('default', shape, 0);
    const opt = new FlatAdam(enc.variables, 1e-3);
    const v = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const update = () => {
      const { value, grads, z } = lossAndGrads(enc, v, v, { loss: 'ntxent', temperature: 0.1 });
      opt.applyGradients(grads);
      tf.dispose([value, z]);
      tf.dispose(grads);
    };
    update();
    const before = tf.memory().numTensors;
    const prof = await tf.profile(update);
    expect(tf.memory().numTensors).toBe(before);
    // Before the GPU path was rewritten, 235; now 128. A kernel that dispatches nothing (Identity,
    // Reshape) counts here too, so the browser test bounds the programs themselves.
    console.log(`kernels per update on the GPU path: ${prof.kernels.length}`);
    expect(prof.kernels.length).toBeLessThanOrEqual(130);
    expect(prof.kernels.filter((k) => k.name === 'FusedConv2D').length).toBe(2);
    tf.dispose(v);
    enc.dispose();
    opt.dispose();
  });
});
