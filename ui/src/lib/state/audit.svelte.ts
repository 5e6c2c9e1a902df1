//! The audit trail: the global log read backwards a page at a time, the chain verification, and
//! one record's history.
import { call } from '$lib/api/ipc';
import type { AuditEvent } from '$lib/api/bindings/AuditEvent';
import type { ChainReport } from '$lib/api/bindings/ChainReport';
import { Action, Resource } from './async.svelte';

/** Events one "load older events" brings. */
export const AUDIT_PAGE = 100;

export class AuditTrail {
  /** Newest first; each load appends the page before the oldest one shown. */
  log: Resource<AuditEvent[]> = new Resource(async (): Promise<AuditEvent[]> => {
    const last = this.log.current[this.log.current.length - 1];
    const page = await call('audit_log', { before: last ? last.seq : null, limit: AUDIT_PAGE });
    this.more = page.length === AUDIT_PAGE;
    return [...this.log.current, ...page];
  }, [] as AuditEvent[]);
  /** Whether older events remain. */
  more = $state(true);

  verify = new Action(() => call('verify_audit'));
  report = $state.raw<ChainReport | null>(null);

  history = $state.raw<{ title: string; events: AuditEvent[] } | null>(null);
  openHistory = new Action(async (ev: AuditEvent) => {
    const events = await call('record_history', { entity: ev.entity, id: ev.entityId });
    this.history = { title: `${ev.entity} ${ev.entityId}`, events };
  });

  async runVerify() {
    const r = await this.verify.run();
    if (r.ok) this.report = r.value;
  }
}
