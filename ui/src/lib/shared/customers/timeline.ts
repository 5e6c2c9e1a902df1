//! The customer page's timeline and attestation list in people's words, in the app's language: who logged or reviewed
//! each entry (named by the core, `TimelineEntry.by`; the verb from the kind of entry),
//! counts in singular or plural (the core counts its own titles), dates as the app writes them, and an approved attestation past
//! its end shown as expired rather than approved.
import type { AttestationStatus } from '$lib/api/bindings/AttestationStatus';
import type { CustomerDetail } from '$lib/api/bindings/CustomerDetail';
import type { TimelineEntry } from '$lib/api/bindings/TimelineEntry';
import type { Tone } from '$lib/shared/ui/tone';
import { showDate } from '$lib/shared/dates';
import { humanize } from '$lib/shared/format';
import { counted } from '$lib/shared/format';
import { m } from '$lib/i18n';
import { redFlagText } from '$lib/shared/refdata';

/** How an attestation's status reads on a day: approved ones past their end are "Expired". */
export function attestationLook(
  status: AttestationStatus,
  validUntil: string,
  on: string,
): { label: string; tone: Tone; key: AttestationStatus | 'expired' } {
  if (status === 'approved' && validUntil < on) return { label: m.timeline_expired(), tone: 'warn', key: 'expired' };
  const tone: Record<AttestationStatus, Tone> = {
    approved: 'ok',
    submitted: 'info',
    changes_requested: 'warn',
    rejected: 'danger',
  };
  return { label: humanize(status), tone: tone[status], key: status };
}

const DECISION_WORDS = {
  approve: (kind: string) => m.timeline_review_approve({ kind }),
  reject: (kind: string) => m.timeline_review_reject({ kind }),
  request_changes: (kind: string) => m.timeline_review_request_changes({ kind }),
} as const;

/** ISO dates inside the core's text, as the app shows dates. */
function dates(text: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => showDate(iso) || iso);
}

export interface TimelineLine {
  title: string;
  detail: string | null;
  /** Who did it ("logged by Mia Manager"), when the records say. */
  who: string | null;
}

/** One timeline entry as the page shows it. */
export function timelineLine(t: TimelineEntry, d: CustomerDetail): TimelineLine {
  // Who did it comes from the core (`t.by`, a name); the words say what they did.
  const by = (words: (p: { name: string }) => string) => (t.by ? words({ name: t.by }) : null);
  const fallback: TimelineLine = {
    title: dates(t.title),
    detail: t.detail ? dates(t.detail) : null,
    who: null,
  };
  switch (t.kind) {
    case 'visit': {
      const v = d.visits.find((x) => x.id === t.recordId);
      if (!v) return fallback;
      const location = v.location;
      const flags = v.redFlags.length ? m.visit_count_red_flags(counted(v.redFlags.length)) : null;
      const title = location
        ? flags
          ? m.timeline_visit_at_flags({ location, flags })
          : m.timeline_visit_at({ location })
        : flags
          ? m.timeline_visit_flags({ flags })
          : m.timeline_visit();
      return { title, detail: v.notes, who: by(m.timeline_logged_by) };
    }
    case 'attestation': {
      const r = d.attestations.find((x) => x.attestation.id === t.recordId);
      if (!r) return fallback;
      const a = r.attestation;
      const look = attestationLook(a.status, a.validUntil, d.on);
      return {
        title: m.timeline_attestation({ kind: humanize(a.kind), signatory: a.signatoryName, status: look.label.toLowerCase() }),
        detail: m.timeline_valid_until({ date: showDate(a.validUntil) }),
        who: by(m.timeline_logged_by),
      };
    }
    case 'review': {
      for (const r of d.attestations) {
        const rev = r.reviews.find((x) => x.id === t.recordId);
        if (rev) {
          return {
            title: DECISION_WORDS[rev.decision](humanize(r.attestation.kind)),
            detail: rev.reason,
            who: by(m.timeline_reviewed_by),
          };
        }
      }
      return fallback;
    }
    case 'red_flag':
    case 'red_flag_resolved': {
      const f = d.redFlags.find((x) => x.id === t.recordId);
      if (!f) return fallback;
      return t.kind === 'red_flag'
        ? {
            title: m.timeline_red_flag_observed({ flag: f.flagId }),
            // The core's detail is the flag's English reference text.
            detail: t.detail ? redFlagText(f.flagId, t.detail) : null,
            who: by(m.timeline_observed_by),
          }
        : { ...fallback, title: m.timeline_red_flag_resolved({ flag: f.flagId }), who: by(m.timeline_resolved_by) };
    }
    case 'follow_up': {
      const f = d.followUps.find((x) => x.id === t.recordId);
      if (!f) return fallback;
      return {
        title: f.doneOn
          ? m.timeline_follow_up_done({ date: showDate(f.doneOn), action: f.action })
          : m.timeline_follow_up_due({ date: showDate(f.dueOn), action: f.action }),
        detail: null,
        who: f.doneOn ? by(m.timeline_done_by) : by(m.timeline_for),
      };
    }
    case 'letter': {
      const l = d.letters.find((x) => x.id === t.recordId);
      if (!l) return { ...fallback, who: by(m.timeline_sent_by) };
      return {
        title: l.channel
          ? m.timeline_letter_sent_by({ channel: humanize(l.channel).toLowerCase(), subject: l.subject })
          : m.timeline_letter_sent({ subject: l.subject }),
        detail: l.ackDue ? m.timeline_ack_due({ date: showDate(l.ackDue) }) : null,
        who: by(m.timeline_sent_by),
      };
    }
    case 'acknowledgement': {
      const l = d.letters.find((x) => x.id === t.recordId);
      if (!l) return { ...fallback, who: by(m.timeline_recorded_by) };
      return {
        title: l.ackBy ? m.timeline_acknowledged({ name: l.ackBy }) : m.timeline_acknowledged_customer(),
        detail: l.ackNote,
        who: by(m.timeline_recorded_by),
      };
    }
    default:
      return fallback;
  }
}
