//! Words for the audit trail: actions and record fields as a reader says them, in the app's
//! language (`audit_action_<noun>_<verb>` and `audit_entity_<noun>` in the catalogues).
import { m } from '$lib/i18n';

/** The catalogue's message for a key, when it has one. */
function named(key: string): string | undefined {
  const f = (m as unknown as Record<string, (() => string) | undefined>)[key];
  return typeof f === 'function' ? f() : undefined;
}

/** "letter.generate" → "Letter generated"; an action without words of its own reads "Red flag: resolve". */
export function actionLabel(action: string): string {
  const known = named(`audit_action_${action.replace(/\./g, '_')}`);
  if (known) return known;
  const [noun, ...verb] = action.split('.');
  const words = (s: string) => s.replace(/[_-]+/g, ' ').trim();
  const head = words(noun ?? '');
  const tail = words(verb.join(' '));
  const capital = head.charAt(0).toUpperCase() + head.slice(1);
  return tail ? `${capital}: ${tail}` : capital;
}

/** "signatoryName" → "Signatory name" / "签署人姓名", "hsCodes" → "HS codes". */
export function fieldLabel(field: string): string {
  const known = named(`audit_field_${field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`);
  if (known) return known;
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\bhs\b/g, 'HS')
    .replace(/\bid\b/g, 'ID')
    .replace(/\bsha256\b/g, 'SHA-256');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "red_flag" -> "Red flag" / "红旗": the kind of record an event concerns. */
export function entityLabel(entity: string): string {
  const known = named(`audit_entity_${entity}`);
  if (known) return known;
  const words = entity.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
