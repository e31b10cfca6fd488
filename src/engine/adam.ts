// Adam over all the model's parameters at once. tf.train.adam updates variable by variable,
// about 15 kernels each (132 for the reference model's 8 variables, counted with tf.profile):
// on a GPU, where a step costs per kernel dispatched, that is a third of the step. Here the
// gradients are concatenated into one vector, both moments are single vectors, and the update
// is subtracted from the parameters, concatenated the same way, and split back into the
// variables: about 25 kernels whatever the number of layers. Same
// arithmetic as tf.train.adam (bias corrections folded into the step size, epsilon 1e-7).

import * as tf from '@tensorflow/tfjs';

export interface AdamMoments {
  iterations: number;
  /** One array per variable, in the order the optimizer was given them. */
  first: Float32Array[];
  second: Float32Array[];
}

export class FlatAdam {
  private readonly m: tf.Variable<tf.Rank.R1>;
  private readonly v: tf.Variable<tf.Rank.R1>;
  private readonly sizes: number[];
  private t = 0;

  constructor(
    private readonly vars: tf.Variable[],
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.sizes = vars.map((x) => x.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    // Variables survive tidy; the zeros they start from do not.
    [this.m, this.v] = tf.tidy(() => [tf.variable(tf.zeros([total]), false), tf.variable(tf.zeros([total]), false)]);
  }

  get iterations(): number {
    return this.t;
  }

  /** One update from gradients keyed by variable name (what tf.variableGrads returns). */
  applyGradients(grads: tf.NamedTensorMap): void {
    this.t++;
    const { beta1: b1, beta2: b2 } = this;
    // lr * sqrt(1 - b2^t) / (1 - b1^t), with epsilon scaled the same way, equals tf's
    // lr * mHat / (sqrt(vHat) + eps) exactly, and costs no kernel (plain numbers).
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const stepSize = (this.learningRate * Math.sqrt(c2)) / c1;
    const eps = this.epsilon * Math.sqrt(c2);
    tf.tidy(() => {
      const flat = (ts: tf.Tensor[]) => tf.concat(ts.map((t) => tf.reshape(t, [-1])));
      const g = flat(
        this.vars.map((x) => {
          const gx = grads[x.name];
          if (!gx) throw new Error(`No gradient for ${x.name}`);
          return gx;
        }),
      );
      const m = tf.add(tf.mul(this.m, b1), tf.mul(g, 1 - b1));
      const v = tf.add(tf.mul(this.v, b2), tf.mul(tf.square(g), 1 - b2));
      this.m.assign(m as tf.Tensor1D);
      this.v.assign(v as tf.Tensor1D);
      const update = tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), stepSize);
      if (tf.getBackend() === 'webgl') {
        // WebGL slices a flat tensor as a view of its texture, for free: one subtraction each.
        const parts = tf.split(update, this.sizes);
        this.vars.forEach((x, i) => x.assign(tf.sub(x, tf.reshape(parts[i], x.shape))));
        return;
      }
      // Elsewhere a slice costs a kernel (a program on WebGPU) either way: one subtraction over
      // all parameters, then one slice per variable, saves a subtraction per variable.
      const next = tf.split(tf.sub(flat(this.vars), update), this.sizes);
      this.vars.forEach((x, i) => x.assign(tf.reshape(next[i], x.shape)));
    });
  }

  async moments(): Promise<AdamMoments> {
    const [m, v] = (await Promise.all([this.m.data(), this.v.data()])) as Float32Array[];
    const cut = (a: Float32Array) => {
      let o = 0;
      return this.sizes.map((n) => a.slice(o, (o += n)));
    };
    return { iterations: this.t, first: cut(m), second: cut(v) };
  }

  /** Installs saved moments (checked by the caller to have the variables' sizes). */
  setMoments(s: AdamMoments): void {
    const flat = (parts: Float32Array[]) => {
      const out = new Float32Array(this.m.size);
      let o = 0;
      parts.forEach((p, i) => {
        if (p.length !== this.sizes[i])
          throw new Error(`Moment ${i} has ${p.length} values, its variable ${this.sizes[i]}`);
        out.set(p, o);
        o += p.length;
      });
      return out;
    };
    const first = flat(s.first);
    const second = flat(s.second);
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(first));
      this.v.assign(tf.tensor1d(second));
    });
    this.t = s.iterations;
  }

  /** A copy of the state on the device (two copies, no read), for going back to it later. */
  snapshot(): { t: number; m: tf.Tensor1D; v: tf.Tensor1D } {
    return { t: this.t, m: tf.clone(this.m), v: tf.clone(this.v) };
  }

  restore(s: { t: number; m: tf.Tensor1D; v: tf.Tensor1D }): void {
    this.m.assign(s.m);
    this.v.assign(s.v);
    this.t = s.t;
  }

  disposeSnapshot(s: { m: tf.Tensor; v: tf.Tensor }): void {
    tf.dispose([s.m, s.v]);
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
