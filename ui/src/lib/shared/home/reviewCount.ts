//! The manager's review tile counts attestations; the state legend counts customers, each under
//! its most urgent state. The tile says how the two numbers meet, so they never seem to disagree.
import type { HomeSummary } from '$lib/api/bindings/HomeSummary';
import { counted, formatCount } from '$lib/shared/format';
import { m } from '$lib/i18n';

type Counts = Pick<HomeSummary, 'reviewQueue' | 'reviewCustomers' | 'reviewCustomersElsewhere'>;

/** Why the tile's number and the legend's "Pending review" differ; null when they are the same. */
export function reviewCountNote(s: Counts): string | null {
  const pending = s.reviewCustomers - s.reviewCustomersElsewhere;
  if (s.reviewQueue === pending) return null;
  const parts = [
    m.home_review_note_counts({
      attestations: m.count_attestations(counted(s.reviewQueue)),
      customers: m.count_customers(counted(s.reviewCustomers)),
    }),
  ];
  if (s.reviewCustomersElsewhere > 0) {
    parts.push(
      m.home_review_note_elsewhere({ ...counted(s.reviewCustomersElsewhere), pending: formatCount(pending) }),
    );
  }
  return parts.join('; ');
}
