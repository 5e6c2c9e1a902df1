//! File flows that combine a native dialog with a core command.
import { pickSave } from '$lib/api/dialogs';
import { call } from '$lib/api/ipc';
import { todayIso } from '$lib/shared/format';

/** Asks where to save, exports every customer there; the count, or null if cancelled. */
export async function exportCustomers(): Promise<number | null> {
  const file = await pickSave('export_customers', `customers-${todayIso()}.csv`);
  if (!file) return null;
  return call('export_customers', { file: file.token });
}
