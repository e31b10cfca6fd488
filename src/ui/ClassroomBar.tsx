// The teacher's bar in the page header: the preset picker, the lesson, presentation mode and
// the explanation of the loss. Always shown, also when the control panel is hidden.

import type { PresetId } from '../core/presets';
import { PresetSelect } from './PresetPicker';
import './classroom.css';

interface Props {
  preset: PresetId | '';
  onPreset: (id: PresetId | '') => void;
  lessonOpen: boolean;
  onLesson: () => void;
  presenting: boolean;
  onPresent: () => void;
  onAbout: () => void;
}

/** A clicked toggle keeps no focus, so space goes on playing / pausing, not re-clicking it. */
const keepFocus = (e: React.PointerEvent) => e.preventDefault();

export function ClassroomBar({ preset, onPreset, lessonOpen, onLesson, presenting, onPresent, onAbout }: Props) {
  return (
    <nav className="classroom-bar" aria-label="Classroom">
      <PresetSelect value={preset} onChoose={onPreset} />
      <button
        onClick={onLesson}
        onPointerDown={keepFocus}
        aria-pressed={lessonOpen}
        title="Open or close the guided lesson: short steps, each setting up its experiment, with questions for the class (N / P to move)."
      >
        Lesson
      </button>
      <button
        onClick={onPresent}
        onPointerDown={keepFocus}
        aria-pressed={presenting}
        title="Large type and high contrast for a projector, secondary controls hidden (F toggles, Escape leaves)."
      >
        Presentation mode
      </button>
      <button
        onClick={onAbout}
        onPointerDown={keepFocus}
        title="The loss explained line by line, with the current anchor's numbers."
      >
        About the math
      </button>
    </nav>
  );
}
