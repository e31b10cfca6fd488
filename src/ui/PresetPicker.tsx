// The classroom presets: a select that sets up one experiment (fresh weights, its settings in
// the URL), and a note saying what it shows and one thing to try, with a button that points
// at the part of the page it is about.

import { useEffect, useState } from 'react';
import { findPreset, PRESETS, type PresetId } from '../core/presets';
import { highlight } from './highlight';
import { LESSON_TARGETS } from './lessonTargets';

export function PresetSelect({ value, onChoose }: { value: PresetId | ''; onChoose: (id: PresetId | '') => void }) {
  return (
    <label
      className="cb-field"
      title="Set up a ready-made experiment; choosing one restarts training with its settings."
    >
      <span>Preset</span>
      <select aria-label="Preset" value={value} onChange={(e) => onChoose(e.target.value as PresetId | '')}>
        <option value="">None (your own settings)</option>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PresetNote({ id }: { id: PresetId | '' }) {
  const preset = findPreset(id);
  const [hidden, setHidden] = useState(false);
  const [pointing, setPointing] = useState(false);
  useEffect(() => {
    setHidden(false);
    setPointing(false);
  }, [id]);
  const target = preset?.focus ? LESSON_TARGETS[preset.focus] : undefined;
  // Points for a few seconds: long enough to find it, short enough not to linger.
  useEffect(() => {
    if (!pointing || !target || !preset?.focus) return;
    const undo = highlight(target.selector, preset.focus, true);
    const t = setTimeout(() => setPointing(false), 4000);
    return () => {
      clearTimeout(t);
      undo();
    };
  }, [pointing, target, preset]);
  if (!preset || hidden) return null;
  return (
    <section className="preset-note" aria-label="About this preset" data-testid="preset-note">
      <header className="preset-note-head">
        <h2>{preset.title}</h2>
        <button
          onClick={() => setHidden(true)}
          aria-label="Hide the preset explanation"
          title="Hide this explanation (the preset stays)."
        >
          ×
        </button>
      </header>
      <div className="preset-note-text">
        <p>{preset.explanation}</p>
        <p className="preset-try">
          <strong>Try this:</strong> {preset.tryThis}
          {target && (
            <button
              className="preset-show"
              onClick={() => setPointing(true)}
              title={`Scroll to ${target.name} and outline it for a few seconds.`}
            >
              Show {target.name}
            </button>
          )}
        </p>
      </div>
    </section>
  );
}
