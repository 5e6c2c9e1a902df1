import { describe, expect, it } from 'vitest';
import { baseName, LIST_KINDS, progressFraction, progressText, screeningProgressView } from './lists';

describe('screening progress', () => {
  it('counts rows while reading, with no total', () => {
    const p = { phase: 'reading', done: 4500, total: null } as const;
    expect(progressText(p)).toBe('Reading the file: 4,500 rows');
    expect(progressFraction(p)).toBeNull();
  });

  it('shows customers screened out of all of them', () => {
    const p = { phase: 'screening', done: 2000, total: 20000 } as const;
    expect(progressText(p)).toBe('Screening customers: 2,000 of 20,000');
    expect(progressFraction(p)).toBe(0.1);
    expect(progressFraction({ phase: 'screening', done: 0, total: 0 })).toBeNull();
  });

  it('names a phase without counts when the total is unknown', () => {
    expect(progressText({ phase: 'indexing', done: 0, total: null })).toBe('Indexing names…');
  });

  it('gives the bar its sentence and fill, and "starting" before the first report', () => {
    expect(screeningProgressView({ phase: 'screening', done: 2000, total: 20000 })).toEqual({
      label: 'Screening customers: 2,000 of 20,000',
      fraction: 0.1,
    });
    expect(screeningProgressView(null)).toEqual({ label: 'Starting…', fraction: null });
  });
});

describe('list kinds', () => {
  it('asks for the three SDN files together and one file otherwise', () => {
    expect(LIST_KINDS.sdn.multiple).toBe(true);
    expect(LIST_KINDS.csl.multiple).toBe(false);
    expect(LIST_KINDS.dpl.extensions).toContain('txt');
  });

  it('shows a picked path by its file name', () => {
    expect(baseName('/home/ann/lists/sdn.csv')).toBe('sdn.csv');
    expect(baseName('C:\\lists\\dpl.txt')).toBe('dpl.txt');
  });
});
