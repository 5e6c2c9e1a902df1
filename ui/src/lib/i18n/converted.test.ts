//! The words the converted screens build in TypeScript follow the language: audit action and
//! field names, campaign and hit statuses, clause texts, timeline sentences and form checks.
import { afterEach, describe, expect, it } from 'vitest';
import { actionLabel, entityLabel, fieldLabel } from '$lib/shared/audit/labels';
import { clauseLines } from '$lib/shared/attestations/clauses';
import { STATUS_LOOK, validateWizard, emptyWizard } from '$lib/shared/campaigns/campaigns';
import { HIT_STATUS_LOOK, progressText } from '$lib/shared/screening/lists';
import { formatAgo, formatList } from '$lib/shared/format';
import { ATTESTATION_LABELS } from '$lib/shared/attestations/attestationForm';
import { fieldLabel as formFieldLabel } from '$lib/shared/forms/errors';
import { i18n } from './locale.svelte';

afterEach(() => {
  i18n.locale = 'en';
});

describe('converted screens', () => {
  it('name audit actions, records and fields in the language, falling back to readable English', () => {
    i18n.locale = 'zh-Hans';
    expect(actionLabel('letter.generate')).toBe('已生成合规函');
    expect(entityLabel('red_flag')).toBe('红旗');
    expect(fieldLabel('signatoryName')).toBe('签署人姓名');
    expect(actionLabel('export_list.write_out')).toBe('Export list: write out');
    i18n.locale = 'zh-Hant';
    expect(actionLabel('review.record')).toBe('已覆核最終用途聲明');
    expect(fieldLabel('hsCodes')).toBe('HS 編碼');
  });

  it('word statuses, clauses and progress in the language the user picked, at the time they are read', () => {
    i18n.locale = 'zh-Hant';
    expect(STATUS_LOOK.sent.label).toBe('等待回覆');
    expect(HIT_STATUS_LOOK.dismissed.label).toBe('已排除');
    expect(clauseLines({ noReexportRussiaBelarus: true, acknowledgesLicenceRequirement: false, flowsDownObligation: false }).affirmed).toEqual([
      '不向俄羅斯或白俄羅斯出口、再出口或轉讓',
    ]);
    expect(progressText({ phase: 'screening', done: 2000, total: 20000 })).toBe('正在篩查客戶：2,000 / 20,000');
    i18n.locale = 'en';
    expect(STATUS_LOOK.sent.label).toBe('Awaiting reply');
  });

  it('check forms and label fields in the language', () => {
    i18n.locale = 'zh-Hans';
    expect(validateWizard(emptyWizard())).toEqual({ name: '请为发函批次命名。' });
    expect(formFieldLabel('end_users[1].country', ATTESTATION_LABELS)).toBe('最终用户 2：国家/地区');
    expect(formatAgo('2026-12-05T07:00:00Z', Date.parse('2026-12-05T12:00:00Z'))).toBe('5 小时前');
    expect(formatList(['“A”', '“B”', '“C”'])).toBe('“A”、“B”和“C”');
    i18n.locale = 'en';
    expect(formatList(['“A”', '“B”'])).toBe('“A” and “B”');
  });
});
