import { describe, expect, it } from 'vitest';
import { importProgressView } from './importProgress';

describe('import progress', () => {
  it('is indeterminate until the file is read', () => {
    expect(importProgressView(null, true)).toEqual({ label: 'Reading the file…', fraction: null });
    expect(importProgressView({ phase: 'reading', total: 0, validated: 0, written: 0 }, true).fraction).toBeNull();
  });

  it('fills as rows are checked, then as they are written', () => {
    const checking = importProgressView({ phase: 'validating', total: 20_000, validated: 5_000, written: 0 }, false);
    expect(checking).toEqual({ label: 'Checking rows: 5,000 of 20,000', fraction: 0.25 });
    const writing = importProgressView({ phase: 'writing', total: 20_000, validated: 20_000, written: 15_000 }, false);
    expect(writing.label).toBe('Writing customers: 15,000 of 20,000');
    expect(writing.fraction).toBe(0.75);
  });

  it('is full when an empty file is checked', () => {
    expect(importProgressView({ phase: 'validating', total: 0, validated: 0, written: 0 }, true).fraction).toBe(1);
  });
});
