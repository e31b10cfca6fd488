import { describe, expect, it } from 'vitest';
import { ChancePlateau, PLATEAU_STEPS } from '../../src/core/chancePlateau';

const chance64 = Math.log(127);

describe('ChancePlateau', () => {
  it('says so once, after PLATEAU_STEPS steps at chance', () => {
    const p = new ChancePlateau();
    const said: (string | null)[] = [];
    for (let i = 0; i < PLATEAU_STEPS + 20; i++) said.push(p.push(chance64 + (i % 2 ? 0.002 : -0.003), 'supcon', 64));
    expect(said.slice(0, PLATEAU_STEPS - 1).every((m) => m === null)).toBe(true);
    expect(said[PLATEAU_STEPS - 1]).toMatch(/chance level, log\(2N − 1\) = 4\.84.*NT-Xent/);
    expect(said.slice(PLATEAU_STEPS).every((m) => m === null)).toBe(true);
  });

  it('stays quiet while the loss leaves chance, even briefly', () => {
    const p = new ChancePlateau();
    for (let i = 0; i < 500; i++) {
      const loss = i % 50 === 49 ? chance64 - 0.2 : chance64;
      expect(p.push(loss, 'ntxent', 64)).toBeNull();
    }
    // A loss that falls as training should never trips it.
    const q = new ChancePlateau();
    for (let i = 0; i < 500; i++) expect(q.push(chance64 * Math.exp(-i / 100), 'ntxent', 64)).toBeNull();
  });

  it('uses the chance level of the current batch size, and starts over when it or the loss changes', () => {
    const p = new ChancePlateau();
    for (let i = 0; i < PLATEAU_STEPS - 1; i++) expect(p.push(chance64, 'ntxent', 64)).toBeNull();
    // log(2 * 128 - 1) is another level: the count starts again there.
    const chance128 = Math.log(255);
    for (let i = 0; i < PLATEAU_STEPS - 1; i++) expect(p.push(chance128, 'ntxent', 128)).toBeNull();
    expect(p.push(chance128, 'ntxent', 128)).toMatch(/5\.54/);
    for (let i = 0; i < PLATEAU_STEPS - 1; i++) expect(p.push(chance128, 'supcon', 128)).toBeNull();
    expect(p.push(chance128, 'supcon', 128)).toMatch(/SupCon/);
  });

  it('ignores alignment alone, whose collapse is at a loss of 0', () => {
    const p = new ChancePlateau();
    for (let i = 0; i < 200; i++) expect(p.push(chance64, 'align', 64)).toBeNull();
  });
});
