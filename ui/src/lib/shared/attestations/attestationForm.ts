//! The attestation form's own checks, in the user's words, all at once; and the destination list
//! as people type it ("China, Hong Kong"). The core checks everything again.
import type { AttestationKind } from '$lib/api/bindings/AttestationKind';
import type { EndUse } from '$lib/api/bindings/EndUse';
import { countryCode } from '$lib/shared/customers/countries';
import { isoOf, isoParts, showDate } from '$lib/shared/dates';
import type { FieldErrors, Labels } from '$lib/shared/forms/errors';

/** How long an attestation may be valid at most (the core's `MAX_VALIDITY_MONTHS`). */
export const MAX_VALIDITY_YEARS = 4;

export const ATTESTATION_LABELS: Labels = {
  customer_id: 'Customer',
  kind: 'Kind',
  customer_role: 'Customer’s role',
  signatory_name: 'Signatory name',
  signatory_title: 'Signatory title',
  signed_on: 'Signed on',
  valid_until: 'Valid until',
  end_use: 'End use',
  end_use_text: 'End use details',
  destinations: 'Destination countries',
  end_users: 'End users',
  'end_users[].name': 'End user {n}: name',
  'end_users[].country': 'End user {n}: country',
  scope: 'Products covered',
  clauses: 'Clauses',
  document: 'Signed document',
  supersedes: 'Replaced attestation',
};

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
  const [y, m, d] = isoParts(signedOn);
  const last = new Date(Date.UTC(y + MAX_VALIDITY_YEARS, m, 0)).getUTCDate();
  return isoOf(y + MAX_VALIDITY_YEARS, m, Math.min(d, last));
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
  if (!v.customerId) e.customer_id = 'Choose the customer who signed.';
  const name = v.signatoryName.trim();
  if (!name) e.signatory_name = 'Enter who signed, as on the document.';
  else if (name.length > 500) e.signatory_name = 'Keep the name to 500 characters.';
  if (v.signatoryTitle.trim().length > 2000) e.signatory_title = 'Keep the title to 2,000 characters.';
  if (v.signedOnProblem) e.signed_on = v.signedOnProblem;
  else if (!v.signedOn) e.signed_on = 'Enter the day it was signed.';
  else if (v.signedOn > today) e.signed_on = 'The signing date cannot be in the future.';
  if (v.validUntilProblem) e.valid_until = v.validUntilProblem;
  else if (v.validUntil && v.signedOn) {
    if (v.validUntil < v.signedOn) e.valid_until = `Ends before it was signed (${showDate(v.signedOn)}).`;
    else if (v.validUntil > latestValidUntil(v.signedOn)) {
      e.valid_until = `At most ${MAX_VALIDITY_YEARS} years after signing: ${showDate(latestValidUntil(v.signedOn))} or earlier.`;
    }
  }
  if (v.endUse === 'other' && !v.endUseText.trim()) e.end_use_text = 'Describe the end use when it is “Other”.';
  v.endUsers.forEach((u, i) => {
    if (!u.name.trim() && !u.country.trim()) return; // an empty row is left out
    if (!u.name.trim()) e[`end_users[${i}].name`] = 'Enter the end user’s name.';
    if (!u.country.trim()) e[`end_users[${i}].country`] = 'Enter the end user’s country.';
  });
  if (parseDestinations(v.destinations).sent.length === 0) {
    e.destinations = 'Name at least one destination country.';
  }
  if (!v.allProducts && v.hsCodes.length === 0 && !v.partNumbers.trim()) {
    e.scope = 'Name HS codes or part numbers, or tick “All products”.';
  }
  if (v.kind === 'no_russia_clause' && !v.noReexportRussiaBelarus) {
    e.clauses = 'A no-Russia clause attestation must affirm no re-export to Russia or Belarus.';
  }
  return e;
}
