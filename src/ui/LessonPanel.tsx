// The guided lesson, docked beside the page: one step at a time (its words from
// src/core/lesson.ts), the part of the page it is about outlined, and its question with the
// answer held back until the class has had a go. Entering a step asks App to set its state.

import { useEffect, useRef, useState } from 'react';
import { LESSON, type LessonStep } from '../core/lesson';
import { highlight } from './highlight';
import { LESSON_TARGETS } from './lessonTargets';

interface Props {
  index: number;
  onIndex: (i: number) => void;
  /** Sets the step's state (preset, settings, play / pause / one step). */
  onEnter: (step: LessonStep) => void;
  onClose: () => void;
}

/** Clicked buttons keep no focus, so space and the arrows go on driving training afterwards. */
const keepFocus = (e: React.PointerEvent) => e.preventDefault();

export function LessonPanel({ index, onIndex, onEnter, onClose }: Props) {
  const step = LESSON[index];
  const last = LESSON.length - 1;
  const enter = useRef(onEnter);
  enter.current = onEnter;
  const [revealed, setRevealed] = useState(false);
  const target = step.target ? LESSON_TARGETS[step.target] : undefined;

  useEffect(() => {
    setRevealed(false);
    enter.current(LESSON[index]);
  }, [index]);
  useEffect(
    () => (step.target ? highlight(LESSON_TARGETS[step.target].selector, step.target, true) : undefined),
    [step],
  );

  return (
    <aside className="lesson-panel" aria-label="Lesson" data-testid="lesson-panel">
      <header className="lesson-head">
        <span className="lesson-counter" data-testid="lesson-counter">
          Step {index + 1} of {LESSON.length}
        </span>
        <button
          onClick={onClose}
          onPointerDown={keepFocus}
          aria-label="Close the lesson"
          title="Close the lesson panel; it reopens at this step."
        >
          ×
        </button>
      </header>
      <ol className="lesson-pips" aria-label="Lesson steps">
        {LESSON.map((s, k) => (
          <li key={s.id}>
            <button
              className={k === index ? 'current' : k < index ? 'done' : ''}
              aria-current={k === index ? 'step' : undefined}
              aria-label={`Go to step ${k + 1}: ${s.title}`}
              title={`Step ${k + 1}: ${s.title}.`}
              onPointerDown={keepFocus}
              onClick={() => onIndex(k)}
            />
          </li>
        ))}
      </ol>
      <div className="lesson-body" data-testid="lesson-step" data-step-id={step.id}>
        <h2>{step.title}</h2>
        {step.body.map((p, k) => (
          <p key={k}>{p}</p>
        ))}
        {target && <p className="lesson-look">Look at {target.name} (outlined).</p>}
        {step.question && (
          <div className="lesson-question" aria-live="polite">
            <p className="lesson-prompt">
              <strong>Ask the class:</strong> {step.question.prompt}
            </p>
            {revealed ? (
              <p className="lesson-answer" data-testid="lesson-answer">
                {step.question.answer}
              </p>
            ) : (
              <button
                className="lesson-reveal"
                onPointerDown={keepFocus}
                onClick={() => setRevealed(true)}
                title="Show the answer once the class has had a go."
              >
                Reveal answer
              </button>
            )}
          </div>
        )}
      </div>
      <footer className="lesson-nav">
        <div className="lesson-nav-buttons">
          <button
            onPointerDown={keepFocus}
            onClick={() => onIndex(index - 1)}
            disabled={index === 0}
            aria-label="Previous step"
            title="The previous step (P or Page Up)."
          >
            ◀ Previous step
          </button>
          <button
            className="primary"
            onPointerDown={keepFocus}
            onClick={() => onIndex(index + 1)}
            disabled={index === last}
            aria-label="Next step"
            title="The next step (N or Page Down)."
          >
            Next step ▶
          </button>
        </div>
        <p className="lesson-keys muted">
          Keys: N / Page Down next, P / Page Up previous, space play / pause, F presentation mode.
        </p>
      </footer>
    </aside>
  );
}
