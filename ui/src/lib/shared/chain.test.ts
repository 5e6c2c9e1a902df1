import { describe, expect, it } from 'vitest';
import type { ChainProblemCode } from '$lib/api/bindings/ChainProblemCode';
import { i18n, LOCALES } from '$lib/i18n';
import { chainReason } from './chain';

// Every code the core can send (spelled out so a new code fails here too).
const CODES: ChainProblemCode[] = [
  'missing_event', 'bad_link', 'altered', 'payload_altered', 'unreadable', 'head_gone', 'head_rewritten',
  'payload_lost', 'no_event', 'purged_but_present', 'row_gone', 'event_unreadable', 'differs', 'state_missing',
  'state_differs', 'state_extra',
];
const PARAMS = {
  expected: '4', found: '5', detail: 'column 3 is null', seq: '7', head: '6', hash: 'ab12', recorded: 'cd34',
  field: 'name', row: '"Acme"', events: '"Acme Ltd"', state: 'covered', stored: 'covered', on: '2026-12-05',
};

describe('audit chain findings from the core', () => {
  it('are worded in every language, every placeholder filled', () => {
    for (const locale of LOCALES) {
      i18n.locale = locale;
      for (const code of CODES) {
        const text = chainReason({ reason: 'english', problem: { code, params: PARAMS } });
        expect(text, `${locale} ${code}`).not.toBe('');
        expect(text, `${locale} ${code}`).not.toBe('english');
        expect(text, `${locale} ${code}`).not.toMatch(/[{}]|undefined/);
      }
    }
    i18n.locale = 'en';
  });

  it('say in English what the CLI says, and show the stored English without a code', () => {
    i18n.locale = 'en';
    const english = 'expected event 4 next, found 5 (an event is missing)';
    expect(chainReason({ reason: english, problem: { code: 'missing_event', params: { expected: '4', found: '5' } } })).toBe(
      english,
    );
    i18n.locale = 'zh-Hans';
    expect(chainReason({ reason: english, problem: { code: 'missing_event', params: { expected: '4', found: '5' } } })).toBe(
      '下一个应为事件 4，实际为事件 5（缺少事件）',
    );
    expect(chainReason({ reason: 'its content does not match its hash' })).toBe('its content does not match its hash');
    i18n.locale = 'en';
  });
});
