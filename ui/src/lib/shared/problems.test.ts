import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/api/errors';
import type { ProblemCode } from '$lib/api/bindings/ProblemCode';
import { i18n, LOCALES } from '$lib/i18n';
import { placeError } from '$lib/shared/forms/errors';
import { problemText, rowReason } from './problems';

// Every code the core can send (the generated union, spelled out so a new code fails here too).
const CODES: ProblemCode[] = [
  'required', 'too_long', 'hidden_character', 'implausible_date', 'date_in_future', 'before_start',
  'validity_too_long', 'out_of_range', 'not_one_of', 'unknown_country', 'not_country_code', 'hs_not_digits',
  'hs_scope_length', 'hs_product_length', 'not_email', 'not_web_address', 'email_taken', 'external_id_taken',
  'campaign_name_taken', 'unknown_user', 'unknown_customer', 'unknown_red_flag', 'reason_required',
  'end_use_text_required', 'destination_required', 'scope_required', 'no_russia_clause_required',
  'file_too_large', 'not_a_document', 'no_lists_imported', 'after_end', 'period_too_long', 'too_short',
  'control_characters', 'hs_code_required', 'customer_required', 'not_under_hold', 'file_unreadable', 'not_a_file',
  'file_exists', 'names_no_file', 'not_a_folder', 'folder_missing', 'is_a_folder', 'not_pdf_name', 'folder_not_empty',
  'nothing_to_render', 'no_customer_matches', 'not_reapplied_here', 'template_empty', 'unknown_merge_field',
  'empty_merge_field', 'unclosed_braces', 'unopened_braces', 'list_bad_csv', 'list_column_count', 'list_not_a_number',
  'list_unknown_entry', 'list_duplicate_entry', 'list_empty_name', 'list_missing_column', 'list_no_entries',
  'list_unrecognised_file', 'list_file_count',
];
const PARAMS = {
  value: 'XX', max: '500', codepoint: 'U+200B', date: '2026-11-02', first: '1990', last: '2100', start: 'visit',
  months: '48', limit: '2030-01-05', min: '1', allowed: 'a, b', digits: '5', customer: 'Acme', size_mb: '30.1',
  limit_mb: '25', file: 'scan.docx', years: '10', detail: 'No such file or directory (os error 2)',
  path: '/tmp/letters', only_unsent: 'true', name: 'customer_nmae', line: '3', column: '7',
  suggestion: 'customer_name', expected: '12', found: '3', entry: '36', kind: 'dpl',
};

describe('refused values from the core', () => {
  it('are worded in every language, every placeholder filled', () => {
    for (const locale of LOCALES) {
      i18n.locale = locale;
      for (const code of CODES) {
        const text = problemText({ code, params: PARAMS }, 'Name');
        expect(text, `${locale} ${code}`).not.toBe('');
        // Merge fields are named as a template writes them, {{customer.name}}.
        expect(text.replace(/\{\{[\w.]+\}\}/g, ''), `${locale} ${code}`).not.toMatch(/[{}]|undefined/);
      }
    }
    i18n.locale = 'en';
  });

  it('choose the sentence their parameters call for', () => {
    i18n.locale = 'en';
    const sent = problemText({ code: 'before_start', params: { date: '2026-11-02', start: 'sent' } }, 'Acknowledgement due');
    expect(sent).toBe('Acknowledgement due is before the letter was sent (2 Nov 2026).');
    expect(problemText({ code: 'nothing_to_render', params: { only_unsent: 'false' } })).toBe(
      'This campaign has no letters.',
    );
    expect(problemText({ code: 'nothing_to_render', params: { only_unsent: 'true' } })).toMatch(/^Every letter/);
    const at = { name: 'cusomer_name', line: '2', column: '9' };
    expect(problemText({ code: 'unknown_merge_field', params: at })).toBe(
      'Unknown merge field `{{cusomer_name}}` at line 2, column 9.',
    );
    i18n.locale = 'zh-Hans';
    expect(problemText({ code: 'unknown_merge_field', params: { ...at, suggestion: 'customer_name' } })).toBe(
      '第 2 行第 9 列的合并字段“{{cusomer_name}}”不存在；是否要用“{{customer_name}}”？',
    );
    expect(problemText({ code: 'too_short', params: { min: '12' } }, '口令')).toBe('口令至少须有 12 个字符。');
    i18n.locale = 'en';
  });

  it('name the field by the form’s label, in the app’s language', () => {
    const e = new AppError('invalid', 'signatory_name: is required', 'signatory_name', [], {
      code: 'required',
      params: {},
    });
    expect(placeError(e, ['signatory_name'], { signatory_name: 'Signatory name' })).toEqual({
      key: 'signatory_name',
      message: 'Signatory name is required.',
    });
    i18n.locale = 'zh-Hans';
    const due = new AppError('invalid', 'follow_ups[0].due_on: is before the visit', 'follow_ups[0].due_on', [], {
      code: 'before_start',
      params: { date: '2026-11-02', start: 'visit' },
    });
    expect(placeError(due, ['follow_ups[].due_on'], { 'follow_ups[].due_on': '跟进事项 {n}：到期日' }).message).toBe(
      '跟进事项 1：到期日早于拜访日期（2026年11月2日）。',
    );
    i18n.locale = 'en';
  });

  it('keep the core’s English beside the worded message, and fall back to it without a code', () => {
    i18n.locale = 'zh-Hant';
    const e = AppError.from({
      code: 'invalid',
      message: "country: 'XX' is not a known country",
      field: 'country',
      problem: { code: 'unknown_country', params: { value: 'XX' } },
    });
    expect(e.message).toBe('「XX」不是已知的國家或地區。');
    expect(e.english).toBe("country: 'XX' is not a known country");
    expect(AppError.from({ code: 'invalid', message: 'lists: unknown', field: 'lists' }).message).toBe('lists: unknown');
    expect(rowReason({ line: 3, field: 'country', reason: 'unknown' })).toBe('unknown');
    expect(rowReason({ line: 3, field: 'type', reason: 'is required', problem: { code: 'required', params: {} } })).toBe(
      '請填寫此欄位。',
    );
    i18n.locale = 'en';
  });
});
