//! What the import dialog shows for the progress the core reports while it reads, checks and
//! writes a CSV file: a sentence and how full the bar is (null while the size is unknown).
import type { ImportProgress } from '$lib/api/bindings/ImportProgress';
import { formatCount } from '$lib/shared/format';

export interface ProgressView {
  label: string;
  /** 0..1, or null for an indeterminate bar. */
  fraction: number | null;
}

const n = formatCount;

export function importProgressView(p: ImportProgress | null, dryRun: boolean): ProgressView {
  if (!p || p.phase === 'reading') return { label: 'Reading the file…', fraction: null };
  const of = (done: number) => (p.total === 0 ? 1 : Math.min(1, done / p.total));
  switch (p.phase) {
    case 'validating':
      return { label: `Checking rows: ${n(p.validated)} of ${n(p.total)}`, fraction: of(p.validated) };
    case 'writing':
      return { label: `Writing customers: ${n(p.written)} of ${n(p.total)}`, fraction: of(p.written) };
    case 'screening':
      return { label: 'Screening the new names against the restricted-party lists…', fraction: 1 };
    case 'done':
      return { label: dryRun ? `Checked ${n(p.total)} rows` : `Wrote ${n(p.written)} rows`, fraction: 1 };
  }
}
