//! The clauses an attestation may affirm, worded as the signed document words them. A reviewer
//! must never read a clause that was not affirmed as if it were: each is shown as affirmed or as
//! "not affirmed", never in the same words with a different colour.
import type { Clauses } from '$lib/api/bindings/Clauses';
import { m } from '$lib/i18n';

/** Each clause's words in the app's language (functions: they follow a change of language). */
export const CLAUSE_TEXT: Record<keyof Clauses, () => string> = {
  noReexportRussiaBelarus: () => m.clause_no_reexport_russia_belarus(),
  acknowledgesLicenceRequirement: () => m.clause_acknowledges_licence_requirement(),
  flowsDownObligation: () => m.clause_flows_down_obligation(),
};

/** The clauses split into what was affirmed and what was not, in a fixed order. */
export function clauseLines(c: Clauses): { affirmed: string[]; notAffirmed: string[] } {
  const keys = Object.keys(CLAUSE_TEXT) as (keyof Clauses)[];
  return {
    affirmed: keys.filter((k) => c[k]).map((k) => CLAUSE_TEXT[k]()),
    notAffirmed: keys.filter((k) => !c[k]).map((k) => CLAUSE_TEXT[k]()),
  };
}
