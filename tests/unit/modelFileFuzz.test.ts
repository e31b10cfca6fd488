// A seeded fuzz of saved-model files: whatever is done to a good file, loading it either gives
// back exactly what was saved or refuses with a reason, quickly, and never throws.
import { describe, expect, it } from 'vitest';
import {
  decodeModelFile,
  encodeModelFile,
  MODEL_FILE_MAX_BYTES,
  MODEL_VERSION,
  shapeMismatch,
  type ModelState,
} from '../../src/core/modelFile';
import { Rng } from '../../src/core/rng';

const SHAPES = [[3, 3, 1, 16], [16], [3, 3, 16, 32], [32], [1568, 128], [128], [128, 32], [32]];

function state(): ModelState {
  const rng = new Rng(7);
  const t = (shape: number[]) => ({
    shape,
    data: Float32Array.from({ length: shape.reduce((p, v) => p * v, 1) }, () => rng.normal() * 0.1),
  });
  return {
    arch: { dataset: 'mnist', model: 'default', embeddingDim: 32, seed: 1 },
    step: 300,
    seen: 19_200,
    orderEpoch: 2,
    cursor: 3_200,
    weights: SHAPES.map(t),
    optimizer: { iterations: 300, firstMoment: SHAPES.map(t), secondMoment: SHAPES.map(t) },
    savedAt: '2026-12-03T10:00:00.000Z',
  };
}

const enc = new TextEncoder();

/** Loads as the page does: decode, then check the shapes against the architecture built. */
function load(input: Uint8Array | string): { ok: boolean; why: string; ms: number } {
  const t0 = performance.now();
  const r = decodeModelFile(input);
  const why = r.ok ? (shapeMismatch(SHAPES, r.state) ?? '') : r.error;
  return { ok: r.ok && why === '', why, ms: performance.now() - t0 };
}

describe('saved-model fuzz', () => {
  const good = encodeModelFile(state());
  const bytes = enc.encode(good);
  const rng = new Rng(2026);
  const pick = (n: number) => Math.floor(rng.random() * n);

  const cases: [string, () => Uint8Array | string][] = [];
  for (let i = 0; i < 20; i++) {
    const at = 1 + pick(bytes.length - 2);
    cases.push([`truncated at byte ${at}`, () => bytes.slice(0, at)]);
  }
  it('says a truncated file was cut short', () => {
    expect(load(bytes.slice(0, bytes.length >> 1)).why).toMatch(/cut short/);
  });
  for (let i = 0; i < 20; i++) {
    const at = pick(bytes.length);
    const bit = pick(8);
    cases.push([
      `bit ${bit} of byte ${at} flipped`,
      () => {
        const b = bytes.slice();
        b[at] ^= 1 << bit;
        return b;
      },
    ]);
  }
  const edit = (f: (d: Record<string, any>) => void) => () => {
    const d = JSON.parse(good);
    f(d);
    return JSON.stringify(d);
  };
  cases.push(
    [
      'a weight shape that disagrees with the architecture',
      edit((d) => {
        d.weights[4].shape = [128, 1568];
      }),
    ],
    [
      'one weight too few',
      edit((d) => {
        d.weights.pop();
        d.optimizer.firstMoment.pop();
        d.optimizer.secondMoment.pop();
      }),
    ],
    [
      'an unknown version',
      edit((d) => {
        d.version = MODEL_VERSION + 7;
      }),
    ],
    [
      'version 0',
      edit((d) => {
        d.version = 0;
      }),
    ],
    [
      'a header claiming 10^9 weights',
      edit((d) => {
        d.weights[4].shape = [1_000_000_000];
      }),
    ],
    [
      '10^9 weight tensors declared',
      edit((d) => {
        d.weights.length = 0;
        d.weightCount = 1e9;
      }),
    ],
    [
      'a negative step',
      edit((d) => {
        d.training.step = -1;
      }),
    ],
    [
      'a dataset that does not exist',
      edit((d) => {
        d.architecture.dataset = '__proto__';
      }),
    ],
    ['deeply nested JSON', () => '['.repeat(200_000) + ']'.repeat(200_000)],
    [
      'deeply nested JSON inside a model',
      () => good.replace('"savedAt":', '"x":' + '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) + ',"savedAt":'),
    ],
    ['an empty file', () => new Uint8Array(0)],
    ['a file over the size cap', () => new Uint8Array(MODEL_FILE_MAX_BYTES + 1)],
    ['a PNG', () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    [
      'UTF-16 text',
      () => {
        const b = new Uint8Array(bytes.length * 2);
        bytes.forEach((x, i) => {
          b[2 * i] = x;
        });
        return b;
      },
    ],
    ['the checksum removed', () => good.replace(/"checksum":"[0-9a-f]{8}",/, '')],
    [
      'a weight value changed in the text',
      () => good.replace(/("data":")(.)/, (_m, p, c) => p + (c === 'A' ? 'B' : 'A')),
    ],
  );

  it(`has at least 50 mutations (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(50));

  it('loads the good file exactly', () => {
    const r = decodeModelFile(bytes);
    expect(r.ok && r.state).toEqual(state());
  });

  for (const [name, make] of cases) {
    it(`refuses ${name}, with a reason, within a second`, () => {
      const r = load(make());
      expect(r.ok).toBe(false);
      expect(r.why).toMatch(/^Not loaded \(training is unchanged\): \S.{10,}/);
      expect(r.ms).toBeLessThan(1000);
    });
  }
});
