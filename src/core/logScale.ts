// Log-scale sliders (temperature, learning rate): integer positions <-> values. Values are
// rounded to 3 significant digits so URLs stay readable; positions are far enough apart
// (~2.7% at 200 positions over 0.01..2) that rounding never sends a value back to the
// position it came from, so every arrow-key press moves the slider.

export const LOG_STEPS = 200;

export function toLogPosition(v: number, lo: number, hi: number, steps = LOG_STEPS): number {
  return Math.round((Math.log(v / lo) / Math.log(hi / lo)) * steps);
}

export function fromLogPosition(p: number, lo: number, hi: number, steps = LOG_STEPS): number {
  return Number((lo * Math.pow(hi / lo, p / steps)).toPrecision(3));
}
