// The guided lesson: short steps a teacher walks through with a class, kept as data so the
// words can be edited without touching a component. A step may set the state (a preset, a few
// settings, play / pause / one step), point at a part of the page, and ask a question whose
// answer stays hidden until revealed. A step names the panel it is about (where that panel is on
// the page is the UI's business). A number quoted here is arithmetic the class can check, a
// published result named as such, or a recorded run whose bench-results/ file it names.

import type { PanelId } from './panelIds';
import type { PresetId } from './presetIds';
import type { SettingsPatch } from './presets';

export interface LessonStep {
  id: string;
  title: string;
  /** Paragraphs, short enough to read from the back of a room. */
  body: string[];
  /** The state this step shows: a preset, then a patch over it. Steps without either keep the state. */
  preset?: PresetId;
  settings?: SettingsPatch;
  /** Start again from fresh weights even if only live settings change. */
  restart?: boolean;
  run?: 'play' | 'pause' | 'step';
  target?: PanelId;
  question?: { prompt: string; answer: string };
}

export const LESSON: readonly LessonStep[] = [
  {
    id: 'points',
    title: 'What the points are',
    body: [
      'Each dot is one of 500 held-out digits. A small neural network, the encoder, turns each image into 32 numbers, scaled to length 1; we see them projected onto the screen.',
      "The colour is the digit's true label. The encoder never sees it: the colours only let us judge what it learned. Right now its weights are random.",
    ],
    preset: 'simclr',
    run: 'pause',
    target: 'embedding',
    question: {
      prompt: 'Before any training, will images of the same digit already sit together?',
      answer:
        'More than you might think: a random network still maps similar pixels to similar outputs, and a nearest-neighbour vote on it already gets most MNIST digits right. But the colours are mixed: the order is only local. Training has to pull classes into groups and spread them apart, without labels.',
    },
  },
  {
    id: 'pairs',
    title: 'Positives and negatives',
    body: [
      'One training step takes a batch of N = 64 images and makes two random views of each: crops, small rotations, shifts and noise.',
      'For each view (the anchor), the other view of the same image is its positive. The other 2N − 2 = 126 views are its negatives. The panel shows the anchor, its positive and the six negatives it finds most similar.',
    ],
    run: 'step',
    target: 'triples',
    question: {
      prompt:
        'Some negatives show the same digit as the anchor (orange, "false negative"). What does the loss do with them?',
      answer:
        'It pushes them away like every other negative: without labels it cannot know they belong together. With ten classes, about one negative in ten is such a false negative.',
    },
  },
  {
    id: 'play',
    title: 'Play and watch',
    body: [
      'Press space or Play. Every step pulls each view toward its positive and pushes it away from its negatives.',
      'The loss starts near the dashed line log(2N − 1) and falls, and the colours separate in the embedding view.',
    ],
    preset: 'simclr',
    run: 'play',
    target: 'lossChart',
    question: {
      prompt: 'Why does the loss start near log(2N − 1) ≈ 4.84 for 64 images?',
      answer:
        'An encoder that cannot tell the 127 other views apart gives each the same softmax weight 1/127, and −log(1/127) = log 127 ≈ 4.84. Anything below the line is information the encoder has found.',
    },
  },
  {
    id: 'formula',
    title: 'The loss of one anchor',
    body: [
      'The loss is −log p₊: the softmax weight the anchor gives its positive among all 2N − 1 other views, with every similarity divided by the temperature τ.',
      'Green is the pull toward the positive, red the push from the negatives. The pushes add up exactly to the pull. "About the math" takes it line by line.',
    ],
    target: 'formula',
    question: {
      prompt: 'Can the loss reach zero?',
      answer:
        'Only in the limit. With the positive at similarity 1 and every negative at 0, the loss is −1/τ + log(exp(1/τ) + 2N − 2), about 0.61 at τ = 0.2 with 64 images: the negatives always keep some weight.',
    },
  },
  {
    id: 'temperature',
    title: 'Temperature and hard negatives',
    body: [
      "Each negative's weight is proportional to exp(s/τ), s being its similarity to the anchor. A small τ turns small differences in similarity into large differences in weight, so the hardest negatives, the most similar ones, take almost all the push.",
      'This preset trains at τ = 0.05. The big red number counts how many negatives effectively push.',
    ],
    preset: 'temperature',
    run: 'play',
    target: 'effectiveNegatives',
    question: {
      prompt:
        'Pause, then drag the temperature from 0.05 up to 1. What happens to the number of effective negatives, and why?',
      answer:
        'It climbs toward all 126: at a high τ, e^(s/τ) is almost flat, so every negative pushes about equally. A low τ focuses on hard negatives but also pushes hard on same-class look-alikes; SimCLR found a middle value (τ = 0.1 with 4,096 negatives) best.',
    },
  },
  {
    id: 'batch',
    title: 'Batch size is the number of negatives',
    body: [
      "The negatives are simply the rest of the batch. The matrix shows the cosine similarity of every pair of the batch's 2N views.",
      'The two bright diagonal lines are the positive pairs; everything else is a negative.',
    ],
    preset: 'batch-size',
    run: 'play',
    target: 'matrix',
    question: {
      prompt: 'With N = 16 images, how many negatives does each anchor get? And with N = 256?',
      answer:
        '2N − 2 = 30, and 510 at N = 256. More negatives make the task harder and the picture of "everything else" better: SimCLR on ImageNet went from 57.5% at batch 256 to 64.8% at 8,192 (100 epochs).',
    },
  },
  {
    id: 'collapse',
    title: 'Collapse without negatives',
    body: [
      'This preset keeps only the pull: the loss is the distance between the two views of each image, with no negatives at all.',
      'Watch the points and the uniformity in the measurements.',
    ],
    preset: 'collapse',
    run: 'play',
    target: 'metrics',
    question: {
      prompt: 'What is the laziest way for the encoder to make every pair of views agree?',
      answer:
        'Send every image to the same point. The loss falls to 0 and alignment is perfect, but uniformity climbs to 0: every point sits in one place. The negatives are what keeps the space spread out.',
    },
  },
  {
    id: 'augment',
    title: 'Augmentations define invariance',
    body: [
      'The Shapes dataset has 8 shapes in 8 colours. Here colour jitter and random greyscale change the colour between the two views of an image; the preview shows such pairs.',
      'Whatever the augmentations change, the encoder is told to ignore.',
    ],
    preset: 'augmentations',
    run: 'play',
    target: 'augment',
    question: {
      prompt: 'If the two views of one image can have different colours, what will the encoder learn to ignore?',
      answer:
        'Colour. It can only match views by what survives the augmentations, so it has to use the shape: over a few hundred steps the kNN for shape rises and the kNN for colour falls.',
    },
  },
  {
    id: 'augment-off',
    title: 'Switch colour jitter off',
    body: [
      'The same experiment from fresh weights, with colour jitter and greyscale off: now both views of an image always have the same colour.',
      'The table gives the kNN accuracy for each factor of the images: shape, colour, size, position.',
    ],
    preset: 'augmentations',
    settings: { augments: { colorJitter: { on: false }, grayscale: { on: false } } },
    restart: true,
    run: 'play',
    target: 'factors',
    question: {
      prompt: 'Which factor will the encoder pick up now?',
      answer:
        'Colour: it is the easiest way to match two views. The kNN for colour stays high, like the untrained encoder\'s in the "random" column, while shape, instead of rising, falls. Augmentations are where we tell a model what does not matter.',
    },
  },
  {
    id: 'supcon',
    title: 'Supervised contrastive: same class = positive',
    body: [
      "With labels, SupCon counts every other view of the anchor's class in the batch as a positive.",
      'The false negatives from the second step are now pulled in instead of pushed away.',
    ],
    preset: 'supcon',
    run: 'play',
    target: 'embedding',
    question: {
      prompt: 'Why is SupCon not a fair rival to SimCLR?',
      answer:
        'It uses the labels, which SimCLR never sees. It shows what the labels are worth: tighter clusters and higher kNN accuracy, at the price of needing labelled data.',
    },
  },
  {
    id: 'knn',
    title: 'How good is it? kNN against baselines',
    body: [
      "kNN accuracy labels each held-out image by a vote of its 20 nearest training images in the encoder's representation h.",
      'Beside it: the same kNN on raw pixels and on the untrained encoder. The probes below use only 1, 10 or 100 labels per class.',
    ],
    preset: 'simclr',
    run: 'play',
    target: 'metrics',
    question: {
      prompt: 'On MNIST, raw pixels already reach over 90% with kNN. Is contrastive learning useless here?',
      answer:
        'Not useless, but its gains must be measured against honest baselines: run the probes and compare. MNIST pixels are already good features, and there the same network trained from scratch on the same 10 labels per class, with the compute pre-training used, did as well: after 4 minutes of pre-training, 89.0% against 89.1% for the fine-tuned encoder, mean of 3 draws of 10 labels per class (bench-results/finetune-probe-mnist-10-quiet.json). Pre-training pays where pixels mislead: on Shapes, after 4 minutes of pre-training, fine-tuning reached 86.8% against 80.3% from scratch at equal compute, mean of 3 draws of 10 labels per class (bench-results/finetune-probe-shapes-10-quiet.json; the preset "What pre-training buys with few labels"). Over the whole curve on Shapes it paid 6 to 11 points from 1 to 10 labels per class, and from 20 on the network trained from scratch caught up: 97.4% against 95.5% fine-tuned at 50 per class (bench-results/label-curve-shapes.json). On MNIST the curve paid only at 1 label per class (54.1% against 44.9%, 3 draws) and a little at 2 and 5, was level at 10, and from 50 on from scratch was up to a point ahead (bench-results/label-curve-mnist.json).',
    },
  },
  {
    id: 'clip',
    title: 'Words and pictures (CLIP)',
    body: [
      'Now the positive of an image is not a second view but its caption, read by a text encoder trained beside the image encoder.',
      'Squares are captions, dots are images. Zero-shot: say each class in words and give every image the nearest one.',
    ],
    preset: 'clip',
    run: 'play',
    target: 'zeroShot',
    question: {
      prompt: 'Some colour and shape pairs never appeared in training. Can the model still name them?',
      answer:
        'Often, yes: it learned "red" and "star" from other images, and their embeddings combine. The held-out compositions figure measures exactly this. Colour is learned before shape, so watch which factor rises first.',
    },
  },
  {
    id: 'clip-binding',
    title: 'Which colour goes with which shape?',
    body: [
      'Two shapes per image. A bag of words reads "a red star and a blue ring" and "a blue star and a red ring" as the same words.',
      'The binding test asks each image to prefer its own caption over the one with the colours swapped.',
    ],
    preset: 'clip-binding',
    run: 'play',
    target: 'zeroShot',
    question: {
      prompt: 'What binding accuracy do you expect from the bag of words, however long it trains?',
      answer:
        'About 50%, a coin toss: the two captions have the same words, so their embeddings are identical and nothing can break the tie. An encoder that reads word order (self-attention with positions) can learn it, given captions that differ only in order as hard negatives.',
    },
  },
];
