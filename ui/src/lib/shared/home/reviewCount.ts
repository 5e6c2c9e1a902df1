//! The manager's review tile counts attestations; the state legend counts customers, each under
//! its most urgent state. The tile says how the two numbers meet, so they never seem to disagree.
import type { HomeSummary } from '$lib/api/bindings/HomeSummary';
import { count } from '$lib/shared/plural';
import { formatCount } from '$lib/shared/format';

type Counts = Pick<HomeSummary, 'reviewQueue' | 'reviewCustomers' | 'reviewCustomersElsewhere'>;

/** Why the tile's number and the legend's "Pending review" differ; null when they are the same. */
export function reviewCountNote(s: Counts): string | null {
  const pending = s.reviewCustomers - s.reviewCustomersElsewhere;
  if (s.reviewQueue === pending) return null;
  const parts = [`${count(s.reviewQueue, 'attestation')} from ${count(s.reviewCustomers, 'customer')}`];
  if (s.reviewCustomersElsewhere > 0) {
    parts.push(
      `${formatCount(s.reviewCustomersElsewhere)} of them ${s.reviewCustomersElsewhere === 1 ? 'counts' : 'count'} under a more urgent state, so “Pending review” shows ${formatCount(pending)}`,
    );
  }
  return parts.join('; ');
}
