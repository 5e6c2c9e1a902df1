//! Form errors in the user's words. A form names each of its fields by the core's field path
//! (`signatory_name`, `follow_ups[0].due_on`), so an error the core sends lands beside the field
//! it is about; `labels` says what the user calls each field (`follow_ups[].due_on` is "Follow-up
//! {n}: due date", `{n}` counting from 1).
import type { AppError } from '$lib/api/errors';
import { showDate } from '$lib/shared/dates';
import { problemText } from '$lib/shared/problems';

export type Labels = Record<string, string>;
export type FieldErrors = Record<string, string>;

/** Labels that follow the app's language: reading one calls its message (`() => m.key()`). */
export function liveLabels(make: Record<string, () => string>): Labels {
  const out: Labels = {};
  for (const [key, get] of Object.entries(make)) Object.defineProperty(out, key, { get, enumerable: true });
  return out;
}

/** `follow_ups[2].due_on` -> `follow_ups[].due_on` (the pattern a label is given for). */
function pattern(key: string): string {
  return key.replace(/\[\d+\]/g, '[]');
}

/** The user's name for a field: its label, with a row's position filled in. */
export function fieldLabel(key: string, labels: Labels): string {
  const label = labels[key] ?? labels[pattern(key)];
  if (!label) return sentence(key.replace(/\[\d+\]/g, '').replace(/[._]/g, ' '));
  const index = /\[(\d+)\]/.exec(key);
  return index ? label.replace('{n}', String(Number(index[1]) + 1)) : label;
}

/**
 * The field an error belongs to in a form whose fields are `keys`: the field itself, or the
 * nearest field that contains it (`red_flags[3]` belongs to `red_flags`, `customer` to
 * `customer_id` through `aliases`).
 */
export function fieldKey(field: string, keys: readonly string[], aliases: Record<string, string> = {}): string | null {
  const named = aliases[field] ?? aliases[pattern(field)] ?? field;
  if (keys.includes(named) || keys.includes(pattern(named))) return named;
  // `end_users[0]` -> `end_users`; `scope.hs_codes` -> `scope`.
  const parent = named.replace(/(\[\d+\]|\.[a-z_]+)$/, '');
  return parent !== named ? fieldKey(parent, keys) : null;
}

function sentence(text: string): string {
  const t = text.trim();
  return t ? t.charAt(0).toUpperCase() + t.slice(1) : t;
}

/** Dates inside a core message, as the app shows them (`2027-01-01` -> `1 Jan 2027`). */
function readableDates(text: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => showDate(iso) || iso);
}

/**
 * A core message about `field` in the user's words: the internal name at its start is dropped
 * and, when the reason reads as a predicate ("is required"), the field's label opens it.
 */
export function userMessage(field: string, message: string, labels: Labels): string {
  const prefix = `${field}: `;
  const reason = readableDates(message.startsWith(prefix) ? message.slice(prefix.length) : message);
  const predicate = /^(is|are|may|must|has|have|cannot|can't|should|needs?)\b/.test(reason);
  const text = predicate ? `${fieldLabel(field, labels)} ${reason}` : sentence(reason);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Where a refused save's error goes: beside a field of this form, or above the buttons. */
export function placeError(
  error: AppError,
  keys: readonly string[],
  labels: Labels,
  aliases: Record<string, string> = {},
): { key: string | null; message: string } {
  if (!error.field) return { key: null, message: error.message };
  const key = fieldKey(error.field, keys, aliases);
  const message = error.problem
    ? problemText(error.problem, fieldLabel(error.field, labels))
    : userMessage(error.field, error.message, labels);
  return { key, message };
}
