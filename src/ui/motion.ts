// Whether the viewer asked for less motion (the system's "reduce motion" setting): glides
// become jumps and scrolls are instant. Asked at each use, so changing the setting takes effect
// without a reload.

export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
