// Time to quality in CLIP mode: reads the zero-shot panel, which re-measures every few seconds
// while training, and logs each new measurement against seconds since Play and the step it was
// taken at: zero-shot accuracy per factor, on the held-out compositions, text-search precision
// at 12 over the 64 colour x shape queries, and (two shapes) the binding test.

/** Issue 15's targets: Shapes' zero-shot and search figures; two shapes' binding (order-aware encoder). */
const TARGETS = { shapes: { shape: 95, colour: 95, compositions: 85, p12: 90 }, twoShapes: { binding: 90 } };

export async function clipQuality(page, maxSeconds, t0, dataset = 'shapes') {
  const targets = TARGETS[dataset] ?? {};
  const read = async (id) => {
    const l = page.getByTestId(id);
    if (!(await l.count())) return null;
    const v = Number((await l.first().textContent())?.replace(/[^0-9.-]/g, ''));
    return Number.isFinite(v) ? v : null;
  };
  const points = [];
  let lastStep = null;
  let reached = null;
  while ((Date.now() - t0) / 1000 < maxSeconds) {
    await page.waitForTimeout(1000);
    const step = await read('zero-shot-step');
    if (step === null || step === lastStep) continue;
    lastStep = step;
    const p = {
      seconds: Math.round((Date.now() - t0) / 100) / 10,
      step,
      shape: await read('zero-shot-factor-shape'),
      colour: await read('zero-shot-factor-colour'),
      both: await read('zero-shot-factor-both'),
      digit: await read('zero-shot-factor-digit'),
      compositions: await read('zero-shot-compositions'),
      p12: await read('search-precision'),
      binding: await read('binding-accuracy'),
      temperature: await read('clip-temperature-now'),
    };
    for (const k of Object.keys(p)) if (p[k] === null) delete p[k];
    points.push(p);
    console.error(
      `  ${p.seconds} s, step ${p.step}: ${Object.entries(p)
        .filter(([k]) => k !== 'seconds' && k !== 'step')
        .map(([k, v]) => `${k} ${v}${k === 'temperature' ? '' : '%'}`)
        .join(', ')}`,
    );
    if (!reached && dataset === 'shapes' && p.shape >= targets.shape && p.colour >= targets.colour) reached = p;
  }
  const best = (k) => Math.max(-1, ...points.map((p) => p[k] ?? -1));
  const met = Object.fromEntries(
    Object.entries(targets)
      .filter(([k]) => best(k) >= 0)
      .map(([k, t]) => [k, { target: t, best: best(k), met: best(k) >= t }]),
  );
  return { points, reached, targets: met };
}
