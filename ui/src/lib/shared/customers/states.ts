//! How a customer state looks: label, badge tone and a one-line meaning. The states and their
//! order come from the core (`CustomerState`); this file only names them for people.
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import type { Tone } from '$lib/shared/ui/tone';

export interface StateLook {
  label: string;
  tone: Tone;
  meaning: string;
  /** Chart colour. */
  color: string;
}

export const STATE_LOOK: Record<CustomerState, StateLook> = {
  blocked: { label: 'Blocked', tone: 'danger', meaning: 'Customer is blocked', color: '#8e1b14' },
  screening_hit: {
    label: 'Screening hit',
    tone: 'danger',
    meaning: 'A possible restricted-party match awaits review',
    color: '#6d2a8c',
  },
  on_hold: {
    label: 'On hold',
    tone: 'danger',
    meaning: 'Put on hold by compliance: orders are held',
    color: '#5b4a8a',
  },
  red_flag_open: {
    label: 'Red flag open',
    tone: 'danger',
    meaning: 'A red flag awaits resolution by compliance',
    color: '#d0453a',
  },
  expiring: {
    label: 'Expiring',
    tone: 'warn',
    meaning: 'Every valid attestation ends soon',
    color: '#e0a030',
  },
  covered: { label: 'Covered', tone: 'ok', meaning: 'A valid attestation covers it', color: '#2e7d4f' },
  pending_review: {
    label: 'Pending review',
    tone: 'info',
    meaning: 'An attestation waits for review',
    color: '#3f7fbf',
  },
  expired: { label: 'Expired', tone: 'warn', meaning: 'Attestations have lapsed', color: '#b26b00' },
  needs_attestation: {
    label: 'Needs attestation',
    tone: 'warn',
    meaning: 'Letter acknowledged, attestation missing',
    color: '#c98a1b',
  },
  overdue_ack: {
    label: 'Overdue ack',
    tone: 'danger',
    meaning: 'A letter acknowledgement is overdue',
    color: '#c2571a',
  },
  awaiting_ack: {
    label: 'Awaiting ack',
    tone: 'info',
    meaning: 'Letter sent, acknowledgement not yet due',
    color: '#7aa7d6',
  },
  not_contacted: {
    label: 'Not contacted',
    tone: 'neutral',
    meaning: 'No compliance letter sent yet',
    color: '#9aa6b2',
  },
};

/** States in the core's precedence order (first match wins). */
export const STATE_ORDER = Object.keys(STATE_LOOK) as CustomerState[];

/** States a sales rep must act on, for the rep's home screen. */
export const REP_ACTION_STATES: CustomerState[] = [
  'not_contacted',
  'overdue_ack',
  'needs_attestation',
  'expiring',
  'expired',
];
