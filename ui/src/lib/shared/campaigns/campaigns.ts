//! Campaign logic the screens share, kept free of Svelte so it is unit-tested: progress bars from
//! a summary, the look of each customer status, the per-customer list's filter, and the wizard's
//! form (checked here for what the user can fix before asking the core; the core checks again).
import type { CampaignInput } from '$lib/api/bindings/CampaignInput';
import type { CampaignLetterStatus } from '$lib/api/bindings/CampaignLetterStatus';
import type { CampaignRow } from '$lib/api/bindings/CampaignRow';
import type { CampaignSummary } from '$lib/api/bindings/CampaignSummary';
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import type { CustomerType } from '$lib/api/bindings/CustomerType';
import type { LetterSettings } from '$lib/api/bindings/LetterSettings';
import type { Tone } from '$lib/shared/ui/tone';
import { m } from '$lib/i18n';

/** `part` as a whole percentage of `whole` (0 when there is no whole), never above 100. */
export function percent(part: number, whole: number): number {
  if (!(whole > 0) || !(part > 0)) return 0;
  return Math.min(100, Math.floor((part / whole) * 100));
}

export interface ProgressBar {
  key: 'generated' | 'sent' | 'acknowledged' | 'overdue';
  label: string;
  value: number;
  /** What the bar is a share of. */
  of: number;
  pct: number;
  tone: Tone;
}

/**
 * The four bars of a campaign. Generated, sent and acknowledged are shares of the customers
 * written to; overdue is a share of those sent (nobody is overdue before being written to).
 */
export function progressBars(s: CampaignSummary): ProgressBar[] {
  const bar = (key: ProgressBar['key'], label: string, value: number, of: number, tone: Tone) => ({
    key,
    label,
    value,
    of,
    pct: percent(value, of),
    tone,
  });
  return [
    bar('generated', m.campaign_bar_generated(), s.customers, s.customers, 'neutral'),
    bar('sent', m.campaign_bar_sent(), s.sent, s.customers, 'info'),
    bar('acknowledged', m.campaign_bar_acknowledged(), s.acknowledged, s.customers, 'ok'),
    bar('overdue', m.campaign_bar_overdue(), s.overdue, s.sent, 'danger'),
  ];
}

/** Each status's words (getters: they follow the app's language) and tone. */
export const STATUS_LOOK: Record<CampaignLetterStatus, { readonly label: string; tone: Tone }> = {
  generated: {
    get label() {
      return m.campaign_status_generated();
    },
    tone: 'neutral',
  },
  sent: {
    get label() {
      return m.campaign_status_sent();
    },
    tone: 'info',
  },
  overdue: {
    get label() {
      return m.campaign_status_overdue();
    },
    tone: 'danger',
  },
  acknowledged: {
    get label() {
      return m.campaign_status_acknowledged();
    },
    tone: 'ok',
  },
};

export const STATUS_ORDER: CampaignLetterStatus[] = ['generated', 'sent', 'overdue', 'acknowledged'];

export interface RowFilter {
  status: CampaignLetterStatus | '';
  search: string;
}

/** Rows matching the status (if any) and the search text (name, English name, external id). */
export function filterRows(rows: CampaignRow[], f: RowFilter): CampaignRow[] {
  const q = f.search.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!f.status || r.status === f.status) &&
      (!q ||
        r.customerName.toLowerCase().includes(q) ||
        (r.customerEnglishName ?? '').toLowerCase().includes(q) ||
        (r.externalId ?? '').toLowerCase().includes(q)),
  );
}

/** How many rows have each status. */
export function countByStatus(rows: CampaignRow[]): Record<CampaignLetterStatus, number> {
  const out: Record<CampaignLetterStatus, number> = { generated: 0, sent: 0, overdue: 0, acknowledged: 0 };
  for (const r of rows) out[r.status] += 1;
  return out;
}

/** The chase list: overdue customers, and how many of them still need a follow-up generated (the core says which were chased). */
export function chaseList(rows: CampaignRow[]): { overdue: CampaignRow[]; unchased: number } {
  const overdue = rows.filter((r) => r.status === 'overdue');
  return { overdue, unchased: overdue.filter((r) => !r.chased).length };
}

export type TargetMode = 'filters' | 'list';

export interface WizardForm {
  name: string;
  templateId: string;
  ackDueDays: number | null;
  mode: TargetMode;
  countries: string[];
  customerTypes: CustomerType[];
  states: CustomerState[];
  ownerIds: string[];
  customerIds: string[];
}

export function emptyWizard(ackDueDays: number | null = 30): WizardForm {
  return {
    name: '',
    templateId: '',
    ackDueDays,
    mode: 'filters',
    countries: [],
    customerTypes: [],
    states: [],
    ownerIds: [],
    customerIds: [],
  };
}

/** What the core is asked for: only the chosen mode's part of the target is sent. */
export function toCampaignInput(f: WizardForm): CampaignInput {
  const list = f.mode === 'list';
  return {
    name: f.name.trim(),
    templateId: f.templateId || null,
    followUpTemplateId: null,
    ackDueDays: f.ackDueDays,
    target: {
      countries: list ? [] : f.countries,
      customerTypes: list ? [] : f.customerTypes,
      states: list ? [] : f.states,
      ownerIds: list ? [] : f.ownerIds,
      customerIds: list ? f.customerIds : [],
    },
  };
}

/** Errors by field name (the core's names, so its own errors land in the same places). */
export function validateWizard(f: WizardForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.name.trim()) errors.name = m.wizard_name_required();
  const days = f.ackDueDays;
  if (days === null || !Number.isInteger(days) || days < 1 || days > 365)
    errors.ack_due_days = m.wizard_days_range();
  if (f.mode === 'list' && f.customerIds.length === 0) errors.target = m.wizard_add_customer_required();
  return errors;
}

/** Adds or removes `value` from a list (checkbox groups). */
export function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** Inserts a merge field at the cursor of a template text. */
export function insertField(text: string, key: string, start: number, end: number = start): {
  text: string;
  cursor: number;
} {
  const token = `{{${key}}}`;
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { text: text.slice(0, s) + token + text.slice(e), cursor: s + token.length };
}

/** What a letterhead left as installed prints: the core's placeholder texts. */
const PLACEHOLDERS = ['Your Company Ltd.', 'Street and number', 'City, Country'];

/**
 * The placeholder texts a letterhead still holds, in the order they print: letters generated
 * from it would go out with them, so the wizard warns first.
 */
export function letterheadPlaceholders(l: Pick<LetterSettings, 'companyName' | 'companyAddress'>): string[] {
  const lines = [l.companyName, ...l.companyAddress].map((s) => s.trim());
  return PLACEHOLDERS.filter((p) => lines.includes(p)).concat(lines.some((s) => s !== '') ? [] : [m.wizard_empty_letterhead()]);
}
