//! A reason from the core (why a customer is in its state, why an order is held) in the app's
//! language: the core sends a code and its parameters; the sentence is the catalogue's
//! `reason_<code>`. A reason without parameters (stored before they existed) or with a code this
//! UI does not know shows the core's English sentence.
import type { Reason } from '$lib/api/bindings/Reason';
import { m } from '$lib/i18n';
import { counted, countryName, formatDate } from '$lib/shared/format';

export function reasonText(r: Reason): string {
  const p = r.params ?? {};
  if (Object.keys(p).length === 0 && r.code !== 'not_contacted') return r.message;
  const date = formatDate(p.date);
  const days = Number(p.days ?? 0);
  switch (r.code) {
    case 'customer_blocked':
      return m.reason_customer_blocked({ why: p.why || m.reason_no_reason_recorded() });
    case 'customer_on_hold':
      return m.reason_customer_on_hold({ why: p.why || m.reason_no_reason_recorded() });
    case 'record_unreadable':
      return m.reason_record_unreadable({ entity: p.entity ?? '', id: p.id ?? '', reason: p.reason ?? '' });
    case 'screening_hit':
    case 'screening_hit_open':
      return m.reason_screening_hit({ score: p.score ?? '', entry: p.entry ?? '', list: p.list ?? '' });
    case 'red_flag_open':
      return m.reason_red_flag_open({ flag: p.flag ?? '', date });
    case 'attestation_valid':
    case 'attestation_expiring':
      return m.reason_attestation_valid({ ...counted(days), date });
    case 'attestation_submitted':
      return m.reason_attestation_submitted({ date });
    case 'attestation_expired':
      return p.superseded ? m.reason_attestation_superseded() : m.reason_attestation_expired({ date });
    case 'letter_acknowledged':
      return m.reason_letter_acknowledged({ date });
    case 'ack_overdue':
      return m.reason_ack_overdue({ ...counted(days), date });
    case 'awaiting_ack':
      return p.due
        ? m.reason_awaiting_ack_due({ date, due: formatDate(p.due) })
        : m.reason_awaiting_ack({ date });
    case 'not_contacted':
      return m.reason_not_contacted();
    case 'destination_embargoed':
      return m.reason_destination_embargoed({ country: `${countryName(p.country ?? '')} (${p.country ?? ''})` });
    case 'not_covered':
      return m.reason_not_covered({ hs: p.hs ?? '', tier: p.tier ?? '', country: p.country ?? '' });
    default:
      return r.message;
  }
}
