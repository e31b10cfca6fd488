// The WebGPU programs of fusedKernels.ts, one dispatch each, registered as tfjs kernels for the
// webgpu backend. tfjs writes each shader's preamble: an input named `x` is a storage array `x`
// with its shape in `uniforms.xShape`, the output is written by setOutputAtIndex, and `size`
// asks for `uniforms.size` (the output's length). Values that change from step to step (Adam's
// step size) are uniforms, so one compiled pipeline serves every step.

import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
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

type Uniform = { type: 'float32' | 'int32'; data: number[] };

/** A flat program: one invocation per output element, `index` its flat index. */
class FlatProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  uniforms?: string;
  constructor(
    public variableNames: string[],
    outputShape: number[],
    key: string,
    private readonly body: string,
    uniforms = '',
    private readonly helpers = '',
  ) {
    this.outputShape = outputShape;
    this.shaderKey = key;
    if (uniforms) this.uniforms = uniforms;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
  }
  getUserCode(): string {
    return `
      ${this.helpers}
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.body}
        }
      }`;
  }
}

// The logits L_ij = S_ij / tau - selfMask [i = j] and each row's partner, as losses.ts defines them.
const LOGIT = `
  fn logit(i : i32, j : i32) -> f32 {
    let m = uniforms.sShape[1];
    var l = s[i * m + j] * uniforms.invTau;
    if (i == j) { l = l - uniforms.selfMask; }
    return l;
  }
  fn partner(i : i32) -> i32 {
    let m = uniforms.sShape[1];
    return (i + m / 2) % m;
  }`;
const TERMS = 'invTau : f32, selfMask : f32,';

type Run = (p: WebGPUProgram, ins: tf.TensorInfo[], dtype: 'float32', u?: Uniform[]) => tf.TensorInfo;
type Attrs = Record<string, number>;

function register(name: string, f: (run: Run, ins: tf.TensorInfo[], a: Attrs) => tf.TensorInfo): void {
  tf.registerKernel({
    kernelName: name,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WebGPUBackend;
      const run: Run = (p, ins, dtype, u) => b.runWebGPUProgram(p, ins, dtype, u);
      return f(run, Object.values(inputs) as tf.TensorInfo[], attrs as unknown as Attrs);
    },
  });
}

const f32 = (...data: number[]): Uniform[] => data.map((d) => ({ type: 'float32', data: [d] }));

export function registerWgslPrograms(): void {
  if (tf.getKernel(RELU_MASK, 'webgpu')) return;
  register(RELU_MASK, (run, [dy, y]) =>
    run(
      new FlatProgram(
        ['dy', 'y'],
        dy.shape,
        'cp_relu_mask',
        'setOutputAtIndex(index, select(0.0, dy[index], y[index] > 0.0));',
      ),
      [dy, y],
      'float32',
    ),
  );

  register(ADAM_MOMENTS, (run, [mv, ...grads], a) => {
    // Which gradient holds flat position p: the offsets are fixed by the variables' sizes, so
    // they are written into the shader (one pipeline per group of variables).
    const ends: number[] = [];
    grads.forEach((g) => ends.push((ends[ends.length - 1] ?? 0) + tf.util.sizeFromShape(g.shape)));
    const pick = grads
      .map((_, i) => {
        const start = i === 0 ? 0 : ends[i - 1];
        return `${i === 0 ? '' : 'else '}if (p < ${ends[i]}) { g = g${i}[p - ${start}]; }`;
      })
      .join(' ');
    const body = `
      let n = uniforms.mvShape[1];
      let row = index / n;
      let p = index - row * n;
      var g = 0.0;
      ${pick}
      let old = mv[index];
      if (row == 0) {
        setOutputAtIndex(index, uniforms.beta1 * old + uniforms.oneMinusBeta1 * g);
      } else {
        setOutputAtIndex(index, uniforms.beta2 * old + uniforms.oneMinusBeta2 * (g * g));
      }`;
    const names = ['mv', ...grads.map((_, i) => `g${i}`)];
    const prog = new FlatProgram(
      names,
      mv.shape,
      `cp_adam_moments_${ends.join('_')}`,
      body,
      'beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32,',
    );
    return run(prog, [mv, ...grads], 'float32', f32(a.beta1, a.oneMinusBeta1, a.beta2, a.oneMinusBeta2));
  });

  register(ADAM_APPLY, (run, [x, mv], a) => {
    const body = `
      let n = uniforms.mvShape[1];
      let m = mv[uniforms.varStart + index];
      let v = mv[n + uniforms.varStart + index];
      setOutputAtIndex(index, x[index] - m / (sqrt(v) + uniforms.epsilon) * uniforms.stepSize);`;
    const prog = new FlatProgram(
      ['x', 'mv'],
      x.shape,
      'cp_adam_apply',
      body,
      'varStart : i32, stepSize : f32, epsilon : f32,',
    );
    return run(prog, [x, mv], 'float32', [{ type: 'int32', data: [a.offset] }, ...f32(a.stepSize, a.epsilon)]);
  });

  // Rows of z are the projections (D values): each invocation sums its row's squares itself.
  const INV_NORM = `
    fn invNorm(i : i32) -> f32 {
      let d = uniforms.zShape[1];
      var ss = 0.0;
      for (var k = 0; k < d; k++) { let v = z[i * d + k]; ss = ss + v * v; }
      return inverseSqrt(max(ss, uniforms.eps));
    }`;
  register(ROW_NORMALIZE, (run, [z], a) => {
    const body = 'setOutputAtIndex(index, z[index] * invNorm(index / uniforms.zShape[1]));';
    const prog = new FlatProgram(['z'], z.shape, 'cp_row_normalize', body, 'eps : f32,', INV_NORM);
    return run(prog, [z], 'float32', f32(a.eps));
  });
  register(ROW_NORMALIZE_GRAD, (run, [z, dy], a) => {
    const body = `
      let d = uniforms.zShape[1];
      let i = index / d;
      let r = invNorm(i);
      var proj = 0.0;
      for (var k = 0; k < d; k++) { proj = proj + z[i * d + k] * r * dy[i * d + k]; }
      setOutputAtIndex(index, (dy[index] - z[index] * r * proj) * r);`;
    const prog = new FlatProgram(['z', 'dy'], z.shape, 'cp_row_normalize_grad', body, 'eps : f32,', INV_NORM);
    return run(prog, [z, dy], 'float32', f32(a.eps));
  });

  register(ROW_LSE, (run, [s], a) => {
    const body = `
      let m = uniforms.sShape[1];
      var mx = -3.402823e+38;
      for (var j = 0; j < m; j++) { mx = max(mx, logit(index, j)); }
      var sum = 0.0;
      for (var j = 0; j < m; j++) { sum = sum + exp(logit(index, j) - mx); }
      setOutputAtIndex(index, log(sum) + mx);`;
    const prog = new FlatProgram(['s'], [s.shape[0]], 'cp_row_lse', body, TERMS, LOGIT);
    return run(prog, [s], 'float32', f32(a.invTau, a.selfMask));
  });

  register(NTXENT_VALUE, (run, [s, lse], a) => {
    // One invocation sums the M rows: M is the batch's 2N, and a second pass would cost a dispatch.
    const body = `
      let m = uniforms.sShape[1];
      var acc = 0.0;
      for (var i = 0; i < m; i++) { acc = acc + lse[i] - logit(i, partner(i)); }
      setOutputAtIndex(0, acc / f32(m));`;
    const prog = new FlatProgram(['s', 'lse'], [1], 'cp_ntxent_value', body, TERMS, LOGIT);
    return run(prog, [s, lse], 'float32', f32(a.invTau, a.selfMask));
  });

  register(NTXENT_GRAD, (run, [s, lse, dy], a) => {
    const body = `
      let m = uniforms.sShape[1];
      let i = index / m;
      let j = index - i * m;
      let gij = exp(logit(i, j) - lse[i]) - select(0.0, 1.0, j == partner(i));
      let gji = exp(logit(j, i) - lse[j]) - select(0.0, 1.0, i == partner(j));
      setOutputAtIndex(index, (gij + gji) * (dy[0] * uniforms.invTau / f32(m)));`;
    const prog = new FlatProgram(['s', 'lse', 'dy'], s.shape, 'cp_ntxent_grad', body, TERMS, LOGIT);
    return run(prog, [s, lse, dy], 'float32', f32(a.invTau, a.selfMask));
  });
}
