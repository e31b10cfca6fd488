// The contrastive update in one place, shared by the trainer and the benchmark: both views
// through the encoder in one batch, the loss, and its gradients. The caller reads the loss
// and decides whether to apply the gradients (a non-finite loss must not touch the weights).

import * as tf from '@tensorflow/tfjs';
import { alignmentLoss, l2Normalize, ntXentLoss, supConLoss } from './ops/losses';
import { normalizeRows, ntXentNormalized } from './ops/gpuLoss';
import { stockGradients } from './ops/stockGradients';
import type { LossId } from '../core/settings';
import type { Encoder } from './model';

export interface StepOptions {
  loss: LossId;
  temperature: number;
  /** Labels of the 2N rows (SupCon only). */
  labels?: Int32Array;
  /** Fault injection: make the loss NaN (tests the divergence path). */
  poison?: boolean;
}

export interface StepTensors {
  value: tf.Scalar;
  grads: tf.NamedTensorMap;
  /** The 2N projections, L2-normalised, before the update (the caller disposes them). */
  z: tf.Tensor2D;
}

/** The chosen loss of 2N raw projections (view 1 rows, then view 2 rows). One definition, so
 *  the training step and slow motion's "after" loss can never disagree about what is measured. */
export function batchLoss(z: tf.Tensor2D, o: StepOptions): tf.Scalar {
  return tf.tidy(() => {
    if (o.loss === 'supcon') {
      if (!o.labels) throw new Error('SupCon needs labels');
      return supConLoss(z, o.labels, o.temperature);
    }
    const [a, b] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return o.loss === 'align' ? alignmentLoss(a, b) : ntXentLoss(a, b, o.temperature);
  });
}

export function lossAndGrads(encoder: Encoder, v1: tf.Tensor4D, v2: tf.Tensor4D, o: StepOptions): StepTensors {
  let zOut: tf.Tensor2D | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const z = encoder.project(encoder.encode(tf.concat([v1, v2], 0)));
    if (o.loss === 'ntxent' && stockGradients()) {
      // GPU backends: one normalisation shared by the loss and the kept projections, and the
      // loss with its gradient written out (ops/gpuLoss.ts): far fewer programs per step.
      const zn = normalizeRows(z);
      zOut = tf.keep(zn);
      const loss = ntXentNormalized(zn, o.temperature);
      return o.poison ? tf.mul(loss, NaN) : loss;
    }
    zOut = tf.keep(l2Normalize(z));
    const loss = batchLoss(z, o);
    return o.poison ? tf.mul(loss, NaN) : loss;
  }, encoder.variables);
  return { value, grads, z: zOut as unknown as tf.Tensor2D };
}
