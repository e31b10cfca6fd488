// The batch's 2N x 2N matrix: cosine similarities, or each row's softmax at the slider's
// temperature (recomputed here at once, also while paused), or the pull/push weights of the
// gradient (slow motion). Rows 0..N-1 are view 1, N..2N-1 view 2; positives are outlined.

import * as d3 from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { partnerOf, similarityMatrix } from '../core/contrastMath';
import { positiveNegativeMeans, rowSoftmaxMatrix, sampleRows, subMatrix } from '../core/similarity';
import { drawMatrix, type ColourScale } from './matrixCanvas';
import { setPlayground, usePlayground } from './playgroundStore';
import './panels.css';

export type MatrixMode = 'similarity' | 'softmax' | 'forces';

export interface BatchZ {
  embeddings: Float32Array;
  n: number;
}

/** Up to this many images (2x as many rows) every cell is drawn; beyond, the first ones. */
export const MATRIX_MAX_IMAGES = 64;

const SCALES: Record<MatrixMode, ColourScale> = {
  similarity: { position: (v) => (1 - v) / 2, ramp: d3.interpolateRdBu },
  // Softmax weights are mostly tiny: a square-root scale keeps the small ones visible.
  softmax: { position: (v) => Math.sqrt(Math.max(0, v)), ramp: d3.interpolateBlues },
  forces: { position: (v) => 0.5 + 0.5 * Math.sign(v) * Math.sqrt(Math.min(1, Math.abs(v))), ramp: d3.interpolatePRGn },
};

interface MatrixProps {
  batch: BatchZ | null;
  temperature: number;
  mode: MatrixMode;
  /** Row to outline (the selected anchor), and what a click on a row does. */
  highlight?: number;
  onPickRow?: (row: number) => void;
  label: string;
}

/** The computed picture and the numbers that summarise it; full-batch statistics even when sampled. */
function useMatrix(batch: BatchZ | null, tau: number, mode: MatrixMode) {
  const sim = useMemo(() => {
    if (!batch || batch.n === 0) return null;
    const m = 2 * batch.n;
    return similarityMatrix(batch.embeddings, m, batch.embeddings.length / m);
  }, [batch]);
  return useMemo(() => {
    if (!batch || !sim) return null;
    const n = batch.n,
      m = 2 * n;
    let full = sim;
    if (mode !== 'similarity') {
      full = rowSoftmaxMatrix(sim, m, tau);
      // Y - P: the positive pulls with 1 - p+, every negative pushes with its p_j (both / tau).
      if (mode === 'forces') {
        full = full.map((p, k) => (k % m === (Math.floor(k / m) + n) % m ? 1 - p : -p));
      }
    }
    const rows = sampleRows(n, MATRIX_MAX_IMAGES);
    const values = subMatrix(full, m, rows);
    const k = rows.length;
    for (let r = 0; r < k; r++) if (mode !== 'similarity') values[r * k + r] = NaN;
    const positives = Int32Array.from(rows, (_, r) => (r + k / 2) % k);
    return { values, rows, positives, means: positiveNegativeMeans(full, n), sampled: k < m, m };
  }, [batch, sim, tau, mode]);
}

export function MatrixCanvas({ batch, temperature, mode, highlight = -1, onPickRow, label }: MatrixProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const pic = useMatrix(batch, temperature, mode);
  const [hover, setHover] = useState<string>('');
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const ro = new ResizeObserver(() => setWidth(c.clientWidth));
    ro.observe(c);
    return () => ro.disconnect();
  }, []);

  const shownHighlight = pic ? Array.from(pic.rows).indexOf(highlight) : -1;
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const colour = SCALES[mode];
    drawMatrix(
      c,
      pic
        ? { values: pic.values, rows: pic.rows.length, colour, positives: pic.positives, highlight: shownHighlight }
        : { values: new Float64Array(0), rows: 0, colour, positives: new Int32Array(0), highlight: -1 },
    );
  }, [pic, mode, width, shownHighlight]);

  const cellAt = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!pic || !batch) return null;
    const rect = e.currentTarget.getBoundingClientRect();
    const k = pic.rows.length;
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * k);
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * k);
    return r >= 0 && c >= 0 && r < k && c < k ? { r, c } : null;
  };
  const describe = (r: number, c: number) => {
    if (!pic || !batch) return '';
    const n = batch.n,
      i = pic.rows[r],
      j = pic.rows[c];
    const name = (x: number) => `image ${(x % n) + 1} view ${x < n ? 1 : 2}`;
    const kind = i === j ? 'itself (masked)' : j === partnerOf(i, n) ? 'its positive' : 'a negative';
    const v = pic.values[r * pic.rows.length + c];
    const what =
      mode === 'similarity'
        ? `s = ${v.toFixed(2)}`
        : mode === 'softmax'
          ? `p = ${v.toFixed(3)}`
          : `${v >= 0 ? 'pull' : 'push'} ${Math.abs(v).toFixed(3)} / τ`;
    return `${name(i)} vs ${name(j)}, ${kind}: ${Number.isNaN(v) ? '–' : what}`;
  };

  const means = pic?.means;
  const summary = !means
    ? 'No batch yet: press Step or Play.'
    : mode === 'similarity'
      ? `Mean s of positives ${means.positive.toFixed(2)}, of negatives ${means.negative.toFixed(2)}.`
      : mode === 'softmax'
        ? `At τ = ${temperature}, the positive's share p+ averages ${means.positive.toFixed(3)} (chance ${(1 / (pic!.m - 1)).toFixed(3)}).`
        : `Pull 1 − p+ averages ${means.positive.toFixed(3)}; it equals the total push of the negatives.`;

  return (
    <div className="matrix">
      <div className="matrix-axes">
        <span className="matrix-ylabel" aria-hidden="true">
          view 1 · view 2
        </span>
        <canvas
          ref={ref}
          role="img"
          aria-label={label}
          title="Rows are anchors, columns the other views; outlined cells are positives. Hover a cell for its value."
          data-testid={`matrix-${mode}`}
          onMouseMove={(e) => {
            const p = cellAt(e);
            setHover(p ? describe(p.r, p.c) : '');
          }}
          onMouseLeave={() => setHover('')}
          onClick={(e) => {
            const p = cellAt(e);
            if (p && pic && onPickRow) onPickRow(pic.rows[p.r]);
          }}
        />
      </div>
      <p className="matrix-summary" data-testid={`matrix-summary-${mode}`}>
        {summary}
      </p>
      <p className="matrix-hover muted" aria-live="off">
        {hover ||
          (pic?.sampled ? `Showing the first ${MATRIX_MAX_IMAGES} images' ${pic.rows.length} views of ${pic.m}.` : ' ')}
      </p>
      <Legend mode={mode} />
    </div>
  );
}

function Legend({ mode }: { mode: MatrixMode }) {
  const [lo, hi] = mode === 'similarity' ? ['−1', '+1'] : mode === 'softmax' ? ['0', '1'] : ['push', 'pull'];
  // Left to right is low to high value; only similarity runs its ramp the other way (-1 is blue).
  const { ramp } = SCALES[mode];
  const stops = d3.range(0, 1.0001, 0.1).map((t) => ramp(mode === 'similarity' ? 1 - t : t));
  return (
    <div className="matrix-legend" aria-hidden="true">
      <span>{lo}</span>
      <i style={{ background: `linear-gradient(90deg, ${stops.join(', ')})` }} />
      <span>{hi}</span>
      <span className="muted">
        {mode === 'similarity' ? 'cosine similarity' : mode === 'softmax' ? 'softmax weight' : 'weight × 1/τ'}
      </span>
    </div>
  );
}

/** The side panel: the last batch's matrix, with a toggle between similarity and softmax. */
export function SimilarityMatrix({ batch, temperature }: { batch: BatchZ | null; temperature: number }) {
  const [softmax, setSoftmax] = useState(false);
  // The anchor the embedding view shows: outlined here, and a click on a row picks another.
  const { anchor } = usePlayground();
  const mode: MatrixMode = softmax ? 'softmax' : 'similarity';
  return (
    <section className="panel matrix-panel" aria-label="Similarity matrix">
      <div className="panel-head">
        <h2>Batch similarities</h2>
        <label
          className="check"
          title="Show each row's softmax at the current temperature: the share of the loss's attention each other view gets."
        >
          <input
            type="checkbox"
            checked={softmax}
            onChange={(e) => setSoftmax(e.target.checked)}
            aria-label="Show row softmax"
          />
          Softmax at τ
        </label>
      </div>
      <MatrixCanvas
        batch={batch}
        temperature={temperature}
        mode={mode}
        highlight={anchor}
        onPickRow={(row) => setPlayground({ anchor: row })}
        label={softmax ? `Row softmax of the batch at temperature ${temperature}` : 'Cosine similarities of the batch'}
      />
    </section>
  );
}
