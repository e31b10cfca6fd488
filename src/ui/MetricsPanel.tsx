// What the encoder has learned, in numbers: kNN accuracy on h and z beside the same kNN on
// raw pixels and on the untrained encoder, the geometry of the display set beside its best
// possible values, and (on Shapes) kNN per factor, so shape-vs-colour learning is visible.

import type { Command, Metrics } from '../protocol';

const K_CHOICES = [1, 5, 10, 20, 50, 100, 200];

const pct = (x: number | undefined | null) =>
  x === undefined || x === null || !Number.isFinite(x) ? '–' : (100 * x).toFixed(1);

interface Props {
  metrics: Metrics | null;
  send: (c: Command) => void;
}

export function MetricsPanel({ metrics, send }: Props) {
  const last = metrics?.history.at(-1);
  const b = metrics?.baselines;
  const factors = last?.knnByFactor ?? metrics?.factors.map((name) => ({ name, chance: NaN, h: NaN, z: NaN })) ?? [];
  return (
    <section className="panel metrics" aria-label="What the encoder has learned">
      <div className="metrics-head">
        <h2>What it has learned</h2>
        <label title="Neighbours that vote in the kNN classifier (cosine similarity, held-out images against the training set).">
          <span>k</span>
          <select
            aria-label="kNN neighbours"
            value={metrics?.k ?? 20}
            onChange={(e) => send({ type: 'setMetrics', knnK: Number(e.target.value) })}
          >
            {K_CHOICES.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </div>
      <dl className="metrics-grid">
        <div
          title={`kNN accuracy of the ${factors[0]?.name ?? 'label'} on the representation h, held-out images against the training set. Baselines: the same kNN on raw pixels and on h of the encoder at random initialisation.`}
        >
          <dt>kNN on h</dt>
          <dd>
            <span data-testid="knn-accuracy">{pct(last?.knnH)}</span>
            <small>%</small>
          </dd>
          <dd className="baseline">
            pixels <span data-testid="knn-raw">{pct(b?.raw[0])}</span>
          </dd>
          <dd className="baseline">
            random init <span data-testid="knn-random">{pct(b?.randomH[0])}</span>
          </dd>
        </div>
        <div title="The same kNN on the projection z that the loss sees; h usually transfers better.">
          <dt>kNN on z</dt>
          <dd>
            <span data-testid="knn-z">{pct(last?.knnZ)}</span>
            <small>%</small>
          </dd>
          <dd className="baseline">
            random init <span>{pct(b?.randomZ[0])}</span>
          </dd>
        </div>
        <div title="Mean squared distance between the two views' z of the display images (Wang & Isola): 0 is perfect, 4 is opposite.">
          <dt>Alignment</dt>
          <dd data-testid="alignment">{last ? last.alignment.toFixed(3) : '–'}</dd>
          <dd className="baseline">best 0</dd>
        </div>
        <div title="log mean exp(-2 distance²) over pairs of display images: 0 is total collapse; the best reachable value depends on the dimension of z.">
          <dt>Uniformity</dt>
          <dd data-testid="uniformity">{last ? last.uniformity.toFixed(3) : '–'}</dd>
          <dd className="baseline">
            best {metrics ? metrics.uniformityOptimum.toFixed(3) : '–'} in {metrics?.dim ?? '–'}-D
          </dd>
        </div>
        <div title="Share of each batch's negatives that have the anchor's own class: NT-Xent pushes them away although they belong together.">
          <dt>False negatives</dt>
          <dd data-testid="false-negatives">
            {pct(last?.falseNegativeShare)}
            <small>%</small>
          </dd>
        </div>
        <div
          title={`Share of wall time the periodic evaluation takes while training (budget about 10%); one full evaluation takes ${metrics ? (metrics.lastEvalMs / 1000).toFixed(1) : '–'} s, spread over training steps. Not counted: the one-off baselines and the step-0 point, which took ${metrics ? (metrics.oneOffEvalMs / 1000).toFixed(1) : '–'} s of training time.`}
        >
          <dt>Eval cost</dt>
          <dd>
            <span data-testid="eval-cost">{metrics ? (100 * metrics.evalShare).toFixed(0) : '–'}</span>
            <small>%</small>
          </dd>
          <dd className="baseline" data-testid="metrics-status">
            {metrics?.busy ? 'measuring…' : last ? `at step ${last.step}` : 'waiting'}
          </dd>
        </div>
      </dl>
      {factors.length > 1 && (
        <table className="factor-table" aria-label="kNN accuracy per factor">
          <caption title="kNN on each labelled factor: what the encoder kept and what it learned to ignore.">
            kNN per factor (%)
          </caption>
          <thead>
            <tr>
              <th scope="col">factor</th>
              <th scope="col" title="Always guessing the most common value.">
                chance
              </th>
              <th scope="col">h</th>
              <th scope="col">z</th>
              <th scope="col" title="Raw pixels.">
                pixels
              </th>
              <th scope="col" title="h at random initialisation.">
                random
              </th>
            </tr>
          </thead>
          <tbody>
            {factors.map((f, i) => (
              <tr key={f.name} data-testid={`knn-factor-${f.name}`}>
                <th scope="row">{f.name}</th>
                <td>{pct(f.chance)}</td>
                <td>{pct(f.h)}</td>
                <td>{pct(f.z)}</td>
                <td>{pct(b?.raw[i])}</td>
                <td>{pct(b?.randomH[i])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
