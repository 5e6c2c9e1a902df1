//! What the import dialog shows for the progress the core reports while it reads, checks and
//! writes a CSV file: a sentence and how full the bar is (null while the size is unknown).
import type { ImportProgress } from '$lib/api/bindings/ImportProgress';
import { counted, formatCount } from '$lib/shared/format';
import { m } from '$lib/i18n';

export interface ProgressView {
  label: string;
  /** 0..1, or null for an indeterminate bar. */
  fraction: number | null;
}

const n = formatCount;

export function importProgressView(p: ImportProgress | null, dryRun: boolean): ProgressView {
  if (!p || p.phase === 'reading') return { label: m.import_reading(), fraction: null };
  const of = (done: number) => (p.total === 0 ? 1 : Math.min(1, done / p.total));
  switch (p.phase) {
    case 'validating':
      return { label: m.import_checking({ done: n(p.validated), total: n(p.total) }), fraction: of(p.validated) };
    case 'writing':
      return { label: m.import_writing({ done: n(p.written), total: n(p.total) }), fraction: of(p.written) };
    case 'screening':
      return { label: m.import_screening(), fraction: 1 };
    case 'done':
      return { label: dryRun ? m.import_checked(counted(p.total)) : m.import_wrote(counted(p.written)), fraction: 1 };
  }
}
