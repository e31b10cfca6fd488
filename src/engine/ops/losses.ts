// Contrastive losses: NT-Xent (SimCLR) and SupCon. Both are written as logsumexp minus the
// positive logit, never as a ratio of exponentials: at tau = 0.01 the logits reach 100 and
// exp(100) overflows float32. Everything runs inside tf.tidy so only the returned scalar
// survives, and everything is built from differentiable ops so tf.grad /
// optimizer.minimize can train through it.
import * as tf from '@tensorflow/tfjs';
import { matMul } from './matmul';

/** Subtracted from the self logits after dividing by tau. Finite (unlike -Infinity) so it
 *  survives float16 WebGL textures and never makes 0 * inf = NaN in the backward pass;
 *  1e4 dwarfs the largest real logit (1/tau = 100 at tau = 0.01), so exp(-1e4) == 0. */
export const SELF_MASK = 1e4;

/** Floor on the squared row norm: a zero row maps to zero instead of 0/0 = NaN. It is
 *  applied before the square root so the backward pass never sees sqrt'(0) = inf. */
const NORM_EPS = 1e-12;

/** Row-wise L2 normalisation, x / ||x||, safe for zero rows (they stay zero). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const sq = tf.sum(tf.square(x), 1, true);
    return tf.mul(x, tf.rsqrt(tf.maximum(sq, NORM_EPS))) as tf.Tensor2D;
  });
}

/**
 * logsumexp over each row, keepDims, with the gradient written out as softmax(x) * dy.
 * tf.logSumExp's autodiff goes through its max, whose gradient is a broadcasting Equal of
 * the whole M x M matrix: a slow scalar loop on wasm (docs/decisions/0002).
 */
export const rowLogSumExp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const value = tf.logSumExp(x, 1, true);
  save([x, value]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(tf.exp(tf.sub(saved[0], saved[1])), dy)],
  };
}) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;

/** Cosine-similarity logits z z^T / tau (rows of z normalised here), with the self
 *  logits pushed down by SELF_MASK so they drop out of every logsumexp. Shape M x M. */
export function maskedLogits(z: tf.Tensor2D, temperature: number): tf.Tensor2D {
  return tf.tidy(() => {
    const zn = l2Normalize(z);
    const m = zn.shape[0];
    const logits = tf.div(matMul(zn, zn, false, true), temperature);
    return tf.sub(logits, tf.mul(tf.eye(m), SELF_MASK)) as tf.Tensor2D;
  });
}

/**
 * NT-Xent / InfoNCE (SimCLR). a, b: N x D projections of the two views; row i of a and
 * row i of b are a positive pair. Returns the mean over all 2N anchors of
 * logsumexp_{k != i}(s_ik / tau) - s_{i,i+} / tau (lightly's convention; the SimCLR
 * reference code returns twice this).
 */
export function ntXentLoss(a: tf.Tensor2D, b: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const n = a.shape[0];
    const logits = maskedLogits(tf.concat([a, b], 0), temperature);
    // Partner of row i is i + N (first view) or i - N (second view).
    const partner = tf.tensor1d(
      Array.from({ length: 2 * n }, (_, i) => (i + n) % (2 * n)),
      'int32',
    );
    const pos = tf.sum(tf.mul(logits, tf.oneHot(partner, 2 * n)), 1);
    return tf.mean(tf.sub(tf.reshape(rowLogSumExp(logits), [2 * n]), pos)) as tf.Scalar;
  });
}

/**
 * Supervised contrastive loss, Khosla et al. L_out (the better of their two variants).
 * z: 2N x D (view 1 rows then view 2 rows), labels: one per row (2N). For anchor i,
 * l_i = -(1/|P(i)|) sum_{p in P(i)} (s_ip/tau - logsumexp_{a != i} s_ia/tau), where P(i)
 * is every other row with i's label. Mean over anchors that have at least one positive.
 * With all images in distinct classes this is NT-Xent exactly.
 */
export function supConLoss(z: tf.Tensor2D, labels: ArrayLike<number>, temperature: number): tf.Scalar {
  const m = z.shape[0];
  if (labels.length !== m) throw new Error(`SupCon: ${labels.length} labels for ${m} rows`);
  // The positive mask (same label, self excluded) and each row's 1/|P(i)| are built here on the
  // host, where the labels are: a broadcast Equal on 2N x 2N is one of wasm's slow loops.
  // Rows without a positive get weight 0, so they drop out of the mean.
  const mask = new Float32Array(m * m),
    rowWeight = new Float32Array(m);
  let anchors = 0;
  for (let i = 0; i < m; i++) {
    let n = 0;
    for (let j = 0; j < m; j++)
      if (j !== i && labels[j] === labels[i]) {
        mask[i * m + j] = 1;
        n++;
      }
    if (n > 0) {
      rowWeight[i] = 1 / n;
      anchors++;
    }
  }
  return tf.tidy(() => {
    const logits = maskedLogits(z, temperature);
    // The diagonal's huge negative logProb is multiplied by 0 here, which is why the mask
    // constant in maskedLogits must be finite.
    const logProb = tf.sub(logits, rowLogSumExp(logits));
    const perRow = tf.sum(tf.mul(tf.tensor2d(mask, [m, m]), logProb), 1);
    return tf.div(tf.neg(tf.sum(tf.mul(perRow, tf.tensor1d(rowWeight)))), Math.max(anchors, 1)) as tf.Scalar;
  });
}

/**
 * Alignment alone (Wang & Isola's L_align with alpha = 2): the mean over pairs of
 * ||a_i/|a_i| - b_i/|b_i| ||^2, between 0 (every pair coincides) and 4 (opposite). It only
 * pulls: nothing keeps different images apart, so mapping every image to one point minimises
 * it and training collapses (uniformity goes to 0). NT-Xent's negatives are what prevent that.
 */
export function alignmentLoss(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(l2Normalize(a), l2Normalize(b))), 1)) as tf.Scalar);
}
