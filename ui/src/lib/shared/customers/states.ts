//! How a customer state looks: label, badge tone and a one-line meaning (in the app's language). The states and their
//! order come from the core (`CustomerState`); this file only names them for people.
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import type { Tone } from '$lib/shared/ui/tone';
import { m } from '$lib/i18n';

export interface StateLook {
  label: string;
  tone: Tone;
  meaning: string;
  /** Chart colour. */
  color: string;
}

/** A state's look; its words come from the catalogue when read (so they follow the language). */
function look(state: CustomerState, tone: Tone, color: string): StateLook {
  const label = m[`state_${state}`];
  const meaning = m[`state_${state}_meaning`];
  return {
    get label() {
      return label();
    },
    get meaning() {
      return meaning();
    },
    tone,
    color,
  };
}

export const STATE_LOOK: Record<CustomerState, StateLook> = {
  blocked: look('blocked', 'danger', '#8e1b14'),
  screening_hit: look('screening_hit', 'danger', '#6d2a8c'),
  on_hold: look('on_hold', 'danger', '#5b4a8a'),
  red_flag_open: look('red_flag_open', 'danger', '#d0453a'),
  expiring: look('expiring', 'warn', '#e0a030'),
  covered: look('covered', 'ok', '#2e7d4f'),
  pending_review: look('pending_review', 'info', '#3f7fbf'),
  expired: look('expired', 'warn', '#b26b00'),
  needs_attestation: look('needs_attestation', 'warn', '#c98a1b'),
  overdue_ack: look('overdue_ack', 'danger', '#c2571a'),
  awaiting_ack: look('awaiting_ack', 'info', '#7aa7d6'),
  not_contacted: look('not_contacted', 'neutral', '#9aa6b2'),
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
