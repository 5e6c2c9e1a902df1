import { describe, expect, it } from 'vitest';
import { fold, highlight, sides } from './highlight';

const marked = (text: string, tokens: string[]) =>
  highlight(text, tokens)
    .filter((s) => s.matched)
    .map((s) => s.text);

describe('highlight', () => {
  it('marks the words whose folded form matched, and keeps the text whole', () => {
    const text = 'China National Precision Machinery Import/Export Corp.';
    const segments = highlight(text, ['china', 'national', 'precision', 'machinery']);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.matched).map((s) => s.text)).toEqual([
      'China National Precision Machinery',
    ]);
  });

  it('folds case, diacritics, full-width letters and joiners as the core does', () => {
    expect(fold('Nacionál')).toBe('nacional');
    expect(fold("QAR'AWI")).toBe('qarawi');
    expect(fold('Ｓｉｎｏ')).toBe('sino');
    expect(fold('Straße')).toBe('strasse');
    expect(marked('BANCO NACIONÁL DE CUBA', ['nacional', 'cuba'])).toEqual(['NACIONÁL', 'CUBA']);
  });

  it('leaves a trailing dot outside the mark', () => {
    expect(highlight('Drayworth Ltd.', ['drayworth'])).toEqual([
      { text: 'Drayworth', matched: true },
      { text: ' Ltd.', matched: false },
    ]);
  });

  it('marks Han characters that belong to a matched character pair', () => {
    expect(marked('深圳市华强电子有限公司', ['华强', '强电'])).toEqual(['华强电']);
  });

  it('marks nothing when no token matches, and handles empty text', () => {
    expect(highlight('Kowloon Parts Trading', ['nacional'])).toEqual([
      { text: 'Kowloon Parts Trading', matched: false },
    ]);
    expect(highlight('', ['x'])).toEqual([]);
  });

  it('keeps markup-like text as plain text segments', () => {
    const text = '<img src=x onerror=alert(1)>';
    expect(
      highlight(text, ['img'])
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });

  it('splits token pairs into the customer side and the list side', () => {
    expect(
      sides([
        ['nacionall', 'nacional'],
        ['cuba', 'cuba'],
      ]),
    ).toEqual({ customer: ['nacionall', 'cuba'], list: ['nacional', 'cuba'] });
  });
});
