// Linear probe: multinomial logistic regression on frozen features, the standard measure of
// how linearly separable a representation is. Features are standardised with the training
// set's statistics (so one learning rate suits pixels, h and z alike); full-batch Adam with a
// small weight decay for a fixed number of iterations, so every representation gets the same
// treatment and a result never depends on when someone stopped it. Given a validation set, it
// keeps the weights of the iteration that did best there (checked every few iterations): the
// held-out set never chooses anything.

import * as tf from '@tensorflow/tfjs';
import { normalizeRows } from '../core/knn';
import { PROBE_EVAL_EVERY, PROBE_ITERATIONS } from '../core/labelRecipe';
import { matMul } from './ops/matmul';

export interface ProbeOptions {
  iterations: number;
  learningRate: number;
  /** L2 penalty on the weights (not the bias): keeps the separable few-label cases finite. */
  weightDecay: number;
  /** Scale each row to unit length first: the cosine geometry contrastive losses and kNN use.
   *  On MNIST features at step ~1,000 it gave +4 points with 1 label per class and +0.5 with all. */
  normalize: boolean;
  /** Validation rows and labels (same layout as the training ones): pick the iteration on them. */
  val?: { x: Float32Array; y: Int32Array };
  /** Also yield once this many ms have passed since the last yield (see YIELD_MS). */
  yieldMs?: number;
}

export const PROBE_DEFAULTS: ProbeOptions = {
  iterations: PROBE_ITERATIONS,
  learningRate: 0.02,
  weightDecay: 1e-4,
  normalize: false,
};
/** Iterations between two yields of the generator (a caller interleaves other work there). */
const YIELD_EVERY = PROBE_EVAL_EVERY;
/**
 * ...and sooner when those iterations take long: on wasm, 25 iterations on Shapes' raw pixels
 * (3,072 features) with all labels held the worker past the page's 15 s hang limit, so the page
 * restarted it and the probe was lost.
 */
const YIELD_MS = 200;

export interface ProbeResult {
  testAccuracy: number;
  trainAccuracy: number;
}

/** Per-feature mean and 1 / std over rows (constant features get 1, i.e. are only centred). */
function standardiser(x: Float32Array, n: number, dim: number): { mean: Float32Array; invStd: Float32Array } {
  const mean = new Float32Array(dim),
    invStd = new Float32Array(dim);
  const acc = new Float64Array(dim),
    acc2 = new Float64Array(dim);
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dim; d++) {
      const v = x[i * dim + d];
      acc[d] += v;
      acc2[d] += v * v;
    }
  for (let d = 0; d < dim; d++) {
    const m = acc[d] / n;
    const variance = Math.max(0, acc2[d] / n - m * m);
    mean[d] = m;
    invStd[d] = variance > 1e-10 ? 1 / Math.sqrt(variance) : 1;
  }
  return { mean, invStd };
}

/** Runs a generator to its end (progress values ignored) and returns its result. */
export async function drain<T>(g: AsyncGenerator<unknown, T>): Promise<T> {
  for (;;) {
    const r = await g.next();
    if (r.done) return r.value;
  }
}

/** linearProbeSteps, run straight through. */
export function linearProbe(...args: Parameters<typeof linearProbeSteps>): Promise<ProbeResult> {
  return drain(linearProbeSteps(...args));
}

/**
 * Trains on (trainX, trainY) and reports accuracy on both sets. x: rows of `dim` features;
 * labels in [0, numClasses). A generator: it yields its progress (0..1) every few iterations
 * so the worker can run a training step in between, and returns the result. Every tensor is
 * freed when it ends, also when the caller abandons it (return() runs the finally).
 */
export async function* linearProbeSteps(
  trainX: Float32Array,
  trainY: Int32Array,
  testX: Float32Array,
  testY: Int32Array,
  dim: number,
  numClasses: number,
  options: Partial<ProbeOptions> = {},
): AsyncGenerator<number, ProbeResult> {
  const o = { ...PROBE_DEFAULTS, ...options };
  const n = trainY.length;
  let valX = o.val?.x ?? null;
  const valY = o.val?.y ?? null;
  if (o.normalize) {
    trainX = normalizeRows(trainX, n, dim);
    testX = normalizeRows(testX, testY.length, dim);
    if (valX && valY) valX = normalizeRows(valX, valY.length, dim);
  }
  const { mean, invStd } = standardiser(trainX, n, dim);
  const std = (x: Float32Array, rows: number) =>
    tf.tidy(() => tf.mul(tf.sub(tf.tensor2d(x, [rows, dim]), tf.tensor1d(mean)), tf.tensor1d(invStd)) as tf.Tensor2D);
  const xVal = valX && valY?.length ? std(valX, valY.length) : null;
  const [xTrain, yTrain, xTest, w, b] = tf.tidy(() => {
    return [
      std(trainX, n),
      tf.oneHot(tf.tensor1d(trainY, 'int32'), numClasses).toFloat() as tf.Tensor2D,
      std(testX, testY.length),
      tf.variable(tf.zeros([dim, numClasses])) as tf.Variable<tf.Rank.R2>,
      tf.variable(tf.zeros([numClasses])) as tf.Variable<tf.Rank.R1>,
    ] as const;
  });
  const opt = tf.train.adam(o.learningRate);
  const predict = async (x: tf.Tensor2D) => {
    const p = tf.tidy(() => tf.argMax(tf.add(matMul(x, w), b), 1));
    try {
      return (await p.data()) as Int32Array;
    } finally {
      p.dispose();
    }
  };
  const acc = (pred: Int32Array, y: Int32Array) => pred.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / y.length;
  // Validation: accuracy, ties broken by the lower cross-entropy (a few validation images tie often).
  const yVal = valY && xVal ? tf.tidy(() => tf.oneHot(tf.tensor1d(valY, 'int32'), numClasses).toFloat()) : null;
  const validate = async (x: tf.Tensor2D, y: tf.Tensor, labels: Int32Array) => {
    const [p, l] = tf.tidy(() => {
      const logits = tf.add(matMul(x, w), b);
      return [tf.argMax(logits, 1), tf.losses.softmaxCrossEntropy(y, logits)];
    });
    try {
      const [pred, loss] = (await Promise.all([p.data(), l.data()])) as [Int32Array, Float32Array];
      return { accuracy: acc(pred, labels), loss: loss[0] };
    } finally {
      tf.dispose([p, l]);
    }
  };
  let best: { accuracy: number; loss: number; w: tf.Tensor; b: tf.Tensor } | null = null;
  const yieldMs = o.yieldMs ?? YIELD_MS;
  let lastYield = performance.now();
  try {
    for (let it = 0; it < o.iterations; it++) {
      tf.tidy(() => {
        opt.minimize(
          () => {
            const logits = tf.add(matMul(xTrain, w), b);
            const ce = tf.losses.softmaxCrossEntropy(yTrain, logits);
            return tf.add(ce, tf.mul(o.weightDecay, tf.sum(tf.square(w)))) as tf.Scalar;
          },
          false,
          [w, b],
        );
      });
      const last = it === o.iterations - 1;
      if (xVal && yVal && valY && (it % YIELD_EVERY === YIELD_EVERY - 1 || last)) {
        const v = await validate(xVal, yVal, valY);
        if (!best || v.accuracy > best.accuracy || (v.accuracy === best.accuracy && v.loss < best.loss)) {
          if (best) tf.dispose([best.w, best.b]);
          best = { ...v, w: tf.clone(w), b: tf.clone(b) };
        }
      }
      if (it % YIELD_EVERY === YIELD_EVERY - 1 || performance.now() - lastYield >= yieldMs) {
        yield (it + 1) / o.iterations;
        lastYield = performance.now();
      }
    }
    if (best) {
      w.assign(best.w as tf.Tensor2D);
      b.assign(best.b as tf.Tensor1D);
    }
    return {
      trainAccuracy: acc(await predict(xTrain), trainY),
      testAccuracy: acc(await predict(xTest), testY),
    };
  } finally {
    opt.dispose();
    if (best) tf.dispose([best.w, best.b]);
    tf.dispose([xTrain, yTrain, xTest, w, b]);
    if (xVal) xVal.dispose();
    if (yVal) yVal.dispose();
  }
}
