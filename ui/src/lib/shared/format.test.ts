import { describe, expect, it } from 'vitest';
import { daysBetween, formatDate, humanize, splitList, todayIso } from './format';

describe('format', () => {
  it('formats ISO dates for people', () => {
    expect(formatDate('2026-03-04')).toBe('4 Mar 2026');
    expect(formatDate(null)).toBe('');
  });
  it('counts days between ISO dates across month ends', () => {
    expect(daysBetween('2026-01-30', '2026-03-01')).toBe(30);
    expect(daysBetween('2026-03-01', '2026-01-30')).toBe(-30);
  });
  it('gives today as a local ISO date', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
  it('splits free-text lists on commas, spaces and new lines', () => {
    expect(splitList('8542.31, 854232\n8541 ;')).toEqual(['8542.31', '854232', '8541']);
  });
  it('humanizes enum values', () => {
    expect(humanize('contract_manufacturer')).toBe('Contract manufacturer');
    expect(humanize('oem')).toBe('OEM');
  });
});
