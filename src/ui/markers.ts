// Marker shapes per class, for when colour alone cannot tell classes apart (a colour-blind
// viewer, a washed-out projector, a greyscale printout). Each shape is a unit outline, scaled to
// a point's radius, so the canvas and the legend's little SVGs draw exactly the same thing.

/** Vertices of each shape on the unit circle's scale; a circle has none (drawn as an arc). */
const star = (points: number, inner: number) =>
  Array.from({ length: 2 * points }, (_, i) => {
    const r = i % 2 ? inner : 1,
      a = (Math.PI * i) / points - Math.PI / 2;
    return [r * Math.cos(a), r * Math.sin(a)] as const;
  });
const polygon = (sides: number, turn = 0) =>
  Array.from({ length: sides }, (_, i) => {
    const a = (2 * Math.PI * i) / sides - Math.PI / 2 + turn;
    return [Math.cos(a), Math.sin(a)] as const;
  });
const cross = (w: number) =>
  [
    [-w, -1],
    [w, -1],
    [w, -w],
    [1, -w],
    [1, w],
    [w, w],
    [w, 1],
    [-w, 1],
    [-w, w],
    [-1, w],
    [-1, -w],
    [-w, -w],
  ] as const;
const turned = (pts: readonly (readonly [number, number])[], a: number) =>
  pts.map(([x, y]) => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)] as const);

/** Ten shapes, as distinct in outline as ten can be; beyond ten they repeat, like the colours. */
export const MARKERS: { name: string; points: readonly (readonly [number, number])[] | null }[] = [
  { name: 'circle', points: null },
  { name: 'square', points: polygon(4, Math.PI / 4).map(([x, y]) => [x * 0.9, y * 0.9] as const) },
  { name: 'triangle', points: polygon(3) },
  { name: 'diamond', points: polygon(4) },
  { name: 'plus', points: cross(0.34) },
  { name: 'cross', points: turned(cross(0.3), Math.PI / 4) },
  { name: 'star', points: star(5, 0.45) },
  { name: 'triangle down', points: polygon(3, Math.PI) },
  { name: 'hexagon', points: polygon(6) },
  { name: 'pentagon', points: polygon(5) },
];

export const markerOf = (k: number) => MARKERS[((k % MARKERS.length) + MARKERS.length) % MARKERS.length];

/** Traces marker `k` of radius `r` at (x, y) as the context's current path. */
export function traceMarker(ctx: CanvasRenderingContext2D, k: number, x: number, y: number, r: number): void {
  const m = markerOf(k);
  ctx.beginPath();
  if (!m.points) {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    return;
  }
  // Pointed shapes cover less area than a circle of the same radius: a little larger reads alike.
  const s = r * 1.25;
  m.points.forEach(([px, py], i) => (i ? ctx.lineTo(x + s * px, y + s * py) : ctx.moveTo(x + s * px, y + s * py)));
  ctx.closePath();
}

/** The same outline as an SVG path in a box of `size` pixels (for the legend). */
export function markerPath(k: number, size: number): string {
  const m = markerOf(k),
    c = size / 2,
    r = size / 2 - 1;
  if (!m.points) return `M${c - r},${c}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
  return (
    m.points.map(([px, py], i) => `${i ? 'L' : 'M'}${(c + r * px).toFixed(2)},${(c + r * py).toFixed(2)}`).join('') +
    'Z'
  );
}
