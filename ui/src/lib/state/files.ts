//! File flows that combine a native dialog with a core command.
import { pickSave } from '$lib/api/dialogs';
import { call } from '$lib/api/ipc';
import { todayIso } from '$lib/shared/format';
import type { AuditExport } from '$lib/api/bindings/AuditExport';
import type { AuditFilter } from '$lib/api/bindings/AuditFilter';
import type { EvidencePackSummary } from '$lib/api/bindings/EvidencePackSummary';
import type { LetterQuery } from '$lib/api/bindings/LetterQuery';

/** Asks where to save, exports every customer there; the count, or null if cancelled. */
export async function exportCustomers(): Promise<number | null> {
  const file = await pickSave('export_customers', `customers-${todayIso()}.csv`);
  if (!file) return null;
  return call('export_customers', { file: file.token });
}

/**
 * Asks where to save, then the core writes the audit events `filter` selects there as CSV and
 * records the export; null if cancelled. The one place the export meets the file system.
 */
export async function exportAuditTrail(filter: AuditFilter): Promise<AuditExport | null> {
  const file = await pickSave('export_audit', `audit-trail-${todayIso()}.csv`);
  if (!file) return null;
  return call('export_audit_csv', { filter, file: file.token });
}

/** Asks where to save, then writes every letter `query` selects (its page ignored) as CSV. */
export async function exportLetters(query: LetterQuery): Promise<number | null> {
  const file = await pickSave('export_letters', `letters-${todayIso()}.csv`);
  if (!file) return null;
  return call('export_letters', { file: file.token, query });
}

/** Asks where to save, then makes the customers' evidence pack (ZIP) there; null if cancelled. */
export async function saveEvidencePack(
  customers: string[],
  suggestedName: string,
): Promise<EvidencePackSummary | null> {
  const file = await pickSave('evidence_pack', suggestedName);
  if (!file) return null;
  return call('evidence_pack', { file: file.token, customers });
}
