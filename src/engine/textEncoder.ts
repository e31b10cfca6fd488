// The CLIP text encoder, trained from scratch next to the image encoder: token embeddings,
// then one of two encoders projecting into the image encoder's embedding space.
//   bow: the mean of the words' embeddings, then a small MLP. Blind to word order, so "a red
//     star and a blue ring" and "a blue star and a red ring" get the same embedding.
//   attention: learned positions, one pre-LN single-head self-attention block with a residual
//     and a ReLU feed-forward layer per token (where a word and the words it attends to
//     combine into "red star" rather than "red" + "star"), then a masked mean and the same MLP.
// Token lookup is a one-hot product built on the host: no gather gradient (a scatter) is
// needed, and a one-hot matrix of a batch's ids is small (batch x length x vocabulary).

import * as tf from '@tensorflow/tfjs';
import { PAD_ID, type TokenBatch } from '../core/tokenizer';
import { biasAdd, matMul } from './ops/matmul';

export type TextEncoderId = 'bow' | 'attention';

export interface TextEncoderShape {
  vocabSize: number;
  maxLen: number;
  /** Width of the token embeddings (and of the attention block). */
  width: number;
  /** Hidden width of the output MLP. */
  hidden: number;
  /** The shared embedding dimension (the image encoder's). */
  outDim: number;
}

export interface TextEncoder {
  id: TextEncoderId;
  /** Token ids -> N x outDim (not normalised; the loss normalises). */
  encode(tokens: TokenBatch): tf.Tensor2D;
  variables: tf.Variable[];
  parameterCount: number;
  outDim: number;
  dispose(): void;
}

/** Pushed onto the attention scores of pad keys: exp(-1e4) is 0, and it stays finite. */
const PAD_SCORE = 1e4;

/**
 * Each row scaled to mean 0 and variance 1 (no learned gain or bias), before the attention and
 * the feed-forward layer (pre-LN, as in GPT-2), so their inputs keep one scale however the
 * residual stream grows.
 */
function layerNorm(x: tf.Tensor2D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 1, true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))) as tf.Tensor2D;
}

interface Dense {
  w: tf.Variable<tf.Rank.R2>;
  b: tf.Variable<tf.Rank.R1>;
  relu: boolean;
}

export function buildTextEncoder(id: TextEncoderId, s: TextEncoderShape, seed: number): TextEncoder {
  let seedCounter = seed * 1000 + 500;
  const uniform = (shape: number[], lim: number) => tf.randomUniform(shape, -lim, lim, 'float32', seedCounter++);
  const vars: tf.Variable[] = [];
  const variable = <T extends tf.Tensor>(t: T) => {
    const v = tf.variable(t);
    vars.push(v);
    return v as unknown as tf.Variable & T;
  };
  const dense = (fin: number, fout: number, relu: boolean, zero = false): Dense => ({
    w: variable(
      (zero
        ? tf.zeros([fin, fout])
        : uniform([fin, fout], relu ? Math.sqrt(6 / fin) : Math.sqrt(6 / (fin + fout)))) as tf.Tensor2D,
    ),
    b: variable(tf.zeros([fout]) as tf.Tensor1D),
    relu,
  });
  const W = s.width;
  interface Block {
    positions: tf.Variable<tf.Rank.R2>;
    q: Dense;
    k: Dense;
    v: Dense;
    o: Dense;
    ff1: Dense;
    ff2: Dense;
  }
  // Variables survive tf.tidy; the random tensors that initialise them do not.
  let built!: { embeddings: tf.Variable<tf.Rank.R2>; attn: Block | null; mlp: Dense[] };
  tf.tidy(() => {
    const embeddings = variable(
      tf.mul(tf.randomNormal([s.vocabSize, W], 0, 1, 'float32', seedCounter++), 0.5) as tf.Tensor2D,
    );
    const attn: Block | null =
      id !== 'attention'
        ? null
        : {
            positions: variable(
              tf.mul(tf.randomNormal([s.maxLen, W], 0, 1, 'float32', seedCounter++), 0.1) as tf.Tensor2D,
            ),
            // The two layers that write into the residual start at zero, so the block starts as the
            // identity and the encoder as bag of words plus positions. With random ones unrelated
            // captions started out nearly parallel, and CLIP stayed at chance for a long time:
            // the image encoder had no differences between captions to learn from.
            q: dense(W, W, false),
            k: dense(W, W, false),
            v: dense(W, W, false),
            o: dense(W, W, false, true),
            ff1: dense(W, 2 * W, true),
            ff2: dense(2 * W, W, false, true),
          };
    built = { embeddings, attn, mlp: [dense(W, s.hidden, true), dense(s.hidden, s.outDim, false)] };
  });
  const { embeddings, attn, mlp } = built;
  const apply = (x: tf.Tensor2D, l: Dense) => {
    const y = biasAdd(matMul(x, l.w), l.b);
    return l.relu ? tf.relu(y) : y;
  };

  return {
    id,
    outDim: s.outDim,
    variables: vars,
    parameterCount: vars.reduce((n, v) => n + v.size, 0),
    encode(tokens: TokenBatch) {
      const { count: n, maxLen: L, ids } = tokens;
      if (L !== s.maxLen && id === 'attention')
        throw new Error(`text encoder: ${L} tokens per row, built for ${s.maxLen}`);
      const oneHot = new Float32Array(n * L * s.vocabSize);
      const mask = new Float32Array(n * L);
      const counts = new Float32Array(n);
      for (let p = 0; p < n * L; p++) {
        oneHot[p * s.vocabSize + ids[p]] = 1;
        if (ids[p] !== PAD_ID) {
          mask[p] = 1;
          counts[Math.floor(p / L)]++;
        }
      }
      for (let r = 0; r < n; r++) counts[r] = Math.max(counts[r], 1);
      return tf.tidy(() => {
        const mask3 = tf.tensor3d(mask, [n, L, 1]);
        let x = matMul(tf.tensor2d(oneHot, [n * L, s.vocabSize]), embeddings); // N*L x W
        if (attn) {
          const a = attn;
          const x3 = tf.add(tf.reshape(x, [n, L, W]), a.positions) as tf.Tensor3D;
          const flat = tf.reshape(x3, [n * L, W]) as tf.Tensor2D;
          const h = layerNorm(flat);
          const q = tf.reshape(apply(h, a.q), [n, L, W]) as tf.Tensor3D;
          const k = tf.reshape(apply(h, a.k), [n, L, W]) as tf.Tensor3D;
          const v = tf.reshape(apply(h, a.v), [n, L, W]) as tf.Tensor3D;
          const keyBias = tf.tensor3d(
            mask.map((m) => (m ? 0 : -PAD_SCORE)),
            [n, 1, L],
          );
          const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(W)), keyBias);
          const ctx = tf.reshape(tf.matMul(tf.softmax(scores), v), [n * L, W]) as tf.Tensor2D;
          const y = tf.add(flat, apply(ctx, a.o)) as tf.Tensor2D;
          x = tf.add(y, apply(apply(layerNorm(y), a.ff1), a.ff2)) as tf.Tensor2D;
        }
        const pooled = tf.div(
          tf.sum(tf.mul(tf.reshape(x, [n, L, W]), mask3), 1),
          tf.tensor2d(counts, [n, 1]),
        ) as tf.Tensor2D;
        return apply(apply(pooled, mlp[0]), mlp[1]);
      });
    },
    dispose() {
      for (const v of vars) v.dispose();
    },
  };
}
