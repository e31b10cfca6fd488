// Points at a part of the page for the lesson: an outline on the element and a scroll to it.
// Panels come and go with their data (the temperature panel needs a batch, the factor table an
// evaluation, and a restart removes both for a moment), so the element is looked for again
// whenever it is missing or was replaced, and scrolled to the first time it is found.

import { reducedMotion } from './motion';

const LOOK_MS = 300;

/** Highlights the element matching `selector` (now and whenever it reappears); returns the undo. */
export function highlight(selector: string, key: string, scroll: boolean): () => void {
  let el: HTMLElement | null = null;
  let scrolled = !scroll;
  const mark = () => {
    if (el?.isConnected) return;
    el = document.querySelector<HTMLElement>(selector);
    if (!el) return;
    el.classList.add('lesson-highlight');
    el.dataset.lessonHighlight = key;
    if (!scrolled) {
      scrolled = true;
      // A panel taller than the screen is shown from its top, a smaller one in the middle; on a
      // narrow screen the lesson covers the lower half, so the target goes to the top.
      const top =
        el.getBoundingClientRect().height > window.innerHeight * 0.8 || window.matchMedia('(max-width: 900px)').matches;
      el.scrollIntoView({ block: top ? 'start' : 'center', behavior: reducedMotion() ? 'auto' : 'smooth' });
    }
  };
  mark();
  const timer = window.setInterval(mark, LOOK_MS);
  return () => {
    clearInterval(timer);
    const found = el as HTMLElement | null;
    if (found) {
      found.classList.remove('lesson-highlight');
      delete found.dataset.lessonHighlight;
    }
  };
}
