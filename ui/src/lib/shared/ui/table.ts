//! The logic of the shared tables, apart from their markup so it can be tested: which rows of a
//! virtual table are in the page, and which keys open a clickable row.

/** The rows `first..=last` to render (both -1 when there are none). */
export interface RowWindow {
  first: number;
  last: number;
}

/**
 * The rows a virtual table renders: those in the viewport plus `overscan` on each side, within
 * `0..count`. Rows have one fixed height, so this is arithmetic, not measurement.
 */
export function windowRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan: number,
): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { first: -1, last: -1 };
  const top = Math.max(0, scrollTop);
  const firstVisible = Math.min(count - 1, Math.floor(top / rowHeight));
  const lastVisible = Math.min(count - 1, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) - 1);
  return {
    first: Math.max(0, firstVisible - overscan),
    last: Math.min(count - 1, Math.max(firstVisible, lastVisible) + overscan),
  };
}

/** The indexes of a window, in order. */
export function windowIndexes({ first, last }: RowWindow): number[] {
  if (first < 0) return [];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Whether a key pressed on a clickable row opens it: Enter or Space on the row itself. Keys
 * pressed on a button or link inside the row belong to that control.
 */
export function opensRow(e: Pick<KeyboardEvent, 'key' | 'target' | 'currentTarget'>): boolean {
  return (e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget;
}

/** A column of a DataTable: its heading and the class its header cell takes (`num`). */
export interface Column {
  label: string;
  class?: string;
}
