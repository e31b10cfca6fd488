// Seeded standard normals from a table of equiprobable quantiles: the augmentations' pixel
// noise, the one per-pixel part that runs in JS.

import { mulberry32 } from './rng';

/** Acklam's inverse normal CDF (relative error < 1.2e-9). */
function probit(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

let normalTable: Float32Array | null = null;
/** 65536 equiprobable normal quantiles, rescaled to mean 0 and variance exactly 1. */
function getNormalTable(): Float32Array {
  if (normalTable) return normalTable;
  const n = 65536;
  const t = new Float64Array(n);
  for (let k = 0; k < n / 2; k++) {
    t[k] = probit((k + 0.5) / n);
    t[n - 1 - k] = -t[k];
  }
  let v = 0;
  for (let k = 0; k < n; k++) v += t[k] * t[k];
  const scale = 1 / Math.sqrt(v / n);
  normalTable = Float32Array.from(t, (x) => x * scale);
  return normalTable;
}

/**
 * n standard normals from a seeded stream: each 32-bit draw picks two of 65536 equiprobable
 * normal quantiles. Several times faster than Box-Muller in JS, which matters because the
 * noise is the one per-pixel part that runs in JS.
 */
export function normals(n: number, seed: number, std = 1): Float32Array {
  const table = std === 1 ? getNormalTable() : getNormalTable().map((v) => v * std);
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = next() * 4294967296; // the generator's 32-bit integer, exactly
    out[i] = table[u & 0xffff];
    if (i + 1 < n) out[i + 1] = table[u >>> 16];
  }
  return out;
}
