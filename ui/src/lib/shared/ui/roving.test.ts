import { describe, expect, it } from 'vitest';
import { rovingIndex } from './roving';

describe('rovingIndex', () => {
  it('moves to the next item with the down and right arrows, wrapping at the end', () => {
    expect(rovingIndex('ArrowDown', 0, 27)).toBe(1);
    expect(rovingIndex('ArrowRight', 26, 27)).toBe(0);
  });
  it('moves to the previous item with the up and left arrows, wrapping at the start', () => {
    expect(rovingIndex('ArrowUp', 5, 27)).toBe(4);
    expect(rovingIndex('ArrowLeft', 0, 27)).toBe(26);
  });
  it('jumps to the first and last item with Home and End', () => {
    expect(rovingIndex('Home', 9, 27)).toBe(0);
    expect(rovingIndex('End', 9, 27)).toBe(26);
  });
  it('leaves other keys (Space ticks, Tab leaves) to the browser', () => {
    expect(rovingIndex(' ', 3, 27)).toBeNull();
    expect(rovingIndex('Tab', 3, 27)).toBeNull();
  });
});
