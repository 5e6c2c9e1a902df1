//! The customer page's timeline and attestation list in people's words: who logged or reviewed
//! each entry (named by the core, `TimelineEntry.by`; the verb from the kind of entry),
//! counts in singular or plural (the core counts its own titles), dates as the app writes them, and an approved attestation past
//! its end shown as expired rather than approved.
import type { AttestationStatus } from '$lib/api/bindings/AttestationStatus';
import type { CustomerDetail } from '$lib/api/bindings/CustomerDetail';
import type { TimelineEntry } from '$lib/api/bindings/TimelineEntry';
import type { Tone } from '$lib/shared/ui/tone';
import { showDate } from '$lib/shared/dates';
import { humanize } from '$lib/shared/format';
import { count } from '$lib/shared/plural';

/** How an attestation's status reads on a day: approved ones past their end are "Expired". */
export function attestationLook(
  status: AttestationStatus,
  validUntil: string,
  on: string,
): { label: string; tone: Tone; key: AttestationStatus | 'expired' } {
  if (status === 'approved' && validUntil < on) return { label: 'Expired', tone: 'warn', key: 'expired' };
  const tone: Record<AttestationStatus, Tone> = {
    approved: 'ok',
    submitted: 'info',
    changes_requested: 'warn',
    rejected: 'danger',
  };
  return { label: humanize(status), tone: tone[status], key: status };
}

const DECISION_WORDS = { approve: 'approved', reject: 'rejected', request_changes: 'sent back for changes' } as const;

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
  // Who did it comes from the core (`t.by`, a name); the verb says what they did.
  const by = (verb: string) => (t.by ? `${verb} ${t.by}` : null);
  const fallback: TimelineLine = {
    title: dates(t.title),
    detail: t.detail ? dates(t.detail) : null,
    who: null,
  };
  switch (t.kind) {
    case 'visit': {
      const v = d.visits.find((x) => x.id === t.recordId);
      if (!v) return fallback;
      const where = v.location ? ` at ${v.location}` : '';
      const flags = v.redFlags.length ? `, ${count(v.redFlags.length, 'red flag')}` : '';
      return { title: `Visit${where}${flags}`, detail: v.notes, who: by('logged by') };
    }
    case 'attestation': {
      const r = d.attestations.find((x) => x.attestation.id === t.recordId);
      if (!r) return fallback;
      const a = r.attestation;
      const look = attestationLook(a.status, a.validUntil, d.on);
      return {
        title: `${humanize(a.kind)} signed by ${a.signatoryName} (${look.label.toLowerCase()})`,
        detail: `Valid until ${showDate(a.validUntil)}`,
        who: by('logged by'),
      };
    }
    case 'review': {
      for (const r of d.attestations) {
        const rev = r.reviews.find((x) => x.id === t.recordId);
        if (rev) {
          return {
            title: `${humanize(r.attestation.kind)} ${DECISION_WORDS[rev.decision]}`,
            detail: rev.reason,
            who: by('by'),
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
        ? { ...fallback, who: by('observed by') }
        : { ...fallback, who: by('resolved by') };
    }
    case 'follow_up': {
      const f = d.followUps.find((x) => x.id === t.recordId);
      if (!f) return fallback;
      const state = f.doneOn ? `done ${showDate(f.doneOn)}` : `due ${showDate(f.dueOn)}`;
      return {
        title: `Follow-up (${state}): ${f.action}`,
        detail: null,
        who: f.doneOn ? by('done by') : by('for'),
      };
    }
    case 'letter':
      return { ...fallback, who: by('sent by') };
    case 'acknowledgement':
      return { ...fallback, who: by('recorded by') };
    default:
      return fallback;
  }
}
