// The classroom's keys, beside the page's space (play / pause) and right arrow (one step) in
// usePlayKeys.ts: N or PageDown and P or PageUp walk the lesson (presentation clickers send
// PageDown / PageUp), F toggles presentation mode and Escape leaves it. Letters are left alone
// while the user types in a field; PageUp / PageDown also while a slider has focus (they move it).

import { useEffect, useRef } from 'react';

interface Options {
  lessonOpen: boolean;
  presenting: boolean;
  next: () => void;
  previous: () => void;
  togglePresentation: () => void;
}

function isTyping(t: EventTarget | null, key: string): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.closest('textarea, select, [contenteditable="true"]')) return true;
  if (!(t instanceof HTMLInputElement)) return false;
  if (t.type === 'range') return key === 'PageUp' || key === 'PageDown';
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(t.type);
}

export function useClassroomKeys(opts: Options): void {
  const live = useRef(opts);
  live.current = opts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target, e.key)) return;
      const o = live.current;
      const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if ((k === 'n' || k === 'PageDown') && o.lessonOpen) {
        e.preventDefault();
        o.next();
      } else if ((k === 'p' || k === 'PageUp') && o.lessonOpen) {
        e.preventDefault();
        o.previous();
      } else if (k === 'f' && !e.repeat) {
        e.preventDefault();
        o.togglePresentation();
      } else if (k === 'Escape' && o.presenting) {
        e.preventDefault();
        o.togglePresentation();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
