// The embedding view by keyboard: with the canvas focused, the arrow keys (or [ and ]) walk the
// anchor through the batch's 2N rows, Home and End jump to the first and the last, and P to the
// anchor's positive; each move is announced, since the canvas itself says nothing.

import { partnerOf } from '../core/contrastMath';

/** The anchor row after `key`, or null when the key is not the view's. */
export function anchorAfterKey(key: string, anchor: number, rows: number): number | null {
  if (rows <= 0) return null;
  const wrap = (r: number) => ((r % rows) + rows) % rows;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case ']':
      return wrap(anchor + 1);
    case 'ArrowLeft':
    case 'ArrowUp':
    case '[':
      return wrap(anchor - 1);
    case 'Home':
      return 0;
    case 'End':
      return rows - 1;
    case 'p':
    case 'P':
      return partnerOf(anchor, rows / 2);
    default:
      return null;
  }
}

/** What a screen reader hears after a move: which row, which image, which class. */
export function anchorAnnouncement(row: number, n: number, labels: Int32Array, classNames: string[]): string {
  const label = labels[row];
  return `Anchor: row ${row + 1} of ${2 * n}, view ${row < n ? 1 : 2} of image ${(row % n) + 1}, ${classNames[label] ?? label}.`;
}
