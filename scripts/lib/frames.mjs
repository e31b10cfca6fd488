// Frames per second and main-thread long tasks of a page over a stretch of time, measured in the
// page itself: shared by the smoothness browser test and scripts/app-threads.mjs.

/** Frames per second, the long tasks (over 50 ms) and the longest, over `ms` of the page's time. */
export function measureFrames(page, ms) {
  return page.evaluate(async (ms) => {
    const long = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) long.push(e.duration);
    });
    obs.observe({ type: 'longtask', buffered: false });
    let frames = 0;
    const t0 = performance.now();
    await new Promise((done) => {
      const tick = () => {
        frames++;
        if (performance.now() - t0 < ms) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    obs.disconnect();
    const seconds = (performance.now() - t0) / 1000;
    return { fps: frames / seconds, longTasks: long.length, maxLongTask: Math.max(0, ...long) };
  }, ms);
}
