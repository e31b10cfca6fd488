// How a kernel's work is cut into blocks for several threads (engine/kernels/kernelPool.ts).
// Pure, so the cuts are unit-tested without threads.

/** [begin, end) */
export type Range = [number, number];

/**
 * Cuts 0..total into at most `parts` contiguous ranges whose bounds are multiples of `tile`
 * (except the last end, which is `total`), as even in tiles as they can be. Fewer ranges come
 * back when there are fewer tiles than parts; none when total is 0.
 */
export function splitRange(total: number, parts: number, tile = 1): Range[] {
  const tiles = Math.ceil(total / tile);
  const n = Math.max(1, Math.min(Math.floor(parts), tiles));
  const ranges: Range[] = [];
  let begin = 0;
  for (let i = 0; i < n && begin < total; i++) {
    const end = Math.min(total, Math.round((tiles * (i + 1)) / n) * tile);
    ranges.push([begin, end]);
    begin = end;
  }
  return ranges;
}

/**
 * A convolution filter gradient dW [taps, cout] cut into blocks along one axis: the taps in
 * fours or the output channels in eights (the kernel's tile), whichever shares the work more
 * evenly among `parts` threads (a first layer has few taps, a deep one few channel tiles).
 */
export function filterGradBlocks(taps: number, cout: number, parts: number): Array<{ taps: Range; channels: Range }> {
  const byTaps = splitRange(taps, parts, 4);
  const byChannels = splitRange(cout, parts, 8);
  // The slowest thread's share of the tiles: the smaller, the sooner all are done.
  const share = (r: Range[], tile: number, total: number) =>
    Math.max(...r.map(([b, e]) => Math.ceil((e - b) / tile))) / Math.ceil(total / tile);
  const tapShare = share(byTaps, 4, taps);
  const channelShare = share(byChannels, 8, cout);
  return tapShare <= channelShare
    ? byTaps.map((t) => ({ taps: t, channels: [0, cout] as Range }))
    : byChannels.map((c) => ({ taps: [0, taps] as Range, channels: c }));
}
