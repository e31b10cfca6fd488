// The anchor's NT-Xent term typeset in MathML (Chromium renders it natively), first in symbols,
// then with this anchor's numbers: the numerator is the positive's pull, the sum over negatives
// in the denominator is the push. Exponentials are formed from the logits in float64, which
// holds e^100 (tau = 0.01) comfortably; they are shown as mantissa x 10^k when large.

import type { ReactNode } from 'react';
import type { LossId } from '../core/settings';
import { NO_NEGATIVES_NOTE } from './lossNames';
import type { BatchAnalysis } from './anchorAnalysis';

export function LossFormula({ a, loss = 'ntxent' }: { a: BatchAnalysis; loss?: LossId }) {
  const an = a.analysis;
  if (loss === 'align') return <AlignmentFormula posSim={an.posSim} />;
  const tau = an.tau;
  // Both in units of e^{lse}, then scaled back, so nothing overflows even in extreme cases.
  const logPull = an.posSim / tau;
  const logPush = an.lse + Math.log(Math.max(1e-300, 1 - an.pPos));
  const count = an.negatives.length;
  return (
    <section className="panel lformula" aria-label="The anchor's loss term">
      <h2>The anchor's loss term</h2>
      <math display="block" className="lf-math">
        <mrow>
          <msub>
            <mi>ℓ</mi>
            <mi>i</mi>
          </msub>
          <mo>=</mo>
          <mo>−</mo>
          <mi>log</mi>
          <mspace width="0.15em" />
          <mfrac>
            <mrow className="lf-pull">
              <msup>
                <mi>e</mi>
                <mrow>
                  <msub>
                    <mi>s</mi>
                    <mrow>
                      <mi>i</mi>
                      <mo>+</mo>
                    </mrow>
                  </msub>
                  <mo>/</mo>
                  <mi>τ</mi>
                </mrow>
              </msup>
            </mrow>
            <mrow>
              <mrow className="lf-pull">
                <msup>
                  <mi>e</mi>
                  <mrow>
                    <msub>
                      <mi>s</mi>
                      <mrow>
                        <mi>i</mi>
                        <mo>+</mo>
                      </mrow>
                    </msub>
                    <mo>/</mo>
                    <mi>τ</mi>
                  </mrow>
                </msup>
              </mrow>
              <mo>+</mo>
              <mrow className="lf-push">
                <munder>
                  <mo>∑</mo>
                  <mrow>
                    <mi>j</mi>
                    <mo>≠</mo>
                    <mi>i</mi>
                    <mo>,</mo>
                    <mi>i</mi>
                    <mo>+</mo>
                  </mrow>
                </munder>
                <msup>
                  <mi>e</mi>
                  <mrow>
                    <msub>
                      <mi>s</mi>
                      <mrow>
                        <mi>i</mi>
                        <mi>j</mi>
                      </mrow>
                    </msub>
                    <mo>/</mo>
                    <mi>τ</mi>
                  </mrow>
                </msup>
              </mrow>
            </mrow>
          </mfrac>
        </mrow>
      </math>
      <math display="block" className="lf-math" data-testid="loss-formula-numbers">
        <mrow>
          <mo>=</mo>
          <mo>−</mo>
          <mi>log</mi>
          <mspace width="0.15em" />
          <mfrac>
            <mrow className="lf-pull">
              <msup>
                <mi>e</mi>
                <mrow>
                  <mn>{an.posSim.toFixed(2)}</mn>
                  <mo>/</mo>
                  <mn>{fmtTau(tau)}</mn>
                </mrow>
              </msup>
            </mrow>
            <mrow>
              <mrow className="lf-pull">
                <msup>
                  <mi>e</mi>
                  <mrow>
                    <mn>{an.posSim.toFixed(2)}</mn>
                    <mo>/</mo>
                    <mn>{fmtTau(tau)}</mn>
                  </mrow>
                </msup>
              </mrow>
              <mo>+</mo>
              <mrow className="lf-push">
                <munder>
                  <mo>∑</mo>
                  <mrow>
                    <mn>{count}</mn>
                    <mtext>{'\u00a0negatives'}</mtext>
                  </mrow>
                </munder>
                <msup>
                  <mi>e</mi>
                  <mrow>
                    <msub>
                      <mi>s</mi>
                      <mi>j</mi>
                    </msub>
                    <mo>/</mo>
                    <mn>{fmtTau(tau)}</mn>
                  </mrow>
                </msup>
              </mrow>
            </mrow>
          </mfrac>
        </mrow>
      </math>
      <math display="block" className="lf-math">
        <mrow>
          <mo>=</mo>
          <mo>−</mo>
          <mi>log</mi>
          <mspace width="0.15em" />
          <mfrac>
            <mrow className="lf-pull">{expNumber(logPull)}</mrow>
            <mrow>
              <mrow className="lf-pull">{expNumber(logPull)}</mrow>
              <mo>+</mo>
              <mrow className="lf-push">{expNumber(logPush)}</mrow>
            </mrow>
          </mfrac>
          <mo>=</mo>
          <mo>−</mo>
          <mi>log</mi>
          <mspace width="0.15em" />
          <mn>{fmtNum(an.pPos)}</mn>
          <mo>=</mo>
          <mn data-testid="formula-loss">{an.loss.toFixed(3)}</mn>
        </mrow>
      </math>
      <p className="muted lf-note">
        <span className="lf-pull">Numerator: the pull</span> toward the positive.{' '}
        <span className="lf-push">Sum over negatives: the push.</span> Gradient: the positive pulls with (1 − p
        <sub>+</sub>)/τ = {((1 - an.pPos) / tau).toFixed(2)}, exactly the total push Σ p<sub>j</sub>/τ of the negatives.
      </p>
    </section>
  );
}

/** Alignment only: the anchor's term is the squared distance to its positive, 2 - 2 s+ on the
 *  unit sphere; no denominator, so no negatives. */
function AlignmentFormula({ posSim }: { posSim: number }) {
  return (
    <section className="panel lformula" aria-label="The anchor's loss term">
      <h2>The anchor's loss term</h2>
      <math display="block" className="lf-math">
        <mrow>
          <msub>
            <mi>ℓ</mi>
            <mi>i</mi>
          </msub>
          <mo>=</mo>
          <msup>
            <mrow>
              <mo>‖</mo>
              <msub>
                <mi>z</mi>
                <mi>i</mi>
              </msub>
              <mo>−</mo>
              <msub>
                <mi>z</mi>
                <mrow>
                  <mi>i</mi>
                  <mo>+</mo>
                </mrow>
              </msub>
              <mo>‖</mo>
            </mrow>
            <mn>2</mn>
          </msup>
          <mo>=</mo>
          <mn>2</mn>
          <mo>−</mo>
          <mn>2</mn>
          <msub>
            <mi>s</mi>
            <mrow>
              <mi>i</mi>
              <mo>+</mo>
            </mrow>
          </msub>
        </mrow>
      </math>
      <math display="block" className="lf-math" data-testid="loss-formula-numbers">
        <mrow>
          <mo>=</mo>
          <mn>2</mn>
          <mo>−</mo>
          <mn>2</mn>
          <mo>×</mo>
          <mn className="lf-pull">{posSim.toFixed(3)}</mn>
          <mo>=</mo>
          <mn data-testid="formula-loss">{(2 - 2 * posSim).toFixed(3)}</mn>
        </mrow>
      </math>
      <p className="muted lf-note">
        <span className="lf-pull">Only a pull</span> toward the positive: there is no sum over negatives.{' '}
        {NO_NEGATIVES_NOTE}
      </p>
    </section>
  );
}

const fmtTau = (t: number) => String(+t.toPrecision(3));

function fmtNum(v: number): string {
  if (v === 0) return '0';
  if (v >= 0.001 && v < 1e5) return String(+v.toPrecision(3));
  return v.toExponential(2);
}

/** e^x as a readable number: plain up to 10^5, else m × 10^k (never overflows: built from x). */
function expNumber(x: number): ReactNode {
  const k = Math.floor(x / Math.LN10);
  if (k >= -3 && k < 5) return <mn>{String(+Math.exp(x).toPrecision(3))}</mn>;
  const m = Math.exp(x - k * Math.LN10);
  return (
    <mrow>
      <mn>{m.toFixed(2)}</mn>
      <mo>×</mo>
      <msup>
        <mn>10</mn>
        <mn>{k}</mn>
      </msup>
    </mrow>
  );
}
