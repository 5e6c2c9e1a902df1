import { describe, expect, it } from 'vitest';
import type { Reason } from '$lib/api/bindings/Reason';
import { i18n } from '$lib/i18n';
import { reasonText } from './reasons';

const reason = (code: Reason['code'], params: Record<string, string>, message = 'English from the core'): Reason => ({
  code,
  message,
  recordId: null,
  params,
});

describe('reasons from the core', () => {
  it('are worded from their code and parameters in the app’s language', () => {
    const r = reason('ack_overdue', { date: '2026-11-02', days: '1' });
    i18n.locale = 'en';
    expect(reasonText(r)).toBe('Acknowledgement was due on 2 Nov 2026 (1 day overdue)');
    i18n.locale = 'zh-Hans';
    expect(reasonText(r)).toBe('回执应于 2026年11月2日 前收到（已逾期 1 天）');
    i18n.locale = 'zh-Hant';
    expect(reasonText(reason('red_flag_open', { flag: 'TS-02', date: '2026-12-01' }))).toBe(
      '2026年12月1日 發現的紅旗警示 TS-02 尚未解決',
    );
    i18n.locale = 'en';
  });

  it('fall back to the core’s English without parameters (stored before they existed)', () => {
    expect(reasonText(reason('ack_overdue', {}, 'Acknowledgement was due on 2026-11-02'))).toBe(
      'Acknowledgement was due on 2026-11-02',
    );
  });
});
