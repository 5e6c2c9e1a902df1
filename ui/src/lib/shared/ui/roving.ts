//! Roving focus: a group of many controls (27 red-flag checkboxes) is one tab stop, and the arrow
//! keys move within it, as in a native radio group. This says where a key moves focus to.

/** The index a key moves focus to in a list of `count` items, or null when the key is not ours. */
export function rovingIndex(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
    case 'ArrowRight':
      return (current + 1) % count;
    case 'ArrowUp':
    case 'ArrowLeft':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
