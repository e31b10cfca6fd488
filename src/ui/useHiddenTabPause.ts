// A hidden tab keeps training in its worker, heating a laptop nobody watches (and a projector
// tab left behind keeps the fan going for the rest of the class). Pause when the tab is hidden,
// resume when it is shown again if it was training, and say so: the step count jumping on
// would otherwise look like a bug. Nothing is lost: pause keeps the weights and the optimizer.

import { useEffect, useRef } from 'react';

export const HIDDEN_TAB_NOTICE = 'Training paused while the tab was hidden';

interface Options {
  playing: boolean;
  step: number;
  pause: () => void;
  play: () => void;
  notify: (message: string) => void;
}

export function useHiddenTabPause({ playing, step, pause, play, notify }: Options): void {
  // The listener is added once; it reads the latest values from here.
  const live = useRef({ playing, step, pause, play, notify });
  live.current = { playing, step, pause, play, notify };
  const pausedByHiding = useRef(false);

  useEffect(() => {
    const onChange = () => {
      const l = live.current;
      if (document.visibilityState === 'hidden') {
        if (l.playing && !pausedByHiding.current) {
          pausedByHiding.current = true;
          l.pause();
        }
      } else if (pausedByHiding.current) {
        pausedByHiding.current = false;
        l.play();
        l.notify(`${HIDDEN_TAB_NOTICE}; resumed at step ${l.step}.`);
      }
    };
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
}
