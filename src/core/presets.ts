// Classroom presets: named experiments, each a few settings applied over the defaults, with
// what to look at and one thing to try. Pure data (no DOM) and its expansion into full
// settings, which urlSettings.ts uses too, so `#preset=collapse` in a link means the same thing
// as choosing it.

import type { AugmentName, AugmentToggle } from './augmentSettings';
import type { PanelId } from './panelIds';
import { PRESET_IDS, type PresetId } from './presetIds';
import { type DatasetId, defaultSettings, type Settings, VIEW_KEYS } from './settings';

export { PRESET_IDS, type PresetId };

/** Settings an experiment may change. The view's own choices (backend, hidden controls,
 *  presentation mode) belong to the room and the machine, not to the experiment. */
export type SettingsPatch = Partial<Omit<Settings, 'augments' | 'preset' | 'backend' | 'controls' | 'presentation'>> & {
  augments?: Partial<Record<AugmentName, Partial<AugmentToggle>>>;
};

export interface Preset {
  id: PresetId;
  title: string;
  /** Two or three sentences: what this experiment shows. */
  explanation: string;
  /** One concrete thing for the class to do next. */
  tryThis: string;
  settings: SettingsPatch;
  /** The part of the page this experiment is about. */
  focus?: PanelId;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'simclr',
    title: 'SimCLR on digits (start here)',
    explanation:
      'The default experiment: MNIST digits, the NT-Xent loss, temperature 0.2 and 64 images per batch, so each view meets 126 negatives. The encoder never sees a label; the colours of the points are only for us.',
    tryThis:
      'Press Play, then click a ringed point: the green arrow pulls it toward its other view, the red arrows push it away from the rest of the batch.',
    settings: {},
    focus: 'embedding',
  },
  {
    id: 'temperature',
    title: 'Temperature and hard negatives',
    explanation:
      'Every similarity is divided by the temperature τ before the softmax. At τ = 0.05 a negative only a little more similar than the others takes most of the push: the loss concentrates on the hardest negatives. The temperature panel counts how many negatives effectively push.',
    tryThis:
      'Pause after a few seconds, then drag the temperature from 0.05 up to 1 and watch the number of effective negatives climb toward all of them.',
    settings: { temperature: 0.05 },
    focus: 'effectiveNegatives',
  },
  {
    id: 'batch-size',
    title: 'Batch size is the number of negatives',
    explanation:
      'The negatives are simply the other images in the batch: with N = 16 images each view meets 2N − 2 = 30 of them. More negatives make the task harder and the estimate of "everything else" better, at the cost of a slower step.',
    tryThis:
      'Drag the batch size up to 256: the similarity matrix fills up, each anchor meets 510 negatives, and the starting loss log(2N − 1) rises.',
    settings: { batchSize: 16 },
    focus: 'matrix',
  },
  {
    id: 'collapse',
    title: 'Collapse: no negatives',
    explanation:
      'Alignment only: the loss pulls the two views of each image together and nothing pushes different images apart. The cheapest way to make every pair agree is to send every image to the same point, and the encoder soon finds it.',
    tryThis:
      'Watch the points gather into one, the loss sit at 0 and the uniformity climb to 0 (total collapse). Then switch the loss back to NT-Xent: it jumps to the chance level log(2N − 1), and the negatives open the space again.',
    settings: { loss: 'align' },
    focus: 'metrics',
  },
  {
    id: 'augmentations',
    title: 'Augmentations decide what is learned',
    explanation:
      'Two views count as "the same" if they come from one image, so whatever the augmentations change, the encoder learns to ignore. On Shapes, colour jitter and random greyscale make colour useless for matching views, so the encoder has to use shape: in the kNN per factor, shape rises and colour falls as it trains.',
    tryThis:
      'Colour the points by shape, then by colour. Then switch Colour jitter and Random greyscale off and press Reset: colour becomes the shortcut. Its kNN stays high (the untrained encoder\'s "random" column already sees colour) while shape falls instead of rising.',
    settings: { dataset: 'shapes', augments: { colorJitter: { on: true }, grayscale: { on: true } } },
    focus: 'factors',
  },
  {
    id: 'supcon',
    title: 'Supervised contrastive: same class = positive',
    explanation:
      'SupCon uses the labels: every other image of the anchor\'s class in the batch is a positive too. The same-class "false negatives" that NT-Xent pushes away are pulled in instead, so the classes form tight clusters.',
    tryThis:
      'Compare the kNN accuracy after a few hundred steps with the SimCLR preset after the same number: labels buy accuracy, but the method is no longer self-supervised.',
    settings: { loss: 'supcon' },
    focus: 'triples',
  },
  {
    id: 'few-labels',
    title: 'What pre-training buys with few labels',
    explanation:
      'SimCLR pre-trains on Shapes without a single label. Then every method gets the same 10 labelled images per class: a linear probe on the frozen encoder, the pre-trained encoder fine-tuned, and the same network trained from scratch on those labels with as much compute as pre-training and fine-tuning used. In a recorded run (4 minutes of pre-training, mean of 3 draws of the labels) fine-tuning reached 86.8% on held-out images, from scratch 80.3%, the linear probe 82.0%.',
    tryThis:
      'Train for about 4 minutes, pause, choose 10 labels per class and press Run probe (it takes a while: each method trains on three draws). Then try 50 labels per class: with that many, the network trained from scratch catches up on Shapes too. And try MNIST, where raw pixels are already good features: there it caught up at 10.',
    settings: { dataset: 'shapes' },
    focus: 'probes',
  },
  {
    id: 'clip',
    title: 'CLIP: words and pictures',
    explanation:
      'Each Shapes image comes with a caption such as "a small red star on a dark background". An image encoder and a text encoder learn one shared space in which each image lands next to its own caption and away from the batch\'s other captions. No class labels: the words are the supervision.',
    tryThis:
      'Press Play and wait for the zero-shot accuracy to climb, then type "a blue moon" in the search box. Some colour and shape pairs were never shown in training: look at the held-out compositions figure.',
    settings: { dataset: 'shapes', loss: 'clip' },
    focus: 'zeroShot',
  },
  {
    id: 'clip-temperature',
    title: 'CLIP: learned temperature',
    explanation:
      "CLIP does not fix its temperature: it learns it, starting at 0.07, with the logit scale capped at 100. The slider follows the learned value and the small chart shows its path. A lower temperature sharpens each image's choice among the captions as the pairs become easy to tell apart.",
    tryThis:
      'Watch the temperature chart while the loss falls. Then switch Learned temperature off, set the slider to 0.5 and compare how fast zero-shot accuracy rises.',
    settings: { dataset: 'shapes', loss: 'clip', learnTemperature: 'on' },
    focus: 'clipControls',
  },
  {
    id: 'clip-binding',
    title: 'CLIP: bag of words vs word order',
    explanation:
      'Two shapes per image: "a red star and a blue ring". A bag-of-words text encoder gets the same words from "a blue star and a red ring", so it cannot say which colour goes with which shape. The binding test asks each image to prefer its caption over the colour-swapped one.',
    tryThis:
      'Train a while with the bag of words and read the binding figure. Then switch the text encoder to word order (self-attention) and train again: does binding leave chance?',
    settings: { dataset: 'twoShapes', loss: 'clip', textEncoder: 'bow' },
    focus: 'zeroShot',
  },
  {
    id: 'explorer',
    title: 'What does the encoder see?',
    explanation:
      'The augmentation explorer: the preview shows pairs of views made from one image with the current augmentations, exactly as training makes them. Everything that differs within a pair is what the encoder is told to ignore.',
    tryThis:
      'Switch the augmentations on and off one at a time and drag their strength: which pairs would you still call the same shape?',
    settings: { dataset: 'shapes', augments: { cutout: { on: true } } },
    focus: 'augment',
  },
];

export function findPreset(id: string | null | undefined): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The patch applied over `base`; an augmentation patch changes only the fields it names. */
export function applyPatch(base: Settings, patch: SettingsPatch): Settings {
  const { augments, ...rest } = patch;
  const out: Settings = { ...base, ...rest, augments: structuredClone(base.augments) };
  for (const [name, toggle] of Object.entries(augments ?? {}) as [AugmentName, Partial<AugmentToggle>][]) {
    out.augments[name] = { ...out.augments[name], ...toggle };
  }
  return out;
}

/** The dataset a preset's experiment runs on. */
export function presetDataset(id: PresetId): DatasetId {
  return findPreset(id)!.settings.dataset ?? 'mnist';
}

/** A preset's full settings: its patch over the defaults of its dataset. */
export function presetSettings(id: PresetId): Settings {
  const p = findPreset(id)!;
  return { ...applyPatch(defaultSettings(presetDataset(id)), p.settings), preset: id };
}

/** Choosing a preset: its settings, keeping the current view settings (backend, controls, presentation). */
export function withPreset(id: PresetId, current: Settings): Settings {
  const next = presetSettings(id);
  for (const k of VIEW_KEYS) (next as unknown as Record<string, unknown>)[k] = current[k];
  return next;
}
