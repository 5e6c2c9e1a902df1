//! The attestation form's own checks, in the user's words, all at once; and the destination list
//! as people type it ("China, Hong Kong"). The core checks everything again.
import type { AttestationKind } from '$lib/api/bindings/AttestationKind';
import type { EndUse } from '$lib/api/bindings/EndUse';
import { countryCode } from '$lib/shared/customers/countries';
import { isoOf, isoParts, showDate } from '$lib/shared/dates';
import { liveLabels, type FieldErrors, type Labels } from '$lib/shared/forms/errors';
import { m } from '$lib/i18n';

/** How long an attestation may be valid at most (the core's `MAX_VALIDITY_MONTHS`). */
export const MAX_VALIDITY_YEARS = 4;

export const ATTESTATION_LABELS: Labels = liveLabels({
  customer_id: () => m.att_customer(),
  kind: () => m.att_kind(),
  customer_role: () => m.att_customer_role(),
  signatory_name: () => m.att_signatory_name(),
  signatory_title: () => m.att_signatory_title(),
  signed_on: () => m.att_signed_on(),
  valid_until: () => m.att_valid_until(),
  end_use: () => m.att_end_use(),
  end_use_text: () => m.att_end_use_text(),
  destinations: () => m.att_destinations(),
  end_users: () => m.att_end_users(),
  'end_users[].name': () => m.form_end_user_name({ n: '{n}' }),
  'end_users[].country': () => m.form_end_user_country({ n: '{n}' }),
  scope: () => m.att_products(),
  clauses: () => m.review_clauses(),
  document: () => m.att_document(),
  supersedes: () => m.form_replaced_attestation(),
});

export const ATTESTATION_KEYS = Object.keys(ATTESTATION_LABELS);
export const ATTESTATION_ALIASES = { customer: 'customer_id', documents: 'document' };

/**
 * Destinations as typed: split on commas, semicolons and new lines (never on spaces, so "Hong
 * Kong" stays one), trimmed, each read as an ISO code, English name or common alias. What is not
 * recognised here is passed on as typed: the core knows more names and says if it is not one.
 */
export function parseDestinations(text: string): { sent: string[]; recognised: string[]; unknown: string[] } {
  const items = text
    .split(/[,;\n]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const sent: string[] = [];
  const recognised: string[] = [];
  const unknown: string[] = [];
  for (const item of items) {
    const code = countryCode(item);
    if (code) {
      if (!sent.includes(code)) sent.push(code);
      if (!recognised.includes(code)) recognised.push(code);
    } else {
      sent.push(item);
      unknown.push(item);
    }
  }
  return { sent, recognised, unknown };
}

/** The last day an attestation signed on `signedOn` may be valid until. */
export function latestValidUntil(signedOn: string): string {
  const [y, mo, d] = isoParts(signedOn);
  const last = new Date(Date.UTC(y + MAX_VALIDITY_YEARS, mo, 0)).getUTCDate();
  return isoOf(y + MAX_VALIDITY_YEARS, mo, Math.min(d, last));
}

export interface AttestationValues {
  customerId: string;
  kind: AttestationKind;
  signatoryName: string;
  signatoryTitle: string;
  signedOn: string;
  signedOnProblem: string | null;
  validUntil: string;
  validUntilProblem: string | null;
  endUse: EndUse;
  endUseText: string;
  endUsers: { name: string; country: string }[];
  destinations: string;
  allProducts: boolean;
  hsCodes: string[];
  partNumbers: string;
  noReexportRussiaBelarus: boolean;
}

export function validateAttestation(v: AttestationValues, today: string): FieldErrors {
  const e: FieldErrors = {};
  if (!v.customerId) e.customer_id = m.form_att_choose_customer();
  const name = v.signatoryName.trim();
  if (!name) e.signatory_name = m.form_att_enter_signatory();
  else if (name.length > 500) e.signatory_name = m.form_att_name_too_long();
  if (v.signatoryTitle.trim().length > 2000) e.signatory_title = m.form_att_title_too_long();
  if (v.signedOnProblem) e.signed_on = v.signedOnProblem;
  else if (!v.signedOn) e.signed_on = m.form_att_enter_signed_on();
  else if (v.signedOn > today) e.signed_on = m.form_att_signed_in_future();
  if (v.validUntilProblem) e.valid_until = v.validUntilProblem;
  else if (v.validUntil && v.signedOn) {
    if (v.validUntil < v.signedOn) e.valid_until = m.form_att_ends_before_signed({ date: showDate(v.signedOn) });
    else if (v.validUntil > latestValidUntil(v.signedOn)) {
      e.valid_until = m.form_att_too_long_valid({
        years: String(MAX_VALIDITY_YEARS),
        date: showDate(latestValidUntil(v.signedOn)),
      });
    }
  }
  if (v.endUse === 'other' && !v.endUseText.trim()) e.end_use_text = m.form_att_describe_other();
  v.endUsers.forEach((u, i) => {
    if (!u.name.trim() && !u.country.trim()) return; // an empty row is left out
    if (!u.name.trim()) e[`end_users[${i}].name`] = m.form_att_end_user_name();
    if (!u.country.trim()) e[`end_users[${i}].country`] = m.form_att_end_user_country();
  });
  if (parseDestinations(v.destinations).sent.length === 0) {
    e.destinations = m.form_att_destination();
  }
  if (!v.allProducts && v.hsCodes.length === 0 && !v.partNumbers.trim()) {
    e.scope = m.form_att_scope();
  }
  if (v.kind === 'no_russia_clause' && !v.noReexportRussiaBelarus) {
    e.clauses = m.form_att_no_russia();
  }
  return e;
}
