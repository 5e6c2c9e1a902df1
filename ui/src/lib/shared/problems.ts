//! A refused value from the core in the app's language: the core sends a problem code and its
//! parameters (`Problem`, beside the English message the CLI prints); the sentence is the
//! catalogue's `problem_<code>`. The switch is exhaustive over the generated `ProblemCode`, so a
//! code added in Rust without wording here fails the type check.
import type { Problem } from '$lib/api/bindings/Problem';
import type { RowError } from '$lib/api/bindings/RowError';
import { m } from '$lib/i18n';
import { formatDate } from '$lib/shared/format';

/**
 * The sentence for `problem`; `field` is what the user calls the field it is about (a form's
 * label), for the sentences that name it.
 */
export function problemText(problem: Problem, field = ''): string {
  const p = problem.params ?? {};
  const value = p.value ?? '';
  field = field || m.problem_this_field();
  switch (problem.code) {
    case 'required':
      return m.problem_required({ field });
    case 'too_long':
      return m.problem_too_long({ field, max: p.max ?? '' });
    case 'hidden_character':
      return m.problem_hidden_character({ field, codepoint: p.codepoint ?? '' });
    case 'implausible_date':
      return m.problem_implausible_date({ date: p.date ?? '', first: p.first ?? '', last: p.last ?? '' });
    case 'date_in_future':
      return m.problem_date_in_future({ field, date: formatDate(p.date) });
    case 'before_start': {
      const date = formatDate(p.date);
      switch (p.start) {
        case 'visit':
          return m.problem_before_visit({ field, date });
        case 'signing':
          return m.problem_before_signing({ field, date });
        case 'observed':
          return m.problem_before_observed({ field, date });
        case 'sent':
          return m.problem_before_sent({ field, date });
        default:
          return m.problem_before_from({ field, date });
      }
    }
    case 'validity_too_long':
      return m.problem_validity_too_long({ field, months: p.months ?? '', limit: formatDate(p.limit) });
    case 'out_of_range':
      return m.problem_out_of_range({ field, min: p.min ?? '', max: p.max ?? '' });
    case 'not_one_of':
      return m.problem_not_one_of({ value, allowed: p.allowed ?? '' });
    case 'unknown_country':
      return m.problem_unknown_country({ value });
    case 'not_country_code':
      return m.problem_not_country_code({ value });
    case 'hs_not_digits':
      return m.problem_hs_not_digits({ value });
    case 'hs_scope_length':
      return m.problem_hs_scope_length({ value, digits: p.digits ?? '' });
    case 'hs_product_length':
      return m.problem_hs_product_length({ value, digits: p.digits ?? '' });
    case 'not_email':
      return m.problem_not_email({ value });
    case 'not_web_address':
      return m.problem_not_web_address({ value });
    case 'email_taken':
      return m.problem_email_taken({ value });
    case 'external_id_taken':
      return m.problem_external_id_taken({ value, customer: p.customer ?? '' });
    case 'campaign_name_taken':
      return m.problem_campaign_name_taken({ value });
    case 'unknown_user':
      return m.problem_unknown_user({ value });
    case 'unknown_customer':
      return m.problem_unknown_customer({ value });
    case 'unknown_red_flag':
      return m.problem_unknown_red_flag({ value });
    case 'reason_required':
      return m.problem_reason_required();
    case 'end_use_text_required':
      return m.problem_end_use_text_required();
    case 'destination_required':
      return m.problem_destination_required();
    case 'scope_required':
      return m.problem_scope_required();
    case 'no_russia_clause_required':
      return m.problem_no_russia_clause_required();
    case 'file_too_large':
      return m.problem_file_too_large({ size: p.size_mb ?? '', limit: p.limit_mb ?? '' });
    case 'not_a_document':
      return m.problem_not_a_document({ file: p.file ?? '' });
    case 'no_lists_imported':
      return m.problem_no_lists_imported();
    case 'after_end':
      return m.problem_after_end({ field });
    case 'period_too_long':
      return m.problem_period_too_long({ years: p.years ?? '' });
    case 'too_short':
      return m.problem_too_short({ field, min: p.min ?? '' });
    case 'control_characters':
      return m.problem_control_characters({ field });
    case 'hs_code_required':
      return m.problem_hs_code_required();
    case 'customer_required':
      return m.problem_customer_required();
    case 'not_under_hold':
      return m.problem_not_under_hold({ customer: p.customer ?? '' });
    case 'file_unreadable':
      return m.problem_file_unreadable({ file: p.file ?? '', detail: p.detail ?? '' });
    case 'not_a_file':
      return m.problem_not_a_file({ file: p.file ?? '' });
    case 'file_exists':
      return m.problem_file_exists({ file: p.file ?? '' });
    case 'names_no_file':
      return m.problem_names_no_file({ path: p.path ?? '' });
    case 'not_a_folder':
      return m.problem_not_a_folder({ path: p.path ?? '' });
    case 'folder_missing':
      return m.problem_folder_missing({ path: p.path ?? '' });
    case 'is_a_folder':
      return m.problem_is_a_folder({ path: p.path ?? '' });
    case 'not_pdf_name':
      return m.problem_not_pdf_name({ path: p.path ?? '' });
    case 'folder_not_empty':
      return m.problem_folder_not_empty({ path: p.path ?? '' });
    case 'nothing_to_render':
      return p.only_unsent === 'true' ? m.problem_nothing_unsent_to_render() : m.problem_nothing_to_render();
    case 'no_customer_matches':
      return m.problem_no_customer_matches();
    case 'not_reapplied_here':
      return m.problem_not_reapplied_here();
    case 'template_empty':
      return m.problem_template_empty({ field });
    case 'unknown_merge_field': {
      // Fields are named as a template writes them: {{customer.name}}.
      const at = { name: `{{${p.name ?? ''}}}`, line: p.line ?? '', column: p.column ?? '' };
      return p.suggestion
        ? m.problem_unknown_merge_field_suggest({ ...at, suggestion: `{{${p.suggestion}}}` })
        : m.problem_unknown_merge_field(at);
    }
    case 'empty_merge_field':
      return m.problem_empty_merge_field({ line: p.line ?? '', column: p.column ?? '' });
    case 'unclosed_braces':
      return m.problem_unclosed_braces({ line: p.line ?? '', column: p.column ?? '' });
    case 'unopened_braces':
      return m.problem_unopened_braces({ line: p.line ?? '', column: p.column ?? '' });
    case 'list_bad_csv':
      return m.problem_list_bad_csv({ file: p.file ?? '', line: p.line ?? '', detail: p.detail ?? '' });
    case 'list_column_count':
      return m.problem_list_column_count({
        file: p.file ?? '',
        line: p.line ?? '',
        expected: p.expected ?? '',
        found: p.found ?? '',
      });
    case 'list_not_a_number':
      return m.problem_list_not_a_number({ file: p.file ?? '', line: p.line ?? '', column: p.column ?? '', value });
    case 'list_unknown_entry':
      return m.problem_list_unknown_entry({ file: p.file ?? '', line: p.line ?? '', entry: p.entry ?? '' });
    case 'list_duplicate_entry':
      return m.problem_list_duplicate_entry({ file: p.file ?? '', line: p.line ?? '', entry: p.entry ?? '' });
    case 'list_empty_name':
      return m.problem_list_empty_name({ file: p.file ?? '', line: p.line ?? '' });
    case 'list_missing_column':
      return m.problem_list_missing_column({ file: p.file ?? '', column: p.column ?? '' });
    case 'list_no_entries':
      return m.problem_list_no_entries({ file: p.file ?? '' });
    case 'list_unrecognised_file':
      return m.problem_list_unrecognised_file({ file: p.file ?? '' });
    case 'list_file_count':
      return p.kind === 'sdn'
        ? m.problem_list_file_count_sdn({ found: p.found ?? '' })
        : m.problem_list_file_count_one({ kind: (p.kind ?? '').toUpperCase(), found: p.found ?? '' });
    case 'enrollment_code_rejected':
      return m.problem_enrollment_code_rejected();
    case 'wrong_passphrase':
      return m.problem_wrong_passphrase();
    case 'no_passphrase_yet':
      return m.problem_no_passphrase_yet();
    case 'only_managers_review':
      return m.problem_only_managers_review();
    case 'four_eyes_logged':
      return m.problem_four_eyes_logged();
    case 'four_eyes_amended':
      return m.problem_four_eyes_amended();
    case 'not_submitted':
      return m.problem_not_submitted();
    default:
      return unknownCode(problem.code);
  }
}

function unknownCode(code: never): string {
  return String(code);
}

/** A bad import row's reason in the app's language (the core's English without a problem code). */
export function rowReason(row: RowError): string {
  return row.problem ? problemText(row.problem) : row.reason;
}
