import { describe, expect, it } from 'vitest';
import { addDays, monthGrid, parseDate, showDate } from './dates';

const iso = (text: string) => {
  const r = parseDate(text);
  return r.ok ? r.iso : `refused: ${r.message}`;
};

describe('parseDate', () => {
  it('reads the app’s own format back', () => {
    expect(iso('4 Dec 2026')).toBe('2026-12-04');
    expect(iso('04 december 2026')).toBe('2026-12-04');
    expect(iso('  4  DEC  2026 ')).toBe('2026-12-04');
    expect(iso('4-Dec-2026')).toBe('2026-12-04');
    expect(iso('4 Sept 2026')).toBe('2026-09-04');
  });
  it('accepts ISO dates typed in one go', () => {
    expect(iso('2026-12-04')).toBe('2026-12-04');
    expect(iso('2026-1-5')).toBe('2026-01-05');
  });
  it('accepts a month written before the day', () => {
    expect(iso('Dec 4, 2026')).toBe('2026-12-04');
  });
  it('reads numeric dates with dots day first', () => {
    expect(iso('4.12.2026')).toBe('2026-12-04');
  });
  it('treats empty text as no date', () => {
    expect(parseDate('   ')).toEqual({ ok: true, iso: null });
  });
  it('refuses days that do not exist instead of rolling over', () => {
    expect(iso('31 Feb 2026')).toMatch(/refused: February 2026 has no day 31/);
    expect(iso('2026-13-01')).toMatch(/refused: There is no month 13/);
    expect(iso('29 Feb 2028')).toBe('2028-02-29');
    expect(iso('29 Feb 2027')).toMatch(/refused/);
  });
  it('refuses years outside 1990 to 2100 and five-digit years', () => {
    expect(iso('4 Dec 1989')).toMatch(/between 1990 and 2100/);
    expect(iso('2101-01-01')).toMatch(/between 1990 and 2100/);
    expect(iso('20266-12-04')).toMatch(/between 1990 and 2100/);
    expect(iso('4 Dec 20266')).toMatch(/four digits/);
  });
  it('refuses slash dates whose order is ambiguous', () => {
    expect(iso('04/12/2026')).toMatch(/day or month first/);
  });
  it('refuses words that are not months', () => {
    expect(iso('4 Foo 2026')).toMatch(/“Foo” is not a month/);
    expect(iso('tomorrow')).toMatch(/not a date/);
  });
});

describe('showDate', () => {
  it('shows ISO dates in the app’s format and nothing for no date', () => {
    expect(showDate('2026-12-04')).toBe('4 Dec 2026');
    expect(showDate(null)).toBe('');
    expect(showDate('')).toBe('');
  });
});

describe('calendar helpers', () => {
  it('lays a month out Monday first', () => {
    // 1 Dec 2026 is a Tuesday: one blank before it.
    const grid = monthGrid(2026, 12);
    expect(grid[0]).toBeNull();
    expect(grid[1]).toBe(1);
    expect(grid.at(-1)).toBe(31);
  });
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
