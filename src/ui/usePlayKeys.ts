// The page's training keys: space plays or pauses, the right arrow runs one step. Left to a
// control that has focus (a space there presses it, an arrow moves it). The classroom's own
// keys are in useClassroomKeys.ts.

import { useEffect } from 'react';

export function usePlayKeys(togglePlay: () => void, step: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest('input, select, textarea, button')) return;
      if (e.key === ' ') {
        e.preventDefault();
        togglePlay();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, step]);
}
