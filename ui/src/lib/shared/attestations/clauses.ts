//! The clauses an attestation may affirm, worded as the signed document words them. A reviewer
//! must never read a clause that was not affirmed as if it were: each is shown as affirmed or as
//! "not affirmed", never in the same words with a different colour.
import type { Clauses } from '$lib/api/bindings/Clauses';

export const CLAUSE_TEXT: Record<keyof Clauses, string> = {
  noReexportRussiaBelarus: 'No export, re-export or transfer to Russia or Belarus',
  acknowledgesLicenceRequirement: 'Acknowledges that a licence is required for the listed items',
  flowsDownObligation: 'Flows the same obligation down to later buyers',
};

/** The clauses split into what was affirmed and what was not, in a fixed order. */
export function clauseLines(c: Clauses): { affirmed: string[]; notAffirmed: string[] } {
  const keys = Object.keys(CLAUSE_TEXT) as (keyof Clauses)[];
  return {
    affirmed: keys.filter((k) => c[k]).map((k) => CLAUSE_TEXT[k]),
    notAffirmed: keys.filter((k) => !c[k]).map((k) => CLAUSE_TEXT[k]),
  };
}
