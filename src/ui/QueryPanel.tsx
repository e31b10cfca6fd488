// Draw a query, or click an image: the query is prepared the way the dataset's images were
// (core/drawingPrep), embedded in the worker with the current encoder, and its 12 nearest
// held-out images are shown with their cosine similarity, in h or in z. "Use as anchor" puts
// the query at the head of the triples panel.

import { useMemo, useState } from 'react';
import { prepareMnistDrawing, prepareShapesDrawing, shapesBackground, type DrawingRaster } from '../core/drawingPrep';
import type { DatasetId } from '../core/settings';
import { COLOUR_NAMES, PALETTE } from '../core/shapes';
import type { QueryNeighbours, QueryResult, QuerySource } from '../protocol';
import { DrawingPad } from './DrawingPad';
import { bytesToDataUrl } from './imageUrl';
import './query.css';

type Space = 'h' | 'z';
type Colour = (typeof COLOUR_NAMES)[number];

interface Props {
  dataset: DatasetId;
  result: QueryResult | null;
  /** What the shown result searched with, in words ("your drawing", "digit 7"). */
  queryLabel: string | null;
  onQuery: (source: QuerySource, label: string) => void;
  asAnchor: boolean;
  onAsAnchor: (on: boolean) => void;
}

const css = (rgb: readonly number[]) => `rgb(${rgb.join(',')})`;

/** A drawing in the dataset's format, or null while the pad is blank. */
export function drawingQuery(raster: DrawingRaster, dataset: DatasetId, colour: Colour): QuerySource | null {
  if (dataset === 'mnist') {
    const p = prepareMnistDrawing(raster);
    return p.empty ? null : { kind: 'pixels', height: 28, width: 28, channels: 1, pixels: p.pixels };
  }
  const p = prepareShapesDrawing(raster, PALETTE[colour]);
  return p.empty ? null : { kind: 'pixels', height: 32, width: 32, channels: 3, pixels: p.pixels };
}

export function QueryPanel({ dataset, result, queryLabel, onQuery, asAnchor, onAsAnchor }: Props) {
  const [space, setSpace] = useState<Space>('h');
  const [colour, setColour] = useState<Colour>('red');
  const mnist = dataset === 'mnist';
  const shown = result ? (space === 'h' ? result.h : result.zNeighbours) : null;
  const queryUrl = useMemo(
    () => (result ? bytesToDataUrl(result.query, result.width, result.height, result.channels) : ''),
    [result],
  );
  // Drawn once per answer, not on every snapshot's re-render.
  const urls = useMemo(() => {
    if (!shown || !result) return [];
    const size = result.height * result.width * result.channels;
    return Array.from(shown.indices, (_, k) =>
      bytesToDataUrl(shown.pixels, result.width, result.height, result.channels, k * size),
    );
  }, [shown, result]);

  const onRaster = (r: DrawingRaster) => {
    const q = drawingQuery(r, dataset, colour);
    if (q) onQuery(q, 'your drawing');
  };

  return (
    <section className="panel qp" aria-label="Search by example">
      <h2>Draw a query</h2>
      <p className="muted qp-help">
        Draw {mnist ? 'a digit' : 'a shape'}, or click any image below or in your gallery: its 12 nearest held-out
        images appear, with their cosine similarity.
      </p>
      <div className="qp-pad">
        <DrawingPad
          onRaster={onRaster}
          size={224}
          penColour={mnist ? '#fff' : css(PALETTE[colour])}
          background={mnist ? '#000' : css(shapesBackground('dark'))}
          penWidth={mnist ? 0.075 : 0.12}
        />
        {!mnist && (
          <label>
            Pen colour{' '}
            <select value={colour} onChange={(e) => setColour(e.target.value as Colour)}>
              {COLOUR_NAMES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="qp-options">
        <fieldset className="qp-space">
          <legend>Neighbours in</legend>
          <label>
            <input type="radio" name="qp-space" checked={space === 'h'} onChange={() => setSpace('h')} /> h
            (representation)
          </label>
          <label>
            <input type="radio" name="qp-space" checked={space === 'z'} onChange={() => setSpace('z')} /> z (projection)
          </label>
        </fieldset>
        <label>
          <input
            type="checkbox"
            checked={asAnchor}
            disabled={!result && !asAnchor}
            onChange={(e) => onAsAnchor(e.target.checked)}
          />{' '}
          Use as anchor
        </label>
      </div>
      {result && shown ? (
        <div className="qp-result" data-testid="query-result">
          <figure className="qp-query">
            <img
              src={queryUrl}
              alt={`Query: ${queryLabel ?? 'your drawing'}, as the encoder sees it`}
              width={48}
              height={48}
            />
            <figcaption>
              {queryLabel ?? 'query'} · step {result.step}
            </figcaption>
          </figure>
          <ol className="qp-neighbours" aria-label={`12 nearest held-out images in ${space}`}>
            <Neighbours n={shown} urls={urls} onQuery={onQuery} />
          </ol>
        </div>
      ) : (
        <p className="muted">No query yet.</p>
      )}
    </section>
  );
}

function Neighbours({ n, urls, onQuery }: { n: QueryNeighbours; urls: string[]; onQuery: Props['onQuery'] }) {
  return Array.from(n.indices, (index, k) => (
    <li key={`${index}-${k}`}>
      <button
        type="button"
        className="qp-pick"
        title={`Search with this image (${n.labels[k]})`}
        aria-label={`Search with ${n.labels[k]}, similarity ${n.similarities[k].toFixed(2)}`}
        onClick={() => onQuery({ kind: 'index', index }, n.labels[k])}
      >
        <img data-testid="neighbour" alt={n.labels[k]} width={40} height={40} src={urls[k]} />
      </button>
      <span className="qp-sim">{n.similarities[k].toFixed(2)}</span>
    </li>
  ));
}
