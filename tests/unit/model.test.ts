// The encoders compute exactly the network they describe. The reference model must be the
// PyTorch peer's (scripts/peer/bench_torch.py): conv, ReLU, max-pool twice, then two dense
// layers. model.ts pools before adding the bias and applying ReLU (cheaper: a 4x smaller map);
// this checks that the values and the gradients are those of the peer's order, written here
// with stock tf ops, on the cpu and wasm backends.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildEncoder } from '../../src/engine/model';
import { Rng } from '../../src/core/rng';
import { configureWasm } from './support/wasmBackend';

/** The peer's forward pass with stock tf ops, on the encoder's own variables. */
function peerForward(vars: tf.Variable[], x: tf.Tensor4D): tf.Tensor2D {
  const [w1, b1, w2, b2, w3, b3, w4, b4] = vars as unknown as [
    tf.Tensor4D,
    tf.Tensor1D,
    tf.Tensor4D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
  ];
  const layer = (t: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) =>
    tf.maxPool(tf.relu(tf.add(tf.conv2d(t, w, 1, 'same'), b)) as tf.Tensor4D, 2, 2, 'valid');
  const y = layer(layer(x, w1, b1), w2, b2);
  const h = tf.relu(tf.add(tf.matMul(tf.reshape(y, [x.shape[0], -1]) as tf.Tensor2D, w3), b3));
  return tf.add(tf.matMul(h, w4), b4) as tf.Tensor2D;
}

interface Case {
  x: Float32Array;
  r: Float32Array;
  biases: Float32Array[];
}

function makeCase(): Case {
  const rng = new Rng(5);
  return {
    x: Float32Array.from({ length: 3 * 784 }, () => rng.random()),
    r: Float32Array.from({ length: 3 * 32 }, () => rng.normal()),
    // Non-zero biases, so that adding them before or after the pooling would show if it mattered.
    biases: [16, 32, 64, 32].map((n) => Float32Array.from({ length: n }, () => 0.1 * rng.normal())),
  };
}

/** Output and gradients of sum(z * r), with our encoder or with the peer's stock ops on its variables. */
function run(c: Case, peer: boolean): { z: Float32Array; grads: Float32Array[] } {
  const enc = buildEncoder('reference', { height: 28, width: 28, channels: 1, embeddingDim: 32 }, 3);
  enc.variables.filter((v) => v.rank === 1).forEach((v, i) => v.assign(tf.tensor1d(c.biases[i])));
  const x = tf.tensor4d(c.x, [3, 28, 28, 1]);
  const r = tf.tensor2d(c.r, [3, 32]);
  const f = () => (peer ? peerForward(enc.variables, x) : enc.project(enc.encode(x)));
  const z = tf.tidy(f);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(f(), r)) as tf.Scalar, enc.variables);
  const out = {
    z: z.dataSync() as Float32Array,
    grads: enc.variables.map((v) => grads[v.name].dataSync() as Float32Array),
  };
  tf.dispose([x, r, z, value, ...Object.values(grads)]);
  enc.dispose();
  return out;
}

const maxRelDiff = (a: Float32Array, b: Float32Array) => {
  let d = 0,
    m = 1e-3;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
};

describe('reference encoder', () => {
  it("is the peer's network, values and gradients (cpu and wasm against stock ops on cpu)", async () => {
    const c = makeCase();
    await tf.setBackend('cpu');
    const peer = run(c, true); // wasm has no Conv2DBackpropFilter: the stock reference runs on cpu
    configureWasm();
    for (const backend of ['cpu', 'wasm']) {
      expect(await tf.setBackend(backend)).toBe(true);
      const ours = run(c, false);
      expect(maxRelDiff(ours.z, peer.z), backend).toBeLessThan(1e-5);
      ours.grads.forEach((g, i) => expect(maxRelDiff(g, peer.grads[i]), `${backend} variable ${i}`).toBeLessThan(1e-4));
    }
  });
});
