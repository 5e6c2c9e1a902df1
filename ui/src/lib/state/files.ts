//! File flows that combine a native dialog with a core command.
import { pickSavePath } from '$lib/api/dialogs';
import { call } from '$lib/api/ipc';
import { todayIso } from '$lib/shared/format';

/** Asks where to save, exports every customer there; the count, or null if cancelled. */
export async function exportCustomers(): Promise<number | null> {
  const path = await pickSavePath('Export customers', `customers-${todayIso()}.csv`);
  if (!path) return null;
  return call('export_customers', { path });
}
