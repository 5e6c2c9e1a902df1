import { describe, expect, it } from 'vitest';
import { daysBetween, formatAgo, formatDate, humanize, splitList, todayIso } from './format';

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
  it('says roughly how long ago a sync was', () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo('2026-12-05T11:59:30Z', now)).toBe('just now');
    expect(formatAgo('2026-12-05T11:48:00Z', now)).toBe('12 minutes ago');
    expect(formatAgo('2026-12-05T07:00:00Z', now)).toBe('5 hours ago');
    expect(formatAgo('2026-12-02T12:00:00Z', now)).toBe('3 days ago');
  });
});
