//! The audit trail: the lines the core folds and filters (who, action, customer, days), read
//! backwards a page at a time; a folded run opened into its events; the chain verification;
//! one record's history; and the CSV export of what the filters select.
import { call } from '$lib/api/ipc';
import type { AuditEvent } from '$lib/api/bindings/AuditEvent';
import type { AuditFilter } from '$lib/api/bindings/AuditFilter';
import type { AuditRow } from '$lib/api/bindings/AuditRow';
import type { ChainReport } from '$lib/api/bindings/ChainReport';
import { exportAuditTrail } from './files';
import { Action, Resource } from './async.svelte';

/** Lines one "load older events" brings. */
export const AUDIT_PAGE = 100;

/** The filters as the screen holds them: '' is "any". */
export interface AuditFilterForm {
  actorId: string;
  action: string;
  customerId: string;
  from: string;
  to: string;
}

export function emptyFilter(): AuditFilterForm {
  return { actorId: '', action: '', customerId: '', from: '', to: '' };
}

/** The core's filter for what the screen holds. */
export function toFilter(f: AuditFilterForm): AuditFilter {
  return {
    actorId: f.actorId || null,
    action: f.action || null,
    customerId: f.customerId || null,
    from: f.from || null,
    to: f.to || null,
  };
}

export class AuditTrail {
  filter = $state<AuditFilterForm>(emptyFilter());
  /** The filter the shown lines were read with (an export writes exactly what is shown). */
  #applied: AuditFilter = toFilter(emptyFilter());

  /** Newest first; `load(false)` appends the page before the oldest line, `load(true)` starts over. */
  log: Resource<AuditRow[], [boolean?]> = new Resource(async (fresh = true): Promise<AuditRow[]> => {
    if (fresh) this.#applied = toFilter(this.filter);
    const shown = fresh ? [] : this.log.current;
    const last = shown[shown.length - 1];
    const page = await call('audit_rows', {
      filter: this.#applied,
      page: { before: last ? last.firstSeq : null, after: null, limit: AUDIT_PAGE, grouped: true },
    });
    this.more = page.length === AUDIT_PAGE;
    return [...shown, ...page];
  }, [] as AuditRow[]);
  /** Whether older lines remain. */
  more = $state(false);

  actions = new Resource(() => call('audit_actions'), [] as string[]);

  /** The events of folded runs the user opened, by the run's newest sequence number. */
  opened = $state.raw<Record<number, AuditRow[]>>({});
  openRun = new Action(async (row: AuditRow) => {
    const seq = row.event.seq;
    if (this.opened[seq]) {
      const { [seq]: _closed, ...rest } = this.opened;
      this.opened = rest;
      return;
    }
    const events = await call('audit_rows', {
      filter: this.#applied,
      page: { before: seq + 1, after: row.firstSeq - 1, limit: 1000, grouped: false },
    });
    this.opened = { ...this.opened, [seq]: events };
  });

  verify = new Action(() => call('verify_audit'));
  report = $state.raw<ChainReport | null>(null);

  history = $state.raw<{ title: string; events: AuditEvent[] } | null>(null);
  openHistory = new Action(async (ev: AuditEvent, title: string) => {
    const events = await call('record_history', { entity: ev.entity, id: ev.entityId });
    this.history = { title, events };
  });

  exporting = new Action(() => exportAuditTrail(this.#applied));
  exported = $state.raw<{ rows: number } | null>(null);

  /** Reads the first page for the filters as they are now. */
  apply() {
    this.opened = {};
    this.exported = null;
    return this.log.load(true);
  }

  /** Bumped by `clear`: controls that keep their own text (the customer picker) start over. */
  resets = $state(0);

  clear() {
    Object.assign(this.filter, emptyFilter());
    this.resets += 1;
    return this.apply();
  }

  async runVerify() {
    const r = await this.verify.run();
    if (r.ok) this.report = r.value;
  }

  async runExport() {
    this.exported = null;
    const r = await this.exporting.run();
    if (r.ok && r.value) this.exported = { rows: r.value.rows };
  }
}
