// The row of panels about one anchor: its triple, what the temperature does to its negatives,
// and its loss term with numbers. All recomputed on the page from the last snapshot's batch at
// the slider's temperature.

import type { Snapshot } from '../protocol';
import { AnchorTriples } from './AnchorTriples';
import { LossFormula } from './LossFormula';
import { usePlayground } from './playgroundStore';
import { TemperaturePanel } from './TemperaturePanel';
import { anchorAnalysis } from './useAnchorAnalysis';
import './playground.css';

export function ContrastPanels({ snapshot, temperature, classNames }: { snapshot: Snapshot | null; temperature: number; classNames: string[] }) {
  const { anchor } = usePlayground();
  const a = snapshot ? anchorAnalysis(snapshot.batch, snapshot.dim, temperature, anchor) : null;
  if (!snapshot || !a) {
    return (
      <section className="contrast-row contrast-empty" aria-label="Anchor panels">
        <p className="panel muted">Press <b>Play</b> or <b>Step</b>: the first batch's anchor, its positive and its hardest negatives appear here, with the forces between them.</p>
      </section>
    );
  }
  return (
    <section className="contrast-row" aria-label="Anchor panels">
      <AnchorTriples snapshot={snapshot} a={a} classNames={classNames} />
      <TemperaturePanel a={a} temperature={temperature} trainedAt={snapshot.temperature} />
      <LossFormula a={a} />
    </section>
  );
}
