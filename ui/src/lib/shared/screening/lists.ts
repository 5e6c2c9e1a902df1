//! How the screening screens name things: list kinds (and the files each takes), hit statuses,
//! and a long job's progress. The rules (which files, who may decide) are the core's; this only
//! words them for people.
import type { HitStatus } from '$lib/api/bindings/HitStatus';
import type { ListKind } from '$lib/api/bindings/ListKind';
import type { ScreeningProgress } from '$lib/api/bindings/ScreeningProgress';
import type { ProgressView } from '$lib/shared/customers/importProgress';
import type { Tone } from '$lib/shared/ui/tone';
import { formatCount, counted } from '$lib/shared/format';
import { m } from '$lib/i18n';

export interface KindLook {
  label: string;
  /** What to pick in the file dialog. */
  files: string;
  extensions: string[];
  multiple: boolean;
}

export const LIST_KINDS: Record<ListKind, KindLook> = {
  sdn: {
    label: 'OFAC SDN',
    files: 'sdn.csv, with alt.csv and add.csv (select all three)',
    extensions: ['csv', 'CSV'],
    multiple: true,
  },
  csl: {
    label: 'Consolidated Screening List',
    files: 'the CSL file (consolidated.csv)',
    extensions: ['csv', 'CSV'],
    multiple: false,
  },
  dpl: {
    label: 'Denied Persons List',
    files: 'the BIS file (dpl.txt, tab-separated)',
    extensions: ['txt', 'TXT', 'tsv', 'csv'],
    multiple: false,
  },
};

/** Each hit status's words (getters: they follow the app's language) and tone. */
export const HIT_STATUS_LOOK: Record<HitStatus, { readonly label: string; tone: Tone }> = {
  open: {
    get label() {
      return m.enum_open();
    },
    tone: 'danger',
  },
  confirmed: {
    get label() {
      return m.enum_confirmed();
    },
    tone: 'danger',
  },
  dismissed: {
    get label() {
      return m.enum_dismissed();
    },
    tone: 'neutral',
  },
  cleared: {
    get label() {
      return m.enum_cleared();
    },
    tone: 'ok',
  },
};

const PHASE_TEXT: Record<ScreeningProgress['phase'], () => string> = {
  reading: () => m.screening_phase_reading(),
  indexing: () => m.screening_phase_indexing(),
  saving: () => m.screening_phase_saving(),
  screening: () => m.screening_phase_screening(),
};

/** `Reading the file: 4,500 rows`, `Screening customers: 2,000 of 20,000`. */
export function progressText(p: ScreeningProgress): string {
  const phase = PHASE_TEXT[p.phase]();
  if (p.phase === 'reading') return m.screening_progress_rows({ ...counted(p.done), phase });
  if (p.total === null) return m.screening_progress_open({ phase });
  return m.screening_progress_of({ phase, done: formatCount(p.done), total: formatCount(p.total) });
}

/** 0-1 when the job knows its total, else null (an indeterminate bar). */
export function progressFraction(p: ScreeningProgress): number | null {
  if (p.total === null || p.total === 0) return null;
  return Math.min(1, p.done / p.total);
}

/** A screening job's bar: its sentence and fill, or "starting" before the first report. */
export function screeningProgressView(p: ScreeningProgress | null): ProgressView {
  return p ? { label: progressText(p), fraction: progressFraction(p) } : { label: m.screening_starting(), fraction: null };
}

/** The file's name from a picked path (either separator). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
