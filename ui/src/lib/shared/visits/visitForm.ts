//! The visit form's own checks, in the rep's words: everything wrong is said at once, beside its
//! field, before anything is sent. The core checks again (and may refuse what only it can know).
import { showDate } from '$lib/shared/dates';
import type { FieldErrors, Labels } from '$lib/shared/forms/errors';
import { formatCount } from '$lib/shared/format';

/** The core's limit on free text (`optional()` in the core). */
export const TEXT_LIMIT = 2000;

export interface VisitValues {
  customerId: string;
  visitedOn: string;
  /** Why the typed visit date is not a date, if it is not. */
  visitedOnProblem: string | null;
  location: string;
  purpose: string;
  notes: string;
  followUps: { action: string; dueOn: string; problem: string | null }[];
}

export const VISIT_LABELS: Labels = {
  customer_id: 'Customer',
  visited_on: 'Date',
  location: 'Location',
  attendees: 'Attendees',
  purpose: 'Purpose',
  notes: 'Notes',
  red_flags: 'Red flags',
  'follow_ups[].action': 'Follow-up {n}',
  'follow_ups[].due_on': 'Follow-up {n}: due on',
};

export const VISIT_KEYS = Object.keys(VISIT_LABELS);

function tooLong(label: string, text: string): string | null {
  const n = text.trim().length;
  return n > TEXT_LIMIT
    ? `${label} may be at most ${formatCount(TEXT_LIMIT)} characters; this is ${formatCount(n)}.`
    : null;
}

export function validateVisit(v: VisitValues, today: string): FieldErrors {
  const e: FieldErrors = {};
  if (!v.customerId) e.customer_id = 'Choose the customer you visited.';
  if (v.visitedOnProblem) e.visited_on = v.visitedOnProblem;
  else if (!v.visitedOn) e.visited_on = 'Enter the day of the visit.';
  else if (v.visitedOn > today) e.visited_on = 'The visit cannot be in the future.';
  for (const [key, label, text] of [
    ['location', 'Location', v.location],
    ['purpose', 'Purpose', v.purpose],
    ['notes', 'Notes', v.notes],
  ] as const) {
    const long = tooLong(label, text);
    if (long) e[key] = long;
  }
  v.followUps.forEach((f, i) => {
    if (!f.action.trim()) e[`follow_ups[${i}].action`] = 'Say what needs doing, or remove this follow-up.';
    else if (f.action.trim().length > 500) e[`follow_ups[${i}].action`] = 'Keep it to 500 characters.';
    if (f.problem) e[`follow_ups[${i}].due_on`] = f.problem;
    else if (!f.dueOn) e[`follow_ups[${i}].due_on`] = 'Enter when it is due.';
    else if (v.visitedOn && f.dueOn < v.visitedOn) e[`follow_ups[${i}].due_on`] = `Due before the visit (${showDate(v.visitedOn)}).`;
  });
  return e;
}
