#!/usr/bin/env node
// node scripts/clip-node.mjs [--dataset shapes|twoShapes] [--text bow|attention] [--seconds 150]
//   [--batch 64] [--dim 32] [--lr 0.002] [--temp 0.07|learned] [--width 32] [--omit 0.3]
//   [--train 6000] [--test 2000] [--every 30] [--seed 1] [--negatives swap]
// De-risks CLIP mode outside the browser: trains the image encoder and a text encoder with
// clipLoss on the wasm backend in Node (one thread), and prints, against seconds and steps,
// zero-shot accuracy on held-out images (shape, colour, and colour x shape on the held-out
// compositions), precision at 12 of text search over all colour x shape queries, and on
// two shapes the binding test. --negatives swap (two shapes): each batch also gets every
// caption with its colours swapped as a hard negative (NegCLIP). The TypeScript sources are loaded through Vite's SSR loader.
import * as tf from '@tensorflow/tfjs';
import { nodeEngine } from './lib/nodeEngine.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const datasetId = opt('dataset', 'shapes');
const textId = opt('text', 'bow');
const seconds = Number(opt('seconds', 150));
const batch = Number(opt('batch', 64));
const dim = Number(opt('dim', 32));
const lr = Number(opt('lr', 0.002));
const tempOpt = opt('temp', '0.07');
const width = Number(opt('width', 32));
const omit = Number(opt('omit', 0.3));
const trainCount = Number(opt('train', 6000));
const testCount = Number(opt('test', 2000));
const every = Number(opt('every', 30));
const seed = Number(opt('seed', 1));
const swapNegatives = opt('negatives', '') === 'swap';
const MAX_LEN = 16;

const { load, close } = await nodeEngine();
const { makeShapes, SHAPE_NAMES, COLOUR_NAMES } = await load('/src/core/shapes.ts');
const { captionBatch, captionVocabulary } = await load('/src/core/captions.ts');
const { heldOutPairs, isHeldOut, withoutHeldOut, onlyHeldOut, singlePairs } = await load('/src/core/heldOutPairs.ts');
const { makeTwoShapes, twoShapeFacts, twoShapePairs, twoShapeCaption, swappedColours } =
  await load('/src/core/twoShapes.ts');
const { Tokenizer } = await load('/src/core/tokenizer.ts');
const { gatherImages } = await load('/src/core/dataset.ts');
const { Rng, deriveSeed } = await load('/src/core/rng.ts');
const Z = await load('/src/core/zeroShot.ts');
const { buildClipModel, clipOptimizer, clipStep, embedImages, embedTexts } = await load('/src/engine/clipStep.ts');

const two = datasetId === 'twoShapes';
const make = two ? makeTwoShapes : makeShapes;
const train = make(trainCount, seed);
const test = make(testCount, seed + 1000);
const held = heldOutPairs(seed);
const pairsOf = (d) => (two ? twoShapePairs(d) : singlePairs(d.factors[1].values, d.factors[0].values));
const trainSample = make(2000, seed);
const all = Int32Array.from({ length: trainCount }, (_, i) => i);
const trainIdx = withoutHeldOut(all, pairsOf(train), held);
const testIdx = Int32Array.from({ length: testCount }, (_, i) => i);
const compIdx = onlyHeldOut(testIdx, pairsOf(test), held);
const tok = new Tokenizer(captionVocabulary());
const learned = tempOpt === 'learned';
const model = buildClipModel({
  imageModel: 'default',
  shape: { height: 32, width: 32, channels: 3, embeddingDim: dim },
  text: textId,
  textShape: { vocabSize: tok.size, maxLen: MAX_LEN, width, hidden: 2 * width },
  learnTemperature: learned,
  seed,
});
const optimizer = clipOptimizer(model, lr);
const captionOf = (d, idx, rng) =>
  two ? Array.from(idx, (i) => twoShapeCaption(twoShapeFacts(d, i), rng)) : captionBatch(d, idx, rng, omit);

console.log(
  `CLIP ${datasetId}, text ${textId} (${model.text.parameterCount} params), image ${model.image.parameterCount} params, ` +
    `batch ${batch}, dim ${dim}, lr ${lr}, temperature ${tempOpt}, width ${width}, omit ${omit}${swapNegatives ? ', swapped-colour hard negatives' : ''}; ` +
    `train ${trainIdx.length} images (held out: ${held.map((p) => `${COLOUR_NAMES[p.colour]} ${SHAPE_NAMES[p.shape]}`).join(', ')}), test ${testCount}, compositions ${compIdx.length}`,
);

function embedAllImages(d) {
  const out = new Float32Array(d.count * dim);
  for (let s = 0; s < d.count; s += 250) {
    const idx = Int32Array.from({ length: Math.min(250, d.count - s) }, (_, k) => s + k);
    const x = tf.tensor4d(gatherImages(d, idx), [idx.length, 32, 32, 3]);
    const z = embedImages(model, x);
    out.set(z.dataSync(), s * dim);
    tf.dispose([x, z]);
  }
  return out;
}
function embedTextRows(texts) {
  const enc = tok.encode(texts, MAX_LEN);
  if (enc.unknown.length) throw new Error(`unknown words in prompts: ${enc.unknown}`);
  const z = embedTexts(model, enc);
  const out = z.dataSync().slice();
  z.dispose();
  return out;
}
const pick = (x, idx) => {
  const out = new Float32Array(idx.length * dim);
  idx.forEach((i, k) => out.set(x.subarray(i * dim, (i + 1) * dim), k * dim));
  return out;
};

function evaluate(d = test) {
  const img = embedAllImages(d);
  const test = d;
  const r = {};
  if (two) {
    const trueEmb = embedTextRows(Array.from(testIdx, (i) => twoShapeCaption(twoShapeFacts(test, i), new Rng(i), 0)));
    const swapEmb = embedTextRows(
      Array.from(testIdx, (i) => twoShapeCaption(swappedColours(twoShapeFacts(test, i)), new Rng(i), 0)),
    );
    r.binding = Z.bindingAccuracy(img, trueEmb, swapEmb, dim);
    return r;
  }
  const shape = test.factors[0].values,
    colour = test.factors[1].values;
  const shapeT = ['a {shape}', 'a picture of a {shape}', '{shape}'];
  const shapeCls = Z.classEmbeddings(
    embedTextRows(
      Z.classPrompts(
        shapeT,
        SHAPE_NAMES.map((s) => ({ shape: s })),
      ),
    ),
    8,
    shapeT.length,
    dim,
  );
  r.shape = Z.zeroShotClassify(img, shapeCls, shape, dim).accuracy;
  // Colour prompts averaged over every shape as well as the templates (captions always name the shape).
  const colourT = SHAPE_NAMES.flatMap((s) => [`a {colour} ${s}`, `{colour} ${s}`]);
  const colourCls = Z.classEmbeddings(
    embedTextRows(
      Z.classPrompts(
        colourT,
        COLOUR_NAMES.map((c) => ({ colour: c })),
      ),
    ),
    8,
    colourT.length,
    dim,
  );
  r.colour = Z.zeroShotClassify(img, colourCls, colour, dim).accuracy;
  const bothT = ['a {colour} {shape}', '{colour} {shape}', 'a picture of a {colour} {shape}'];
  const pairs = COLOUR_NAMES.flatMap((c) => SHAPE_NAMES.map((s) => ({ colour: c, shape: s })));
  const bothCls = Z.classEmbeddings(embedTextRows(Z.classPrompts(bothT, pairs)), 64, bothT.length, dim);
  const bothLabels = Int32Array.from(compIdx, (i) => colour[i] * 8 + shape[i]);
  r.compositions = Z.zeroShotClassify(pick(img, compIdx), bothCls, bothLabels, dim).accuracy;
  const queries = embedTextRows(pairs.map((p) => `a ${p.colour} ${p.shape}`));
  let p12 = 0;
  pairs.forEach((_, q) => {
    const hits = Z.searchTopK(queries.subarray(q * dim, (q + 1) * dim), img, dim, 12);
    p12 += Z.precisionAtK(hits, (i) => colour[i] * 8 + shape[i] === q);
  });
  r.p12 = p12 / pairs.length;
  return r;
}

const pct = (x) => (x * 100).toFixed(1);
const report = (step, t, loss, temperature) => {
  const r = evaluate();
  // Shape accuracy on training images as well: far above the held-out figure means memorising.
  if (!two) r.trainShape = evaluate(trainSample).shape;
  const parts = Object.entries(r)
    .map(([k, v]) => `${k} ${pct(v)}%`)
    .join(', ');
  console.log(
    `  ${t.toFixed(0)} s, step ${step}: loss ${loss.toFixed(3)}, T ${temperature.toFixed(3)}; ${parts}; tensors ${tf.memory().numTensors}`,
  );
};

const t0 = Date.now();
let nextEval = every;
let step = 0,
  loss = NaN,
  temperature = learned ? 0.07 : Number(tempOpt),
  dupShare = 0;
while ((Date.now() - t0) / 1000 < seconds) {
  const rng = new Rng(deriveSeed(seed, step));
  const idx = Int32Array.from({ length: batch }, () => trainIdx[rng.int(trainIdx.length)]);
  const captions = captionOf(train, idx, rng);
  dupShare += Z.duplicateCaptionShare(captions);
  const x = tf.tensor4d(gatherImages(train, idx), [batch, 32, 32, 3]);
  // A swapped caption may name a held-out pair ("blue star"): those are left out, so no
  // training caption, negative or not, names one.
  const negatives =
    two && swapNegatives
      ? Array.from(idx, (i) => swappedColours(twoShapeFacts(train, i)))
          .filter((f) => !isHeldOut(held, f.leftColour, f.leftShape) && !isHeldOut(held, f.rightColour, f.rightShape))
          .map((f) => twoShapeCaption(f, rng))
      : [];
  const res = await clipStep(model, optimizer, x, tok.encode(captions, MAX_LEN), {
    temperature,
    negatives: negatives.length ? tok.encode(negatives, MAX_LEN) : undefined,
  });
  x.dispose();
  loss = res.loss;
  if (learned) temperature = res.temperature;
  step++;
  const t = (Date.now() - t0) / 1000;
  if (t >= nextEval) {
    const te = Date.now();
    report(step, t, loss, temperature);
    nextEval = t + every;
    // Evaluation time is not training time.
    const spent = Date.now() - te;
    nextEval += spent / 1000;
  }
}
report(step, (Date.now() - t0) / 1000, loss, temperature);
console.log(
  `  ${(step / ((Date.now() - t0) / 1000)).toFixed(1)} steps/s incl. evaluation; duplicate captions per batch ${pct(dupShare / step)}%`,
);
await close();
