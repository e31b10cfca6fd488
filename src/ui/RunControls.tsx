// How the run goes, for a class: the seed (same seed, same run), the speed (slow enough to
// follow), one update explained stage by stage, and hiding the controls for a shared link.

import { useEffect, useState } from 'react';
import type { Settings } from '../core/settings';
import './panels.css';

/** Steps per second on offer; 0 = as fast as the machine goes. */
const SPEEDS = [0, 20, 10, 5, 2, 1, 0.5];

interface Props {
  settings: Settings;
  onChange: (s: Settings) => void;
  onExplain: () => void;
}

export function RunControls({ settings, onChange, onExplain }: Props) {
  const [seedText, setSeedText] = useState(String(settings.seed));
  useEffect(() => setSeedText(String(settings.seed)), [settings.seed]);
  const commitSeed = () => {
    const v = Number(seedText);
    if (seedText.trim() !== '' && Number.isInteger(v) && v >= 0 && v < 2 ** 31) {
      if (v !== settings.seed) onChange({ ...settings, seed: v });
    } else setSeedText(String(settings.seed));
  };
  const speeds = SPEEDS.includes(settings.speed) ? SPEEDS : [...SPEEDS, settings.speed];

  return (
    <section className="panel run-controls" aria-label="Run">
      <div className="run-row">
        <label
          className="field secondary"
          title="Seeds the weights, the data order and the augmentations; changing it restarts training."
        >
          <span>Seed</span>
          <input
            type="number"
            aria-label="Seed"
            min={0}
            max={2 ** 31 - 1}
            step={1}
            value={seedText}
            onChange={(e) => setSeedText(e.target.value)}
            onBlur={commitSeed}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitSeed();
            }}
          />
        </label>
        <label className="field" title="Training steps per second: slow it down so a class can follow each step.">
          <span>Speed</span>
          <select
            aria-label="Speed"
            value={settings.speed}
            onChange={(e) => onChange({ ...settings, speed: Number(e.target.value) })}
          >
            {speeds.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'Full speed' : `${s} steps/s`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button
        onClick={onExplain}
        title="Pause and explain one training step stage by stage: similarities, softmax, forces, the update, the new embeddings."
      >
        Slow motion
      </button>
      <button
        className="secondary"
        onClick={() => onChange({ ...settings, controls: 'hidden' })}
        title="Hide this panel (for a classroom link); the URL remembers it."
      >
        Hide controls
      </button>
    </section>
  );
}

/** The only control left when the panel is hidden. */
export function ShowControlsButton({ settings, onChange }: { settings: Settings; onChange: (s: Settings) => void }) {
  return (
    <button
      className="show-controls"
      onClick={() => onChange({ ...settings, controls: 'shown' })}
      title="Bring back the control panel."
    >
      Show controls
    </button>
  );
}
