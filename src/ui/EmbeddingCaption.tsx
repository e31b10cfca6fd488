// The embedding view's caption: its controls (colour by, projection, markers, forces), the key
// to the batch's marks and arrows, the class legend, and a line saying what the canvas shows.
// The choices kept in the playground store are read and written here; the projection, which
// only the view uses, is the view's state, passed in.

import type { Ready } from '../protocol';
import type { ViewMode } from '../core/viewProjection';
import { markerPath } from './markers';
import { setPlayground, usePlayground } from './playgroundStore';
import type { UmapState } from './useUmap';

export type FlatProjection = 'pca' | 'umap';

interface Props {
  /** The factors to colour by, or undefined when the dataset has only its class label. */
  factors: Ready['factors'] | undefined;
  legend: string[];
  colourOf: (k: number) => string;
  mode: ViewMode;
  dim: number;
  projection: FlatProjection;
  onProjection: (p: FlatProjection) => void;
  umap: UmapState;
  /** UMAP is chosen (its layout may still be computing). */
  umapOn: boolean;
  /** The UMAP layout is what the canvas shows. */
  umapShown: boolean;
  hasDisplay: boolean;
  /** The loss has negatives, so there is a push to draw. */
  pushes: boolean;
  queryShown: boolean;
  captionsShown: boolean;
  /** Images in the drawn batch (0: none). */
  rowsN: number;
}

export function EmbeddingCaption({
  factors,
  legend,
  colourOf,
  mode,
  dim,
  projection,
  onProjection,
  umap,
  umapOn,
  umapShown,
  hasDisplay,
  pushes,
  queryShown,
  captionsShown,
  rowsN,
}: Props) {
  const { colourBy, showAllForces, markers } = usePlayground();
  return (
    <figcaption>
      <div className="ev-bar">
        {factors && (
          <label
            className="ev-select"
            title="Which dataset factor colours the points: a good embedding groups by shape and ignores colour."
          >
            <span>Colour by</span>
            <select
              aria-label="Colour by"
              value={Math.min(colourBy, factors.length - 1)}
              onChange={(e) => setPlayground({ colourBy: Number(e.target.value) })}
            >
              {factors.map((fa, k) => (
                <option key={fa.name} value={k}>
                  {fa.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {mode === 'pca' && (
          <label
            className="ev-select"
            title="PCA keeps distances and directions linear (and shows forces); UMAP, computed on demand, shows neighbourhoods and clusters."
          >
            <span>Projection</span>
            <select
              aria-label="Projection"
              value={projection}
              onChange={(e) => onProjection(e.target.value as FlatProjection)}
            >
              <option value="pca">PCA</option>
              <option value="umap">UMAP</option>
            </select>
          </label>
        )}
        {umapOn && (
          <button
            type="button"
            className="ev-recompute"
            aria-label="Recompute UMAP"
            title="Recompute the UMAP layout for the latest display set."
            disabled={umap.computing || !hasDisplay}
            onClick={umap.recompute}
          >
            Recompute
          </button>
        )}
        <label
          className="ev-check"
          title="Draw each class in its own shape as well as its colour, for colour-blind viewers, projectors and greyscale printouts."
        >
          <input
            type="checkbox"
            aria-label="Shapes per class"
            checked={markers}
            onChange={(e) => setPlayground({ markers: e.target.checked })}
          />
          Shapes per class
        </label>
        {!umapShown && (
          <>
            <label
              className="ev-check"
              title={
                pushes
                  ? "Draw the force of the whole batch loss on every batch point, not just the anchor's own term."
                  : 'Draw the pull of the alignment loss on every batch point (there is no push: this loss has no negatives).'
              }
            >
              <input
                type="checkbox"
                aria-label="Show all forces"
                checked={showAllForces}
                onChange={(e) => setPlayground({ showAllForces: e.target.checked })}
              />
              Show all forces
            </label>
            <span className="ev-key" aria-hidden="true">
              <span>
                <i className="ev-key-anchor" /> anchor
              </span>
              <span>
                <i className="ev-key-pos" /> positive
              </span>
              {pushes && (
                <span>
                  <i className="ev-key-neg" /> negative
                </span>
              )}
              <span>
                <b className="ev-arrow ev-arrow-pull">→</b> pull
              </span>
              {pushes ? (
                <>
                  <span>
                    <b className="ev-arrow ev-arrow-push">→</b> push
                  </span>
                  <span>
                    <b className="ev-arrow ev-arrow-net">→</b> net force
                  </span>
                </>
              ) : (
                <span>no push: this loss has no negatives</span>
              )}
              {queryShown && (
                <span>
                  <i className="ev-key-query" /> your query
                </span>
              )}
            </span>
          </>
        )}
      </div>
      <span className="legend">
        {captionsShown && (
          <span className="legend-item" data-testid="modality-legend">
            ● image · □ caption
          </span>
        )}
        {legend.map((c, k) => (
          <span key={c + k} className="legend-item">
            {markers ? (
              <svg width="12" height="12" aria-hidden="true">
                <path d={markerPath(k, 12)} fill={colourOf(k)} />
              </svg>
            ) : (
              <i style={{ background: colourOf(k) }} />
            )}
            {c}
          </span>
        ))}
      </span>
      <span className="muted">
        {umapShown
          ? `UMAP of the display set, computed at step ${umap.step}; forces are shown in PCA mode`
          : mode === 'circle'
            ? 'z on the unit circle'
            : mode === 'sphere'
              ? 'z on the unit sphere (drag to turn; far side faint)'
              : `PCA of the ${dim}-D embedding; forces are projected vectors`}
        {!umapShown && rowsN > 0 && ` · batch of ${rowsN} images, ${2 * rowsN} ringed views`}
        {umapOn && umap.computing && <span role="status"> · computing UMAP…</span>}
        {umapOn && umap.error && <span role="alert"> · UMAP failed: {umap.error}</span>}
      </span>
    </figcaption>
  );
}
