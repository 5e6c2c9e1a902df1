//! Why the audit chain or a record does not verify, in the app's language: the core sends a
//! `ChainProblem` (code and parameters) beside its English `reason`; the sentence is the
//! catalogue's `chain_<code>`. Findings without a code (from an older core) show the English.
import type { ChainProblem } from '$lib/api/bindings/ChainProblem';
import { m } from '$lib/i18n';
import { STATE_LOOK } from '$lib/shared/customers/states';
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import { formatDate } from '$lib/shared/format';

function stateLabel(state: string | undefined): string {
  return STATE_LOOK[state as CustomerState]?.label ?? state ?? '';
}

/** The finding's sentence: worded from `problem` when there is one, else the core's English. */
export function chainReason(finding: { reason: string; problem?: ChainProblem }): string {
  const problem = finding.problem;
  if (!problem) return finding.reason;
  const p = problem.params ?? {};
  switch (problem.code) {
    case 'missing_event':
      return m.chain_missing_event({ expected: p.expected ?? '', found: p.found ?? '' });
    case 'bad_link':
      return m.chain_bad_link();
    case 'altered':
      return m.chain_altered();
    case 'payload_altered':
      return m.chain_payload_altered();
    case 'unreadable':
      return m.chain_unreadable({ detail: p.detail ?? '' });
    case 'head_gone':
      return m.chain_head_gone({ seq: p.seq ?? '', head: p.head ?? '' });
    case 'head_rewritten':
      return m.chain_head_rewritten({ seq: p.seq ?? '', hash: p.hash ?? '', recorded: p.recorded ?? '' });
    case 'payload_lost':
      return m.chain_payload_lost({ seq: p.seq ?? '' });
    case 'no_event':
      return m.chain_no_event();
    case 'purged_but_present':
      return m.chain_purged_but_present({ seq: p.seq ?? '' });
    case 'row_gone':
      return m.chain_row_gone();
    case 'event_unreadable':
      return m.chain_event_unreadable();
    case 'differs':
      return p.field
        ? m.chain_differs({ field: p.field, row: p.row ?? '', events: p.events ?? '' })
        : m.chain_differs_row();
    case 'state_missing':
      return m.chain_state_missing({ state: stateLabel(p.state) });
    case 'state_differs':
      return m.chain_state_differs({
        stored: stateLabel(p.stored),
        expected: stateLabel(p.expected),
        date: formatDate(p.on),
      });
    case 'state_extra':
      return m.chain_state_extra();
    default:
      return unknownCode(problem.code, finding.reason);
  }
}

function unknownCode(_code: never, english: string): string {
  return english;
}
