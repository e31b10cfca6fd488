// The wasm SIMD gradient kernels (src/engine/kernels/gradients.ts) are tried inside a catch that
// falls back, silently, to conv.ts's slower forms built from forward ops. Both give the same
// numbers, so only the kernels that ran can tell: a training step of the default model on the
// wasm backend must run all three of ours.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/dataset';
import { defaultSettings, type Settings } from '../../src/core/settings';
import { makeShapes } from '../../src/core/shapes';
import { Trainer } from '../../src/engine/trainer';
import { tinyDataset } from './support/tinyDataset';
import { useBackend } from './support/wasmBackend';

/** The names of the kernels one training step runs, in order. */
async function kernelsOfOneStep(data: Dataset, settings: Settings): Promise<string[]> {
  const trainer = new Trainer(data, settings);
  try {
    await trainer.trainStep(false, false); // the first step also compiles and warms up
    const profile = await tf.profile(async () => {
      await trainer.trainStep(false, false);
    });
    return profile.kernels.map((k) => k.name); // kernelNames holds each name once
  } finally {
    trainer.dispose();
  }
}

const count = (names: string[], name: string) => names.filter((n) => n === name).length;

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe(true);
});
afterAll(async () => {
  await useBackend('cpu');
});

describe('wasm gradient kernels in a training step of the default model', () => {
  it('MNIST (strided convolutions): dW of both layers and the stride-2 dx run on our kernels', async () => {
    const names = await kernelsOfOneStep(tinyDataset(28), { ...defaultSettings('mnist'), batchSize: 8 });
    // Two views per step go through one forward pass, so each layer's dW runs once.
    expect(count(names, 'PlaygroundConvFilterGrad')).toBe(2);
    // conv2's dx (stride 2, 16 input channels); conv1's input is the images, whose dx is skipped.
    expect(count(names, 'PlaygroundConvInputGrad')).toBe(1);
    // None of the fallbacks' kernels: no stock backprop, no dilated forward conv for dW.
    expect(names).not.toContain('Conv2DBackpropFilter');
    expect(names).not.toContain('Conv2DBackpropInput');
  });

  it('Shapes (conv + max pool): every pool gradient and every dW run on our kernels', async () => {
    const names = await kernelsOfOneStep(makeShapes(2400, 5), { ...defaultSettings('shapes'), batchSize: 8 });
    expect(count(names, 'PlaygroundMaxPool2Grad')).toBe(3);
    expect(count(names, 'PlaygroundConvFilterGrad')).toBe(3);
    expect(names).not.toContain('MaxPoolGrad');
  });
});
