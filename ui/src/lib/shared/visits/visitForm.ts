//! The visit form's own checks, in the rep's words: everything wrong is said at once, beside its
//! field, before anything is sent. The core checks again (and may refuse what only it can know).
import { showDate } from '$lib/shared/dates';
import { liveLabels, type FieldErrors, type Labels } from '$lib/shared/forms/errors';
import { m } from '$lib/i18n';
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

export const VISIT_LABELS: Labels = liveLabels({
  customer_id: () => m.att_customer(),
  visited_on: () => m.visit_date(),
  location: () => m.visit_location(),
  attendees: () => m.visit_attendees(),
  purpose: () => m.visit_purpose(),
  notes: () => m.visit_notes(),
  red_flags: () => m.form_visit_red_flags(),
  'follow_ups[].action': () => m.visit_follow_up_n({ n: '{n}' }),
  'follow_ups[].due_on': () => m.form_visit_due_on({ n: '{n}' }),
});

export const VISIT_KEYS = Object.keys(VISIT_LABELS);

function tooLong(label: string, text: string): string | null {
  const n = text.trim().length;
  return n > TEXT_LIMIT
    ? m.form_visit_too_long({ label, limit: formatCount(TEXT_LIMIT), length: formatCount(n) })
    : null;
}

export function validateVisit(v: VisitValues, today: string): FieldErrors {
  const e: FieldErrors = {};
  if (!v.customerId) e.customer_id = m.form_visit_choose_customer();
  if (v.visitedOnProblem) e.visited_on = v.visitedOnProblem;
  else if (!v.visitedOn) e.visited_on = m.form_visit_enter_date();
  else if (v.visitedOn > today) e.visited_on = m.form_visit_in_future();
  for (const [key, label, text] of [
    ['location', m.visit_location(), v.location],
    ['purpose', m.visit_purpose(), v.purpose],
    ['notes', m.visit_notes(), v.notes],
  ] as const) {
    const long = tooLong(label, text);
    if (long) e[key] = long;
  }
  v.followUps.forEach((f, i) => {
    if (!f.action.trim()) e[`follow_ups[${i}].action`] = m.form_visit_say_action();
    else if (f.action.trim().length > 500) e[`follow_ups[${i}].action`] = m.form_visit_action_too_long();
    if (f.problem) e[`follow_ups[${i}].due_on`] = f.problem;
    else if (!f.dueOn) e[`follow_ups[${i}].due_on`] = m.form_visit_enter_due();
    else if (v.visitedOn && f.dueOn < v.visitedOn) e[`follow_ups[${i}].due_on`] = m.form_visit_due_before({ date: showDate(v.visitedOn) });
  });
  return e;
}
