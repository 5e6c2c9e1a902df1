//! "Needs your action" in the order a rep should act: what is already late first (an overdue
//! acknowledgement, a lapsed attestation), then what blocks orders soon, then the not yet started.
//! States outside the rep's list follow in the core's precedence order; within one state the
//! core's order is kept (the sort is stable).
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import { STATE_ORDER } from '$lib/shared/customers/states';

export const URGENCY: CustomerState[] = ['overdue_ack', 'expired', 'needs_attestation', 'expiring', 'not_contacted'];

function rank(state: CustomerState): number {
  const i = URGENCY.indexOf(state);
  return i >= 0 ? i : URGENCY.length + STATE_ORDER.indexOf(state);
}

/** The entries, most urgent first (a new array). */
export function byUrgency<T extends { state: CustomerState }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => rank(a.state) - rank(b.state));
}
