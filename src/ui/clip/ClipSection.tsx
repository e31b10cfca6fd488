// Everything CLIP mode adds below the embedding view, loaded only when CLIP is chosen: the
// image-caption batch panels, zero-shot classification, search, and the modality gap.

import type { Settings } from '../../core/settings';
import type { ClipEval, ClipSearch, ClipState, Command, ProbeReport, Snapshot } from '../../protocol';
import { ClipBatchPanels } from './ClipBatchPanels';
import { ClipPathChart } from './ClipCharts';
import { ClipControls } from './ClipControls';
import { SearchPanel } from './SearchPanel';
import { ZeroShotPanel } from './ZeroShotPanel';

export { ClipControls };

interface Props {
  settings: Settings;
  snapshot: Snapshot | null;
  state: ClipState | null;
  evaluation: ClipEval | null;
  search: ClipSearch | null;
  probes: Record<string, ProbeReport> | undefined;
  send: (c: Command) => void;
}

export default function ClipSection({ settings, snapshot, state, evaluation, search, probes, send }: Props) {
  const temperature = snapshot?.temperature ?? settings.temperature;
  return (
    <>
      <section className="contrast-row clip-row-panels" aria-label="CLIP batch">
        <ClipBatchPanels snapshot={snapshot} temperature={temperature} />
        <section className="panel clip-gap" aria-label="Modality gap" data-testid="modality-gap">
          <h2>Modality gap</h2>
          <p className="muted">
            Distance between the mean image and the mean caption direction of the points shown (0: the two clouds share
            a centre; up to 2). Early in training images and captions sit in two separate regions.
          </p>
          {state && (
            <ClipPathChart
              path={state.gapPath}
              label="Modality gap over steps"
              testId="gap-path"
              format={(v) => v.toFixed(2)}
              yMin={0}
            />
          )}
        </section>
      </section>
      <section className="measure-row clip-eval-row" aria-label="Zero-shot and search">
        <ZeroShotPanel
          dataset={settings.dataset}
          result={evaluation}
          probes={probes}
          step={snapshot?.step ?? 0}
          playing={snapshot?.playing ?? false}
          send={send}
        />
        <SearchPanel result={search} send={send} />
      </section>
    </>
  );
}
