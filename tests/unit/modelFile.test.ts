import { describe, expect, it } from 'vitest';
import {
  decodeModelFile,
  encodeModelFile,
  fromBase64,
  MODEL_FORMAT,
  MODEL_VERSION,
  modelFileName,
  shapeMismatch,
  toBase64,
  type ModelState,
} from '../../src/core/modelFile';
import { Rng } from '../../src/core/rng';

function state(withOptimizer = true): ModelState {
  const rng = new Rng(3);
  const t = (shape: number[]) => ({
    shape,
    data: Float32Array.from({ length: shape.reduce((p, v) => p * v, 1) }, () => rng.normal()),
  });
  const shapes = [[3, 3, 1, 4], [4], [16, 8], [8]];
  return {
    arch: { dataset: 'mnist', model: 'default', embeddingDim: 8, seed: 12 },
    step: 57,
    seen: 57 * 16,
    orderEpoch: 0,
    cursor: 912,
    weights: shapes.map(t),
    optimizer: withOptimizer ? { iterations: 57, firstMoment: shapes.map(t), secondMoment: shapes.map(t) } : null,
    savedAt: '2026-01-02T03:04:05.000Z',
  };
}

const bytes = (s: string) => new TextEncoder().encode(s);
const refused = (input: Parameters<typeof decodeModelFile>[0]) => {
  const r = decodeModelFile(input);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
};

describe('saved model file', () => {
  it('round-trips weights, optimizer state, training position and architecture exactly', () => {
    const s = state();
    const text = encodeModelFile(s);
    const doc = JSON.parse(text);
    expect(doc.format).toBe(MODEL_FORMAT);
    expect(doc.version).toBe(MODEL_VERSION);
    for (const input of [text, bytes(text), bytes(text).buffer]) {
      const r = decodeModelFile(input);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.state).toEqual(s);
    }
  });

  it('keeps a model saved before the first step (no optimizer state yet)', () => {
    const r = decodeModelFile(encodeModelFile(state(false)));
    expect(r.ok && r.state.optimizer).toBe(null);
  });

  it('base64 holds float32 bits exactly, including signed zero and extremes', () => {
    const x = Float32Array.from([0, -0, 1.5, -3.4028234663852886e38, 1.401298464324817e-45, Math.PI]);
    const y = fromBase64(toBase64(x));
    expect(Array.from(y).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
      Array.from(x).map((v) => (Object.is(v, -0) ? '-0' : v)),
    );
    // Large tensors go through in chunks.
    const big = Float32Array.from({ length: 100_000 }, (_, i) => i * 0.5);
    const back = fromBase64(toBase64(big));
    expect(back.length === big.length && back.every((v, i) => v === big[i])).toBe(true);
  });

  it('refuses files that are not saved models, each with a reason, and says training is unchanged', () => {
    const rng = new Rng(1);
    const random = Uint8Array.from({ length: 512 }, () => Math.floor(rng.random() * 256));
    expect(refused(random)).toMatch(/^Not loaded \(training is unchanged\): .*not a text file/);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(refused(png)).toMatch(/PNG picture/);
    expect(refused(new Uint8Array(0))).toMatch(/empty/);
    expect(refused('hello, world')).toMatch(/not a JSON file/);
    expect(refused('{"weights": []}')).toMatch(/not a Contrastive Playground model/);
    expect(refused('[1, 2, 3]')).toMatch(/not a Contrastive Playground model/);
    expect(refused('null')).toMatch(/not a Contrastive Playground model/);
  });

  it('refuses a newer format version and invalid architecture or training fields', () => {
    const base = JSON.parse(encodeModelFile(state()));
    const edit = (f: (d: Record<string, any>) => void) => {
      const d = structuredClone(base);
      f(d);
      return JSON.stringify(d);
    };
    expect(
      refused(
        edit((d) => {
          d.version = MODEL_VERSION + 1;
        }),
      ),
    ).toMatch(/newer version/);
    expect(
      refused(
        edit((d) => {
          delete d.version;
        }),
      ),
    ).toMatch(/version/);
    expect(
      refused(
        edit((d) => {
          d.architecture.dataset = 'cifar';
        }),
      ),
    ).toMatch(/unknown dataset "cifar"/);
    expect(
      refused(
        edit((d) => {
          d.architecture.model = 'resnet';
        }),
      ),
    ).toMatch(/unknown model/);
    expect(
      refused(
        edit((d) => {
          d.architecture.embeddingDim = 5;
        }),
      ),
    ).toMatch(/embedding dimension 5/);
    expect(
      refused(
        edit((d) => {
          d.architecture.seed = -1;
        }),
      ),
    ).toMatch(/seed/);
    expect(
      refused(
        edit((d) => {
          delete d.architecture;
        }),
      ),
    ).toMatch(/"architecture"/);
    expect(
      refused(
        edit((d) => {
          d.training.step = 1.5;
        }),
      ),
    ).toMatch(/training.step/);
    expect(
      refused(
        edit((d) => {
          d.byteOrder = 'big-endian';
        }),
      ),
    ).toMatch(/byte order/);
  });

  it('refuses broken tensors: bad shape, wrong size, bad base64, wrong dtype, NaN, optimizer mismatch', () => {
    const base = JSON.parse(encodeModelFile(state()));
    const edit = (f: (d: Record<string, any>) => void) => {
      const d = structuredClone(base);
      f(d);
      return JSON.stringify(d);
    };
    expect(
      refused(
        edit((d) => {
          d.weights = [];
        }),
      ),
    ).toMatch(/no weights/);
    expect(
      refused(
        edit((d) => {
          d.weights[1].shape = [5];
        }),
      ),
    ).toMatch(/weight 2 should hold 5 numbers for shape \[5\] but holds 4/);
    expect(
      refused(
        edit((d) => {
          d.weights[0].shape = [0, 3];
        }),
      ),
    ).toMatch(/weight 1 has no valid shape/);
    expect(
      refused(
        edit((d) => {
          d.weights[0].shape = 'big';
        }),
      ),
    ).toMatch(/weight 1 has no valid shape/);
    expect(
      refused(
        edit((d) => {
          d.weights[2].data = '@@not base64@@';
        }),
      ),
    ).toMatch(/weight 3's data is not valid base64/);
    expect(
      refused(
        edit((d) => {
          d.weights[0].dtype = 'int32';
        }),
      ),
    ).toMatch(/int32, not float32/);
    expect(
      refused(
        edit((d) => {
          d.weights[3].data = toBase64(Float32Array.from([1, NaN, 2, 3, 4, 5, 6, 7]));
        }),
      ),
    ).toMatch(/weight 4 contains NaN/);
    expect(
      refused(
        edit((d) => {
          d.optimizer.firstMoment.pop();
        }),
      ),
    ).toMatch(/one tensor per weight/);
    expect(
      refused(
        edit((d) => {
          d.optimizer.secondMoment[1] = d.optimizer.secondMoment[0];
        }),
      ),
    ).toMatch(/secondMoment 2 has shape \[3,3,1,4\]/);
    expect(
      refused(
        edit((d) => {
          d.optimizer.type = 'sgd';
        }),
      ),
    ).toMatch(/not Adam/);
  });

  it('names the first weight whose shape does not fit the model the engine built', () => {
    const s = state();
    expect(
      shapeMismatch(
        s.weights.map((w) => w.shape),
        s,
      ),
    ).toBe(null);
    expect(shapeMismatch([[3, 3, 1, 4], [4], [16, 32], [32]], s)).toMatch(
      /weight 3 has shape \[16,8\] but the default model on mnist with dimension 8 needs \[16,32\]/,
    );
    expect(shapeMismatch([[3, 3, 1, 4], [4]], s)).toMatch(/holds 4 weight tensors but .* has 2/);
  });

  it('suggests a descriptive file name', () => {
    expect(modelFileName(state())).toBe('contrastive-mnist-default-d8-seed12-step57.json');
  });
});
