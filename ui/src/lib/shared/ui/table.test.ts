import { describe, expect, it } from 'vitest';
import { opensRow, windowIndexes, windowRange } from './table';

describe('virtual table window', () => {
  it('renders the rows in view plus the overscan below at the top of the list', () => {
    expect(windowRange(0, 440, 44, 20_000, 12)).toEqual({ first: 0, last: 9 + 12 });
  });

  it('renders the overscan on both sides when scrolled into the middle', () => {
    // Row 100 starts at 4,400 px; ten rows fit in 440 px.
    expect(windowRange(4_400, 440, 44, 20_000, 12)).toEqual({ first: 88, last: 121 });
  });

  it('counts a row cut by the bottom edge as in view', () => {
    expect(windowRange(0, 450, 44, 100, 0)).toEqual({ first: 0, last: 10 });
  });

  it('stops at the last row however far it is scrolled', () => {
    expect(windowRange(1_000_000, 440, 44, 50, 12)).toEqual({ first: 37, last: 49 });
  });

  it('renders nothing for an empty table', () => {
    expect(windowRange(0, 440, 44, 0, 12)).toEqual({ first: -1, last: -1 });
    expect(windowIndexes({ first: -1, last: -1 })).toEqual([]);
  });

  it('still renders the first rows before the viewport has been measured', () => {
    expect(windowRange(0, 0, 48, 5, 12)).toEqual({ first: 0, last: 4 });
  });

  it('lists the indexes of a window in order', () => {
    expect(windowIndexes({ first: 3, last: 6 })).toEqual([3, 4, 5, 6]);
  });
});

describe('clickable row keys', () => {
  const row = {};
  const inner = {};
  it('opens the row on Enter or Space pressed on the row', () => {
    expect(opensRow({ key: 'Enter', target: row as EventTarget, currentTarget: row as EventTarget })).toBe(true);
    expect(opensRow({ key: ' ', target: row as EventTarget, currentTarget: row as EventTarget })).toBe(true);
  });

  it('ignores other keys', () => {
    expect(opensRow({ key: 'a', target: row as EventTarget, currentTarget: row as EventTarget })).toBe(false);
    expect(opensRow({ key: 'Tab', target: row as EventTarget, currentTarget: row as EventTarget })).toBe(false);
  });

  it('leaves Enter on a button inside the row to that button', () => {
    expect(opensRow({ key: 'Enter', target: inner as EventTarget, currentTarget: row as EventTarget })).toBe(false);
  });
});
