// The WebGL programs of fusedKernels.ts, one draw each, registered as tfjs kernels for the webgl
// backend. Unpacked programs (one value per texel): tfjs writes the preamble, an input named `x`
// is read with getX(...) in its own coordinates and the output written with setOutput. The
// backend runs with packing off (backend.ts), so no pack or unpack program is put around them.
// Values that change from step to step are uniforms: one compiled program serves every step.

import * as tf from '@tensorflow/tfjs';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import {
  ADAM_APPLY,
  ADAM_MOMENTS,
  NTXENT_GRAD,
  NTXENT_VALUE,
  RELU_MASK,
  ROW_LSE,
  ROW_NORMALIZE,
  ROW_NORMALIZE_GRAD,
} from './fusedKernels';
import { MAT_MUL } from './gpuMatMul';

type UniformType = 'float' | 'int';

class Program implements GPGPUProgram {
  customUniforms?: { name: string; type: UniformType }[];
  constructor(
    public variableNames: string[],
    public outputShape: number[],
    public userCode: string,
    uniforms: [string, UniformType][] = [],
  ) {
    if (uniforms.length) this.customUniforms = uniforms.map(([name, type]) => ({ name, type }));
  }
}

// The logits L_ij = S_ij / tau - selfMask [i = j] and each row's partner, as losses.ts defines them.
const logitFns = (m: number) => `
  float logit(int i, int j) {
    float l = getS(i, j) * invTau;
    return i == j ? l - selfMask : l;
  }
  int partner(int i) { return imod(i + ${m / 2}, ${m}); }`;
const TERMS: [string, UniformType][] = [
  ['invTau', 'float'],
  ['selfMask', 'float'],
];

type Attrs = Record<string, number>;
type Run = (p: Program, ins: tf.TensorInfo[], uniforms?: number[]) => tf.TensorInfo;

function register(name: string, f: (run: Run, ins: tf.TensorInfo[], a: Attrs) => tf.TensorInfo): void {
  tf.registerKernel({
    kernelName: name,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as MathBackendWebGL;
      const run: Run = (p, ins, u) =>
        b.runWebGLProgram(
          p,
          ins,
          'float32',
          u?.map((v) => [v]),
        );
      return f(run, Object.values(inputs) as tf.TensorInfo[], attrs as unknown as Attrs);
    },
  });
}

export function registerGlslPrograms(): void {
  if (tf.getKernel(RELU_MASK, 'webgl')) return;
  register(RELU_MASK, (run, [dy, y]) =>
    run(
      new Program(
        ['dy', 'y'],
        dy.shape,
        `void main() {
          int i = getOutputCoords();
          setOutput(getY(i) > 0.0 ? getDy(i) : 0.0);
        }`,
      ),
      [dy, y],
    ),
  );

  register(ADAM_MOMENTS, (run, [mv, ...grads], a) => {
    // The gradients' offsets in the flat vector are fixed by the variables' sizes: written into
    // the shader (one program per group of variables).
    let end = 0;
    const pick = grads
      .map((g, i) => {
        const start = end;
        end += tf.util.sizeFromShape(g.shape);
        return `${i === 0 ? '' : 'else '}if (p < ${end}) { g = getG${i}(p - ${start}); }`;
      })
      .join(' ');
    const code = `void main() {
        ivec2 c = getOutputCoords();
        int p = c.y;
        float g = 0.0;
        ${pick}
        float old = getMv(c.x, p);
        setOutput(c.x == 0 ? beta1 * old + oneMinusBeta1 * g : beta2 * old + oneMinusBeta2 * (g * g));
      }`;
    const names = ['mv', ...grads.map((_, i) => `g${i}`)];
    const prog = new Program(names, mv.shape, code, [
      ['beta1', 'float'],
      ['oneMinusBeta1', 'float'],
      ['beta2', 'float'],
      ['oneMinusBeta2', 'float'],
    ]);
    return run(prog, [mv, ...grads], [a.beta1, a.oneMinusBeta1, a.beta2, a.oneMinusBeta2]);
  });

  register(ADAM_APPLY, (run, [x, mv], a) => {
    const code = `void main() {
        int i = getOutputCoords();
        float m = getMv(0, varStart + i);
        float v = getMv(1, varStart + i);
        setOutput(getX(i) - m / (sqrt(v) + epsilon) * stepSize);
      }`;
    const prog = new Program(['x', 'mv'], x.shape, code, [
      ['varStart', 'int'],
      ['stepSize', 'float'],
      ['epsilon', 'float'],
    ]);
    return run(prog, [x, mv], [a.offset, a.stepSize, a.epsilon]);
  });

  // Rows of z are the projections (D values): each fragment sums its row's squares itself.
  const invNorm = (d: number) => `
    float invNorm(int i) {
      float ss = 0.0;
      for (int k = 0; k < ${d}; k++) { float v = getZ(i, k); ss += v * v; }
      return inversesqrt(max(ss, eps));
    }`;
  register(ROW_NORMALIZE, (run, [z], a) => {
    const code = `${invNorm(z.shape[1])}
      void main() {
        ivec2 c = getOutputCoords();
        setOutput(getZ(c.x, c.y) * invNorm(c.x));
      }`;
    return run(new Program(['z'], z.shape, code, [['eps', 'float']]), [z], [a.eps]);
  });
  register(ROW_NORMALIZE_GRAD, (run, [z, dy], a) => {
    const d = z.shape[1];
    const code = `${invNorm(d)}
      void main() {
        ivec2 c = getOutputCoords();
        float r = invNorm(c.x);
        float proj = 0.0;
        for (int k = 0; k < ${d}; k++) { proj += getZ(c.x, k) * r * getDy(c.x, k); }
        setOutput((getDy(c.x, c.y) - getZ(c.x, c.y) * r * proj) * r);
      }`;
    return run(new Program(['z', 'dy'], z.shape, code, [['eps', 'float']]), [z, dy], [a.eps]);
  });

  register(MAT_MUL, (run, [a, b, bias], o) => {
    const [m, k] = o.transposeA ? [a.shape[1], a.shape[0]] : a.shape;
    const n = o.transposeB ? b.shape[0] : b.shape[1];
    const code = `void main() {
        ivec2 c = getOutputCoords();
        float acc = 0.0;
        for (int p = 0; p < ${k}; p++) {
          acc += ${o.transposeA ? 'getA(p, c.x)' : 'getA(c.x, p)'} * ${o.transposeB ? 'getB(c.y, p)' : 'getB(p, c.y)'};
        }
        ${bias ? 'acc += getBias(c.y);' : ''}
        setOutput(${o.relu ? 'max(acc, 0.0)' : 'acc'});
      }`;
    const ins = bias ? [a, b, bias] : [a, b];
    return run(new Program(bias ? ['a', 'b', 'bias'] : ['a', 'b'], [m, n], code), ins);
  });

  register(ROW_LSE, (run, [s], a) => {
    const m = s.shape[0];
    const code = `${logitFns(m)}
      void main() {
        int i = getOutputCoords();
        float mx = -3.402823e+38;
        for (int j = 0; j < ${m}; j++) { mx = max(mx, logit(i, j)); }
        float sum = 0.0;
        for (int j = 0; j < ${m}; j++) { sum += exp(logit(i, j) - mx); }
        setOutput(log(sum) + mx);
      }`;
    return run(new Program(['s'], [m], code, TERMS), [s], [a.invTau, a.selfMask]);
  });

  register(NTXENT_VALUE, (run, [s, lse], a) => {
    // One fragment sums the M rows: M is the batch's 2N, and a second pass would cost a draw.
    const m = s.shape[0];
    const code = `${logitFns(m)}
      void main() {
        float acc = 0.0;
        for (int i = 0; i < ${m}; i++) { acc += getLse(i) - logit(i, partner(i)); }
        setOutput(acc / ${m}.0);
      }`;
    return run(new Program(['s', 'lse'], [1], code, TERMS), [s, lse], [a.invTau, a.selfMask]);
  });

  register(NTXENT_GRAD, (run, [s, lse, dy], a) => {
    const m = s.shape[0];
    const code = `${logitFns(m)}
      void main() {
        ivec2 c = getOutputCoords();
        int i = c.x;
        int j = c.y;
        float gij = exp(logit(i, j) - getLse(i)) - (j == partner(i) ? 1.0 : 0.0);
        float gji = exp(logit(j, i) - getLse(j)) - (i == partner(j) ? 1.0 : 0.0);
        setOutput((gij + gji) * (getDy(0) * invTau / ${m}.0));
      }`;
    return run(new Program(['s', 'lse', 'dy'], s.shape, code, TERMS), [s, lse, dy], [a.invTau, a.selfMask]);
  });
}
