// What the engine is doing, in numbers: step, loss, speed, and which backend runs and why.

import type { BackendInfo, Ready, Snapshot } from '../protocol';
import { chanceFor, chanceFormula } from '../core/chance';

interface Props {
  snapshot: Snapshot | null;
  backend: BackendInfo | null;
  ready: Ready | null;
  batchSize: number;
}

export function Readouts({ snapshot, backend, ready, batchSize }: Props) {
  const loss = snapshot && Number.isFinite(snapshot.loss) ? snapshot.loss.toFixed(3) : '–';
  return (
    <section className="panel readouts" aria-label="Training status">
      <dl>
        <div>
          <dt>Step</dt>
          <dd data-testid="step-count">{snapshot?.step ?? 0}</dd>
        </div>
        <div>
          <dt>Epoch</dt>
          <dd>{snapshot ? snapshot.epoch.toFixed(2) : '0.00'}</dd>
        </div>
        <div
          title={
            snapshot?.lossId === 'align'
              ? 'Alignment loss: mean squared distance between the two views of each image, 0 when they coincide (as they do when everything collapses to one point).'
              : `Chance level ${chanceFormula(snapshot?.lossId ?? 'ntxent')} = ${chanceFor(snapshot?.lossId ?? 'ntxent', batchSize).toFixed(3)}: the loss of an embedding that carries no information.`
          }
        >
          <dt>Loss</dt>
          <dd data-testid="loss-value">{loss}</dd>
        </div>
        <div>
          <dt>Steps/s</dt>
          <dd data-testid="steps-per-second">{snapshot ? snapshot.stepsPerSecond.toFixed(1) : '0.0'}</dd>
        </div>
        <div className="secondary" title={backend ? `${backend.adapter}. ${backend.reason}` : 'Starting…'}>
          <dt>Backend</dt>
          <dd data-testid="backend-name">{backend?.name ?? '…'}</dd>
        </div>
        <div className="secondary" title={memoryNote(snapshot)}>
          <dt>Tensors</dt>
          <dd
            data-testid="tensor-count"
            data-num-bytes={snapshot?.numBytes}
            data-wasm-heap-bytes={snapshot?.wasmHeapBytes}
          >
            {snapshot?.numTensors ?? '–'}
          </dd>
        </div>
      </dl>
      {backend && (
        <p className="backend-why secondary" data-testid="backend-reason">
          <strong>{backend.adapter}</strong>: {backend.reason}.
        </p>
      )}
      {ready && (
        <p className="muted secondary">
          {ready.trainCount.toLocaleString()} training / {ready.testCount.toLocaleString()} held-out images;{' '}
          {ready.parameterCount.toLocaleString()} parameters.
        </p>
      )}
    </section>
  );
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** The engine's memory in a sentence: flat while training, or something leaks. */
function memoryNote(snapshot: Snapshot | null): string {
  if (!snapshot) return 'Tensors the engine holds.';
  const held =
    snapshot.numBytes !== undefined ? `Tensors the engine holds: ${mb(snapshot.numBytes)}` : 'Tensors the engine holds';
  return snapshot.wasmHeapBytes !== undefined
    ? `${held}; the WebAssembly heap is ${mb(snapshot.wasmHeapBytes)}.`
    : `${held}.`;
}
