// The panels about one anchor: its triple and its loss term with numbers (ContrastPanels), and
// what the temperature does to its negatives (AnchorTemperature, placed beside the embedding
// so a class sees it while the slider moves). All recomputed on the page from the last
// snapshot's batch at the slider's temperature.

import type { Snapshot } from '../protocol';
import { AnchorTriples } from './AnchorTriples';
import { LossFormula } from './LossFormula';
import { usePlayground } from './playgroundStore';
import { TemperaturePanel } from './TemperaturePanel';
import { anchorAnalysis } from './anchorAnalysis';
import './playground.css';

interface Props {
  snapshot: Snapshot | null;
  temperature: number;
}

function useAnchor({ snapshot, temperature }: Props) {
  const { anchor } = usePlayground();
  return snapshot ? anchorAnalysis(snapshot.batch, snapshot.dim, temperature, anchor) : null;
}

export function ContrastPanels(props: Props & { classNames: string[] }) {
  const a = useAnchor(props);
  if (!props.snapshot || !a) {
    return (
      <p className="panel muted contrast-empty">
        Press <b>Play</b> or <b>Step</b>: the first batch's anchor, its positive and its hardest negatives appear here,
        with the forces between them.
      </p>
    );
  }
  return (
    <>
      <AnchorTriples snapshot={props.snapshot} a={a} classNames={props.classNames} />
      <LossFormula a={a} loss={props.snapshot.lossId} />
    </>
  );
}

export function AnchorTemperature(props: Props) {
  const a = useAnchor(props);
  if (!props.snapshot || !a) return null;
  return (
    <TemperaturePanel
      a={a}
      temperature={props.temperature}
      trainedAt={props.snapshot.temperature}
      loss={props.snapshot.lossId}
    />
  );
}
