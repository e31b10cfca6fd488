// The control panel: buttons and sliders over the settings. Holds no state of its own
// beyond what the settings say; every control has an accessible name and a tooltip.

import { fromLogPosition, LOG_STEPS, toLogPosition } from '../core/logScale';
import type { Settings } from '../core/settings';
import { BACKENDS, DATASETS, EMBEDDING_DIMS, LOSSES, numberRange } from '../core/settings';
import { LOSS_NAMES } from './lossNames';

interface Props {
  settings: Settings;
  playing: boolean;
  onChange: (s: Settings) => void;
  onPlay: () => void;
  onStep: () => void;
  onReset: () => void;
}

const DATASET_NAMES: Record<string, string> = {
  mnist: 'MNIST digits',
  shapes: 'Shapes (colour)',
  twoShapes: 'Two shapes',
  user: 'My images',
};
const BACKEND_NAMES: Record<string, string> = {
  auto: 'Auto (fastest)',
  webgpu: 'WebGPU',
  wasm: 'WebAssembly',
  webgl: 'WebGL',
  cpu: 'CPU (slow)',
};

export function Controls({ settings, playing, onChange, onPlay, onStep, onReset }: Props) {
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => onChange({ ...settings, [k]: v });
  return (
    <section className="panel controls" aria-label="Controls">
      <div className="buttons">
        <button
          className="primary"
          onClick={onPlay}
          aria-label={playing ? 'Pause' : 'Play'}
          title="Start or stop training (space)."
        >
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button onClick={onStep} disabled={playing} aria-label="Step" title="Run one training step (right arrow).">
          Step
        </button>
        <button onClick={onReset} aria-label="Reset" title="Start again from fresh random weights.">
          Reset
        </button>
      </div>

      <LogSlider
        name="Temperature"
        settingKey="temperature"
        settings={settings}
        onChange={onChange}
        help="Softmax temperature: low values focus the loss on the hardest negatives."
      />

      <label className="field" title="Images per step: each anchor meets 2N - 2 negatives.">
        <span>
          Batch size <output>{settings.batchSize}</output>
        </span>
        <input
          type="range"
          aria-label="Batch size"
          min={numberRange('batchSize').min}
          max={numberRange('batchSize').max}
          step={8}
          value={settings.batchSize}
          aria-valuetext={String(settings.batchSize)}
          onChange={(e) => set('batchSize', Number(e.target.value))}
        />
      </label>

      <LogSlider
        name="Learning rate"
        settingKey="learningRate"
        settings={settings}
        onChange={onChange}
        secondary
        help="Adam's step size: too high and the loss turns to NaN."
      />

      <label className="field" title="The images the encoder learns from (changing it restarts training).">
        <span>Dataset</span>
        <select
          aria-label="Dataset"
          value={settings.dataset}
          onChange={(e) => onChange({ ...settings, dataset: e.target.value as Settings['dataset'] })}
        >
          {DATASETS.map((d) => (
            <option key={d} value={d}>
              {DATASET_NAMES[d]}
            </option>
          ))}
        </select>
      </label>

      <label
        className="field secondary"
        title="Size of the embedding z; 2 and 3 are geometry lessons that cost accuracy."
      >
        <span>Embedding dimension</span>
        <select
          aria-label="Embedding dimension"
          value={settings.embeddingDim}
          onChange={(e) => set('embeddingDim', Number(e.target.value))}
        >
          {EMBEDDING_DIMS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>

      <label
        className="field"
        title="NT-Xent treats only the other view as positive; SupCon also every image of the same class; alignment only pulls pairs together with no negatives, and collapses."
      >
        <span>Loss</span>
        <select
          aria-label="Loss"
          value={settings.loss}
          onChange={(e) => set('loss', e.target.value as Settings['loss'])}
        >
          {LOSSES.map((l) => (
            <option key={l} value={l}>
              {LOSS_NAMES[l]}
            </option>
          ))}
        </select>
      </label>

      <label className="field secondary" title="Where the training runs: Auto picks the fastest this machine has.">
        <span>Backend</span>
        <select
          aria-label="Backend"
          value={settings.backend}
          onChange={(e) => set('backend', e.target.value as Settings['backend'])}
        >
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {BACKEND_NAMES[b]}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

/** A slider on a log scale over a numeric setting's declared range. `secondary`: hidden in presentation mode. */
function LogSlider({
  name,
  settingKey,
  settings,
  onChange,
  help,
  secondary,
}: {
  name: string;
  settingKey: 'temperature' | 'learningRate';
  settings: Settings;
  onChange: (s: Settings) => void;
  help: string;
  secondary?: boolean;
}) {
  const { min, max } = numberRange(settingKey);
  const value = settings[settingKey];
  return (
    <label className={secondary ? 'field secondary' : 'field'} title={help}>
      <span>
        {name} <output>{value}</output>
      </span>
      <input
        type="range"
        aria-label={name}
        min={0}
        max={LOG_STEPS}
        step={1}
        value={toLogPosition(value, min, max)}
        aria-valuetext={String(value)}
        onChange={(e) => onChange({ ...settings, [settingKey]: fromLogPosition(Number(e.target.value), min, max) })}
      />
    </label>
  );
}
