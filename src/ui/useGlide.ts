// Points that glide to each new position instead of jumping, so the eye can follow which point
// went where between two snapshots. The hook only remembers where a glide started and ends;
// the caller's animation loop asks where the points are at a given time and draws them. With
// reduced motion asked for, a glide takes no time: the points jump.

import { useCallback, useEffect, useRef } from 'react';
import { reducedMotion } from './motion';

export const GLIDE_MS = 300;

export interface GlideFrame {
  /** The points at this time, a fresh array the caller may keep or adjust. */
  cur: Float32Array;
  /** Eased progress, 0 at the start and 1 on arrival (also for anything gliding alongside). */
  e: number;
  done: boolean;
}

interface GlideState {
  from: Float32Array | null;
  to: Float32Array | null;
  start: number;
  ms: number;
}

/** Ease-out: quick to leave, gentle to arrive. */
export const easeOut = (t: number) => t * (2 - t);

/** Where a glide from `from` to `to` begun at `start` is at `now`. A `from` of another
 *  length (a new display set size) is no start at all: the points appear at `to`; so does a
 *  glide of no duration. */
export function glideAt(
  from: Float32Array | null,
  to: Float32Array,
  start: number,
  now: number,
  ms = GLIDE_MS,
): GlideFrame {
  const t = ms > 0 ? Math.min(1, Math.max(0, (now - start) / ms)) : 1;
  const e = easeOut(t);
  const a = from && from.length === to.length ? from : to;
  const cur = new Float32Array(to.length);
  for (let k = 0; k < cur.length; k++) cur[k] = a[k] + (to[k] - a[k]) * e;
  return { cur, e, done: t >= 1 };
}

/**
 * Starts a glide to `to` whenever it changes, from what is on screen at that moment
 * (`onScreen`, read once then). Returns a stable function giving the points at a time, or
 * null while there is nothing to show.
 */
export function useGlide(
  to: Float32Array | null,
  onScreen: () => Float32Array | null,
): (now: number) => GlideFrame | null {
  const state = useRef<GlideState>({ from: null, to: null, start: 0, ms: GLIDE_MS });
  const read = useRef(onScreen);
  read.current = onScreen;
  useEffect(() => {
    if (!to) return;
    const here = read.current();
    state.current = {
      from: here ? here.slice() : null,
      to,
      start: performance.now(),
      ms: reducedMotion() ? 0 : GLIDE_MS,
    };
  }, [to]);
  return useCallback((now: number) => {
    const s = state.current;
    return s.to ? glideAt(s.from, s.to, s.start, now, s.ms) : null;
  }, []);
}
