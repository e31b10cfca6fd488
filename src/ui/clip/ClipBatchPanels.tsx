// CLIP's batch: an anchor with its positive and the batch's other candidates (an image
// choosing among the captions, or, switched, a caption among the images), each with its
// similarity and softmax weight at the current temperature; and the N x N image x caption
// similarity matrix, whose diagonal holds the true pairs.

import * as d3 from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { anchorChoices, imageTextSimilarity, type ClipDirection } from '../../core/clipBatch';
import type { Snapshot } from '../../protocol';
import { fmtP } from '../AnchorTriples';
import { viewSlot, ViewImage } from '../ViewImage';
import './clip.css';

const SHOWN = 6;
const MATRIX_MAX = 32;

export function ClipBatchPanels({ snapshot, temperature }: { snapshot: Snapshot | null; temperature: number }) {
  const batch = snapshot?.batch ?? null;
  const captions = snapshot?.batchCaptions ?? null;
  const [anchor, setAnchor] = useState(0);
  const [dir, setDir] = useState<ClipDirection>('imageToText');
  const sim = useMemo(() => {
    if (!batch || !captions || batch.embeddings.length === 0) return null;
    const dim = batch.embeddings.length / (2 * batch.n);
    return imageTextSimilarity(batch.embeddings, batch.n, dim);
  }, [batch, captions]);
  if (!batch || !sim || !captions) {
    return (
      <section className="panel clip-anchor" aria-label="CLIP anchor">
        <h2>Image and caption pairs</h2>
        <p className="muted">Waiting for a batch…</p>
      </section>
    );
  }
  const n = batch.n;
  const a = Math.min(anchor, n - 1);
  const choices = anchorChoices(sim, n, a, dir, temperature);
  const pos = choices.find((c) => c.positive)!;
  const views = snapshot!.batchViews ?? null;
  const image = (i: number, label: string) => (
    <ViewImage views={views} slot={viewSlot(i, n, views)} label={label} className="clip-img" />
  );
  const maxW = Math.max(...choices.map((c) => c.weight));
  return (
    <>
      <section className="panel clip-anchor" aria-label="CLIP anchor" data-testid="clip-anchor">
        <div className="tp-head">
          <h2>{dir === 'imageToText' ? "An image and the batch's captions" : "A caption and the batch's images"}</h2>
          <div className="tp-nav">
            <button onClick={() => setAnchor((a + n - 1) % n)} aria-label="Previous pair">
              ◀
            </button>
            <span className="muted">
              pair {a + 1} of {n}
            </span>
            <button onClick={() => setAnchor((a + 1) % n)} aria-label="Next pair">
              ▶
            </button>
          </div>
        </div>
        <label className="clip-switch">
          <input
            type="checkbox"
            checked={dir === 'textToImage'}
            aria-label="Text to image direction"
            onChange={(e) => setDir(e.target.checked ? 'textToImage' : 'imageToText')}
          />
          Text → image (the caption is the anchor)
        </label>
        <div className="clip-anchor-row">
          <figure className="tp-card tp-anchor">
            {dir === 'imageToText' ? image(a, `Anchor image ${a + 1}`) : <q className="clip-caption">{captions[a]}</q>}
            <figcaption>
              <b>Anchor</b>
            </figcaption>
          </figure>
          <div className="tp-loss" title="This anchor's cross-entropy term, -log p of its true partner.">
            <span className="muted">positive p</span>
            <strong data-testid="clip-anchor-p">{fmtP(pos.weight)}</strong>
            <span className="muted">loss term {(-Math.log(Math.max(pos.weight, 1e-300))).toFixed(3)}</span>
          </div>
        </div>
        <ol className="clip-choices">
          {choices.slice(0, SHOWN).map((c) => (
            <li key={c.index} className={c.positive ? 'tp-card clip-positive' : 'tp-card'} data-testid="clip-choice">
              {dir === 'imageToText' ? (
                <q className="clip-caption">{captions[c.index]}</q>
              ) : (
                image(c.index, `Image ${c.index + 1}`)
              )}
              <span className="tp-num">
                s = {c.similarity.toFixed(2)} · p = {fmtP(c.weight)}
              </span>
              <span className={`tp-bar ${c.positive ? 'tp-pull' : 'tp-push'}`} aria-hidden="true">
                <i style={{ width: `${Math.max(1, (100 * c.weight) / maxW)}%` }} />
              </span>
              {c.positive && (
                <span className="tp-badge clip-badge">its own {dir === 'imageToText' ? 'caption' : 'image'}</span>
              )}
            </li>
          ))}
        </ol>
        {!choices.slice(0, SHOWN).some((c) => c.positive) && (
          <p className="muted">
            Its own {dir === 'imageToText' ? 'caption' : 'image'} ranks {choices.findIndex((c) => c.positive) + 1} of{' '}
            {n}.
          </p>
        )}
      </section>
      <ImageTextMatrix sim={sim} n={n} captions={captions} />
    </>
  );
}

function ImageTextMatrix({ sim, n, captions }: { sim: Float64Array; n: number; captions: string[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const k = Math.min(n, MATRIX_MAX);
  const [hover, setHover] = useState<[number, number] | null>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const px = 4 * k;
    c.width = c.height = px;
    const ctx = c.getContext('2d')!;
    const cell = px / k;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        ctx.fillStyle = d3.interpolateRdBu((1 - sim[i * n + j]) / 2);
        ctx.fillRect(j * cell, i * cell, cell, cell);
      }
    }
    ctx.strokeStyle = 'rgba(0,0,0,0.8)';
    ctx.lineWidth = 0.6;
    for (let i = 0; i < k; i++) ctx.strokeRect(i * cell + 0.3, i * cell + 0.3, cell - 0.6, cell - 0.6);
  }, [sim, n, k]);
  let diag = 0,
    off = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) diag += sim[i * n + j];
      else off += sim[i * n + j];
    }
  return (
    <section className="panel clip-matrix" aria-label="Image by caption similarity matrix" data-testid="clip-matrix">
      <h2>Images × captions</h2>
      <p className="muted">
        Row: an image; column: a caption; the outlined diagonal holds the true pairs
        {n > k ? ` (first ${k} of ${n})` : ''}. Mean similarity: true pairs {(diag / n).toFixed(2)}, others{' '}
        {(off / Math.max(1, n * n - n)).toFixed(2)}.
      </p>
      <canvas
        ref={ref}
        className="clip-matrix-canvas"
        role="img"
        aria-label={`${k} by ${k} image-caption cosine similarities`}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setHover([
            Math.floor(((e.clientY - r.top) / r.height) * k),
            Math.floor(((e.clientX - r.left) / r.width) * k),
          ]);
        }}
        onMouseLeave={() => setHover(null)}
      />
      <p className="muted clip-hover">
        {hover && hover[0] < k && hover[1] < k
          ? `image ${hover[0] + 1} × "${captions[hover[1]]}": ${sim[hover[0] * n + hover[1]].toFixed(2)}`
          : 'Point at a cell to read it.'}
      </p>
    </section>
  );
}
