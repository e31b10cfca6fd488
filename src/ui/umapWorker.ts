// Runs UMAP off the main thread: a layout of a few hundred points takes a second or more,
// which would freeze the canvas and the training controls if done on the page.
// umap-js is imported lazily so it stays in its own chunk, fetched only when UMAP is chosen.

import { mulberry32 } from '../core/rng';

export interface UmapRequest {
  id: number;
  embeddings: Float32Array;
  n: number;
  dim: number;
}
export type UmapReply = { id: number; layout: Float32Array } | { id: number; error: string };

/** Fixed seed: the same embeddings always give the same layout. */
const SEED = 1234;

self.onmessage = async (e: MessageEvent<UmapRequest>) => {
  const { id, embeddings, n, dim } = e.data;
  try {
    const { UMAP } = await import('umap-js');
    // Unit-normalised rows: Euclidean distance is then a monotone function of cosine distance,
    // and umap-js's Euclidean path is cheaper than its cosine one.
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) {
      const r = Array.from(embeddings.subarray(i * dim, (i + 1) * dim));
      const norm = Math.hypot(...r) || 1;
      rows.push(r.map((v) => v / norm));
    }
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, random: mulberry32(SEED) });
    const out = umap.fit(rows);
    const layout = new Float32Array(n * 2);
    out.forEach((p, i) => {
      layout[2 * i] = p[0];
      layout[2 * i + 1] = p[1];
    });
    (self as unknown as Worker).postMessage({ id, layout } satisfies UmapReply, [layout.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String(err) } satisfies UmapReply);
  }
};
