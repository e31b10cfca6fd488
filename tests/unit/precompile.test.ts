import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { FlatAdam } from '../../src/engine/adam';
import { buildEncoder } from '../../src/engine/model';
import { precompile } from '../../src/engine/precompile';
import { keepingState } from '../../src/engine/savedState';
import { lossAndGrads } from '../../src/engine/step';
import { Rng } from '../../src/core/rng';

// The compile-ahead pass (WebGPU only, checked in the browser by dispatches.spec.ts) runs an
// update whose outputs hold no values, and relies on keepingState to put back what it assigned.
// Here, on cpu, a real update runs inside keepingState: afterwards the weights, Adam's moments
// and its step count must be as before, so the next update matches an untouched twin's.
describe('compile ahead', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const views = (n: number) => {
    const r = new Rng(3);
    const v = () =>
      tf.tensor4d(
        Float32Array.from({ length: n * 784 }, () => r.random()),
        [n, 28, 28, 1],
      );
    return [v(), v()] as const;
  };
  const setup = () => {
    const encoder = buildEncoder('reference', { height: 28, width: 28, channels: 1, embeddingDim: 16 }, 5);
    return { encoder, opt: new FlatAdam(encoder.variables, 1e-2) };
  };
  const update = (s: ReturnType<typeof setup>, v1: tf.Tensor4D, v2: tf.Tensor4D) => {
    const { value, grads, z } = lossAndGrads(s.encoder, v1, v2, { loss: 'ntxent', temperature: 0.2 });
    s.opt.applyGradients(grads);
    tf.dispose([z, ...Object.values(grads)]);
    return value;
  };

  it('keepingState undoes an update: weights, moments and step count', async () => {
    const [v1, v2] = views(4);
    const a = setup();
    const b = setup();
    // One real update each, so Adam's state is not at zero when it is saved.
    tf.dispose([update(a, v1, v2), update(b, v1, v2)]);
    const before = await Promise.all(a.encoder.variables.map((v) => v.data()));
    const tensors = tf.memory().numTensors;
    keepingState({ variables: a.encoder.variables, optimizers: [a.opt] }, () => tf.dispose(update(a, v1, v2)));
    expect(tf.memory().numTensors).toBe(tensors);
    const after = await Promise.all(a.encoder.variables.map((v) => v.data()));
    after.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(before[i])));
    const la = update(a, v1, v2);
    const lb = update(b, v1, v2);
    expect(await la.data()).toEqual(await lb.data());
    const wa = await Promise.all(a.encoder.variables.map((v) => v.data()));
    const wb = await Promise.all(b.encoder.variables.map((v) => v.data()));
    wa.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(wb[i])));
    tf.dispose([la, lb, v1, v2]);
    a.encoder.dispose();
    b.encoder.dispose();
    a.opt.dispose();
    b.opt.dispose();
  });

  it('does nothing off WebGPU', async () => {
    let ran = false;
    const out = await precompile(
      () => {
        ran = true;
        return tf.scalar(1);
      },
      { variables: [], optimizers: [] },
    );
    expect(out).toBeNull();
    expect(ran).toBe(false);
  });
});
