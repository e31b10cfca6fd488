// wasm's Identity shares its input's memory instead of copying it (kernels/sharedIdentity.ts).
// Sharing is only safe if each tensor keeps its values whatever happens to the other, and if a
// training step computes exactly what it computed with copies.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { shareIdentityOnWasm } from '../../src/engine/kernels/sharedIdentity';
import { Trainer } from '../../src/engine/trainer';
import { useBackend } from './support/wasmBackend';
import { tinyDataset } from './support/tinyDataset';

let installed: tf.KernelConfig;

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe(true);
  installed = { ...tf.getKernel('Identity', 'wasm')! };
});
afterAll(() => shareIdentityOnWasm());

function useIdentity(kind: 'copy' | 'share'): void {
  if (kind === 'share') return shareIdentityOnWasm();
  tf.unregisterKernel('Identity', 'wasm');
  // The stock kernel, as tfjs-backend-wasm registers it.
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as {
        makeOutput(s: number[], d: string): tf.TensorInfo;
        typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
      };
      const x = inputs.x as tf.TensorInfo;
      const out = b.makeOutput(x.shape, x.dtype);
      b.typedArrayFromHeap(out).set(b.typedArrayFromHeap(x));
      return out;
    },
  });
}

describe('Identity on wasm', () => {
  it('is the shared kernel once installed (the support set-up installs it, as the worker does)', () => {
    expect(installed.kernelFunc).toBe(tf.getKernel('Identity', 'wasm')!.kernelFunc);
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    const mem = (t: tf.Tensor) =>
      (tf.backend() as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(t.dataId)
        .memoryOffset;
    expect(mem(y)).toBe(mem(x));
    tf.dispose([x, y]);
  });

  it('keeps each tensor readable when the other is disposed', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    const z = tf.clone(y);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3]);
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives a training step the same losses and weights as the copying kernel, and leaks nothing', async () => {
    const settings: Settings = { ...defaultSettings('mnist'), batchSize: 8, embeddingDim: 8, seed: 3 };
    const run = async (kind: 'copy' | 'share') => {
      useIdentity(kind);
      const t = new Trainer(tinyDataset(), settings);
      const losses: number[] = [];
      const tensors: number[] = [];
      for (let i = 0; i < 4; i++) {
        losses.push((await t.trainStep(false, false)).loss);
        tensors.push(tf.memory().numTensors);
      }
      const weights = await Promise.all(t.encoder.variables.map((v) => v.data()));
      t.dispose();
      return { losses, weights: weights.map((w) => Array.from(w as Float32Array)), tensors };
    };
    const copied = await run('copy');
    const shared = await run('share');
    expect(shared.losses.every(Number.isFinite)).toBe(true);
    expect(shared.losses).toEqual(copied.losses);
    expect(shared.weights).toEqual(copied.weights);
    expect(new Set(shared.tensors.slice(1)).size).toBe(1);
  });
});
