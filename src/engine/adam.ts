// Adam over all the model's parameters at once. tf.train.adam updates variable by variable,
// about 15 kernels each (132 for the reference model's 8 variables, counted with tf.profile):
// on a GPU, where a step costs per program dispatched, that is a third of the step. Same
// arithmetic as tf.train.adam (bias corrections folded into the step size, epsilon 1e-7).
//
// On the GPU backends the moments of a group of variables are one [2, P] tensor ([m; v]),
// updated from the group's gradients by one program of our own, and each variable is then moved
// by one more (ops/fusedKernels.ts): no concatenation, no slice, no scalar uploaded, about 12
// programs for the default model's 10 variables. Elsewhere (wasm, cpu), where a kernel costs
// little, the gradients are concatenated into one vector, both moments are single vectors, and
// the update is subtracted from the parameters, concatenated the same way, and split back; on
// wasm one kernel of our own does all of it in one pass (kernels/gradients.wat's adam).

import * as tf from '@tensorflow/tfjs';
import { wasmAdam } from './kernels/gradients';
import { ADAM_GROUP, adamApply, adamMoments } from './ops/fusedKernels';
import { stockGradients } from './ops/stockGradients';

export interface AdamMoments {
  iterations: number;
  /** One array per variable, in the order the optimizer was given them. */
  first: Float32Array[];
  second: Float32Array[];
}

/** Where a variable's moments live: a state tensor, and the flat offsets of m and v in it. */
interface Slot {
  state: number;
  first: number;
  second: number;
}

/** The optimizer's state on the device, for going back to it later. */
export interface AdamSnapshot {
  t: number;
  state: tf.Tensor[];
}

export class FlatAdam {
  /** fused: [m; v] per group of variables; stock: m and v over all of them. */
  private readonly state: tf.Variable[];
  /** fused: the variables' indices, group by group. */
  private readonly groups: number[][];
  private readonly slots: Slot[];
  private readonly sizes: number[];
  private readonly fused: boolean;
  private t = 0;

  constructor(
    private readonly vars: tf.Variable[],
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.sizes = vars.map((x) => x.size);
    // Decided once: the state's layout depends on it, and the backend is chosen before any model.
    this.fused = stockGradients();
    this.groups = [];
    this.slots = [];
    const shapes: number[][] = [];
    if (this.fused) {
      for (let i = 0; i < vars.length; i += ADAM_GROUP) {
        const group = vars.slice(i, i + ADAM_GROUP).map((_, k) => i + k);
        const total = group.reduce((a, k) => a + this.sizes[k], 0);
        let o = 0;
        for (const k of group) {
          this.slots[k] = { state: this.groups.length, first: o, second: total + o };
          o += this.sizes[k];
        }
        this.groups.push(group);
        shapes.push([2, total]);
      }
    } else {
      const total = this.sizes.reduce((a, b) => a + b, 0);
      let o = 0;
      // m and v are states 0 and 1, each variable at the same offset in both (where()).
      for (let k = 0; k < vars.length; k++) {
        this.slots[k] = { state: 0, first: o, second: o };
        o += this.sizes[k];
      }
      shapes.push([total], [total]);
    }
    // Variables survive tidy; the zeros they start from do not.
    this.state = tf.tidy(() => shapes.map((s) => tf.variable(tf.zeros(s), false)));
  }

  get iterations(): number {
    return this.t;
  }

  /** State tensor and flat offset of variable k's first (0) or second (1) moment. */
  private where(k: number, which: 0 | 1): [number, number] {
    const s = this.slots[k];
    if (this.fused) return [s.state, which === 0 ? s.first : s.second];
    return [which, s.first];
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
    const gradOf = (x: tf.Variable) => {
      const gx = grads[x.name];
      if (!gx) throw new Error(`No gradient for ${x.name}`);
      return gx;
    };
    tf.tidy(() => {
      if (this.fused) {
        this.groups.forEach((group, gi) => {
          const mv = adamMoments(
            this.state[gi] as tf.Tensor2D,
            group.map((k) => gradOf(this.vars[k])),
            { beta1: b1, beta2: b2 },
          );
          this.state[gi].assign(mv);
          for (const k of group) this.vars[k].assign(adamApply(this.vars[k], mv, this.slots[k].first, stepSize, eps));
        });
        return;
      }
      const [mState, vState] = this.state;
      const own = wasmAdam(mState as tf.Tensor1D, vState as tf.Tensor1D, this.vars.map(gradOf), this.vars, {
        b1,
        b2,
        step: stepSize,
        eps,
      });
      if (own) {
        mState.assign(own.m);
        vState.assign(own.v);
        this.vars.forEach((x, i) => x.assign(own.vars[i]));
        return;
      }
      const flat = (ts: tf.Tensor[]) => tf.concat(ts.map((t) => tf.reshape(t, [-1])));
      const g = flat(this.vars.map(gradOf));
      const m = tf.add(tf.mul(mState, b1), tf.mul(g, 1 - b1));
      const v = tf.add(tf.mul(vState, b2), tf.mul(tf.square(g), 1 - b2));
      mState.assign(m);
      vState.assign(v);
      const update = tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), stepSize);
      // A slice costs a kernel either way: one subtraction over all parameters, then one slice
      // per variable, saves a subtraction per variable.
      const next = tf.split(tf.sub(flat(this.vars), update), this.sizes);
      this.vars.forEach((x, i) => x.assign(tf.reshape(next[i], x.shape)));
    });
  }

  async moments(): Promise<AdamMoments> {
    const values = (await Promise.all(this.state.map((s) => s.data()))) as Float32Array[];
    const cut = (which: 0 | 1) =>
      this.sizes.map((n, k) => {
        const [s, o] = this.where(k, which);
        return values[s].slice(o, o + n);
      });
    return { iterations: this.t, first: cut(0), second: cut(1) };
  }

  /** Installs saved moments (checked by the caller to have the variables' sizes). */
  setMoments(s: AdamMoments): void {
    const values = this.state.map((x) => new Float32Array(x.size));
    ([s.first, s.second] as const).forEach((parts, which) => {
      this.sizes.forEach((n, k) => {
        const p = parts[k];
        if (!p || p.length !== n) throw new Error(`Moment ${k} has ${p?.length ?? 0} values, its variable ${n}`);
        const [st, o] = this.where(k, which as 0 | 1);
        values[st].set(p, o);
      });
    });
    tf.tidy(() => this.state.forEach((x, i) => x.assign(tf.tensor(values[i], x.shape))));
    this.t = s.iterations;
  }

  /** A copy of the state on the device (copies, no read), for going back to it later. */
  snapshot(): AdamSnapshot {
    return { t: this.t, state: this.state.map((x) => tf.clone(x)) };
  }

  restore(s: AdamSnapshot): void {
    this.state.forEach((x, i) => x.assign(s.state[i]));
    this.t = s.t;
  }

  disposeSnapshot(s: AdamSnapshot): void {
    tf.dispose(s.state);
  }

  dispose(): void {
    tf.dispose(this.state);
  }
}
