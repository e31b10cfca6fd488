// CLIP's own settings beside the main controls: the text encoder, a learned temperature,
// caption detail; what share of each batch's captions are duplicates (false negatives); and
// which augmentations CLIP mode switches off, with the reason for each.

import { captionedAttributes, clipBlockedAugments } from '../../core/clipAugments';
import { AUGMENTS } from '../../core/augmentSettings';
import type { Settings } from '../../core/settings';
import { TEXT_ENCODERS } from '../../core/settings';
import type { ClipState } from '../../protocol';
import { ClipPathChart } from './ClipCharts';

const TEXT_NAMES: Record<string, string> = { bow: 'Bag of words', attention: 'Word order (self-attention)' };

export function ClipControls({
  settings,
  state,
  onChange,
}: {
  settings: Settings;
  state: ClipState | null;
  onChange: (s: Settings) => void;
}) {
  const blocked = clipBlockedAugments(captionedAttributes(settings.dataset));
  const label = (name: string) => AUGMENTS.find((a) => a.name === name)?.label ?? name;
  return (
    <section className="panel clip-controls" aria-label="CLIP settings" data-testid="clip-controls">
      <h2>CLIP: words and pictures</h2>
      <label
        className="field"
        title="How a caption becomes a vector: the mean of its words, or self-attention that also reads their order."
      >
        <span>Text encoder</span>
        <select
          aria-label="Text encoder"
          value={settings.textEncoder}
          onChange={(e) => onChange({ ...settings, textEncoder: e.target.value as Settings['textEncoder'] })}
        >
          {TEXT_ENCODERS.map((t) => (
            <option key={t} value={t}>
              {TEXT_NAMES[t]}
            </option>
          ))}
        </select>
      </label>
      <label
        className="field clip-check"
        title="Learn the temperature as CLIP does (starting at 0.07, the logit scale capped at 100); the slider then follows it."
      >
        <input
          type="checkbox"
          aria-label="Learned temperature"
          checked={settings.learnTemperature === 'on'}
          onChange={(e) => onChange({ ...settings, learnTemperature: e.target.checked ? 'on' : 'off' })}
        />
        <span>Learned temperature</span>
      </label>
      {settings.learnTemperature === 'on' && state && state.temperaturePath.values.length > 0 && (
        <p className="muted">
          Learned temperature now:{' '}
          <b data-testid="clip-temperature-now">
            {state.temperaturePath.values[state.temperaturePath.values.length - 1].toFixed(4)}
          </b>
        </p>
      )}
      {settings.learnTemperature === 'on' && state && (
        <ClipPathChart
          path={state.temperaturePath}
          label="Learned temperature over steps"
          testId="temperature-path"
          format={(v) => v.toFixed(3)}
        />
      )}
      <label
        className="field"
        title="How often a caption states each attribute besides the shape (colour, size, position, background); real alt-text leaves things out."
      >
        <span>
          Caption detail <output>{Math.round(settings.captionDetail * 100)}%</output>
        </span>
        <input
          type="range"
          aria-label="Caption detail"
          min={0}
          max={1}
          step={0.05}
          value={settings.captionDetail}
          aria-valuetext={`${Math.round(settings.captionDetail * 100)}%`}
          onChange={(e) => onChange({ ...settings, captionDetail: Number(e.target.value) })}
        />
      </label>
      <p
        className="muted"
        data-testid="duplicate-share"
        title="Two images of a batch with the same caption: each is a false negative for the other, pushed away although the caption fits it."
      >
        Duplicate captions per batch (false negatives):{' '}
        <b>{state ? `${(100 * state.duplicateShare).toFixed(1)}%` : '–'}</b>
      </p>
      {blocked.length > 0 && (
        <details className="clip-blocked" data-testid="clip-blocked" open>
          <summary>Augmentations off in CLIP mode ({blocked.length})</summary>
          <p className="muted">A caption must stay true to its image, so nothing may change what it says.</p>
          <ul>
            {blocked.map((b) => (
              <li key={b.name}>
                <b>{label(b.name)}</b>: {b.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
