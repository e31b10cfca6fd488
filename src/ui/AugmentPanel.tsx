// The augmentations: one on/off switch and one strength slider each, changed live (the next
// training step uses them), and a preview of a few fixed images' two views under the current
// settings, asked of the worker so it shows exactly what training will see, also while paused.

import { useEffect } from 'react';
import { AUGMENTS, type AugmentName } from '../core/augmentSettings';
import { captionedAttributes, clipBlockedAugments } from '../core/clipAugments';
import type { Settings } from '../core/settings';
import type { Command, ViewPairs } from '../protocol';
import { ImageTile } from './ViewPairs';
import './panels.css';

/** A dragged slider sends many changes; the worker is asked once they pause this long. */
const PREVIEW_DEBOUNCE_MS = 100;

interface Props {
  settings: Settings;
  onChange: (s: Settings) => void;
  preview: ViewPairs | null;
  send: (cmd: Command) => void;
  /** Bumped when the engine is rebuilt (dataset, seed...), so the preview is asked again. */
  engineKey: unknown;
}

export function AugmentPanel({ settings, onChange, preview, send, engineKey }: Props) {
  const grey = settings.dataset === 'mnist';
  // In CLIP mode the worker switches off what would make a caption false; the panel shows the
  // same, with the reason, rather than ticked boxes that training ignores.
  const clipBlocked = new Map(
    settings.loss === 'clip'
      ? clipBlockedAugments(captionedAttributes(settings.dataset)).map((b) => [b.name, b.reason])
      : [],
  );

  useEffect(() => {
    const t = setTimeout(() => send({ type: 'preview', settings }), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(t);
    // Only what changes the preview: the augmentations, and the engine (its images and seed).
  }, [settings.augments, engineKey, send]);

  const setAug = (name: AugmentName, patch: Partial<Settings['augments'][AugmentName]>) =>
    onChange({ ...settings, augments: { ...settings.augments, [name]: { ...settings.augments[name], ...patch } } });

  return (
    <section className="panel augment-panel" aria-label="Augmentations">
      <h2>Augmentations</h2>
      <p className="muted">Two random views of each image are made with these. Changes apply from the next step.</p>
      <div className="aug-list">
        {AUGMENTS.map((a) => {
          const cur = settings.augments[a.name];
          const rgbOnly = grey && !!a.rgbOnly;
          const clipReason = clipBlocked.get(a.name);
          const disabled = rgbOnly || clipReason !== undefined;
          const tip = rgbOnly
            ? `${a.help} Colour only: MNIST digits are greyscale.`
            : clipReason
              ? `Off in CLIP mode. ${clipReason}`
              : a.help;
          return (
            <div key={a.name} className={`aug-row${disabled ? ' disabled' : ''}`} title={tip}>
              <label className="check">
                <input
                  type="checkbox"
                  aria-label={a.label}
                  checked={cur.on && !disabled}
                  disabled={disabled}
                  onChange={(e) => setAug(a.name, { on: e.target.checked })}
                />
                {a.label}
              </label>
              <input
                type="range"
                aria-label={`${a.label} strength`}
                min={0}
                max={1}
                step={0.05}
                value={cur.strength}
                aria-valuetext={cur.strength.toFixed(2)}
                disabled={disabled || !cur.on}
                onChange={(e) => setAug(a.name, { strength: Number(e.target.value), on: true })}
              />
              <output>
                {rgbOnly ? 'RGB only' : clipReason ? 'off for CLIP' : cur.on ? cur.strength.toFixed(2) : 'off'}
              </output>
            </div>
          );
        })}
      </div>
      {grey && <p className="muted note">Colour jitter and greyscale need colour images: pick Shapes to use them.</p>}
      {clipBlocked.size > 0 && (
        <p className="muted note" data-testid="clip-augments-off">
          CLIP mode keeps every caption true, so {clipBlocked.size} augmentations are off: hover one for why. Your
          settings come back when you leave CLIP.
        </p>
      )}
      <h3>Preview: anchor and positive views</h3>
      <div
        className="preview-grid"
        data-testid="augment-preview"
        data-version={preview ? previewSignature(preview) : ''}
      >
        {preview ? (
          Array.from({ length: preview.count }, (_, k) => (
            <div key={k} className="pair">
              <ImageTile views={preview} index={2 * k} label={`preview image ${k + 1}, view 1`} />
              <ImageTile views={preview} index={2 * k + 1} label={`preview image ${k + 1}, view 2`} />
            </div>
          ))
        ) : (
          <p className="muted">Preparing the preview…</p>
        )}
      </div>
    </section>
  );
}

/** A cheap fingerprint of the preview's pixels, so a test (or a person) can tell previews apart. */
function previewSignature(v: ViewPairs): string {
  let h = 2166136261;
  for (let i = 0; i < v.pixels.length; i += 7) h = Math.imul(h ^ v.pixels[i], 16777619);
  return (h >>> 0).toString(16);
}
