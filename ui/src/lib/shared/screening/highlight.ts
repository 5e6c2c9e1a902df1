//! Which parts of a name matched. The core reports a hit's matched tokens in its normalised form
//! (folded case and diacritics, dots and apostrophes dropped, Han text as character pairs); this
//! folds each word of the displayed name the same way and marks the words (and Han characters)
//! whose folded form is one of those tokens. The result is plain segments, rendered as text.

export interface Segment {
  text: string;
  matched: boolean;
}

/** Characters written without spaces between words (Han ideographs, kana), as the core has it. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
/** Letters and digits, and the characters that join a word ("QAR'AWI", "L.L.C."). */
const WORD = /[\p{L}\p{N}'’‘`´ʼ.]/u;
const JOINERS = /['’‘`´ʼ.]/gu;
const LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
};

/** A word folded as the core folds it: compatibility forms, diacritics, case, joiners. */
export function fold(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłıþ]/g, (c) => LETTERS[c] ?? c)
    .replace(JOINERS, '');
}

type Unit = { kind: 'word' | 'han' | 'other'; text: string };

function units(text: string): Unit[] {
  const out: Unit[] = [];
  for (const ch of text) {
    const kind: Unit['kind'] = CJK.test(ch) ? 'han' : WORD.test(ch) ? 'word' : 'other';
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += ch;
    else out.push({ kind, text: ch });
  }
  return out;
}

function push(out: Segment[], text: string, matched: boolean) {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.matched === matched) last.text += text;
  else out.push({ text, matched });
}

/**
 * Splits `text` into matched and unmatched segments; `tokens` are the core's normalised tokens
 * for this side of the match. Joining characters at a word's edges ("Ltd.") stay unmarked.
 */
export function highlight(text: string, tokens: readonly string[]): Segment[] {
  const wanted = new Set(tokens.map((t) => t.toLowerCase()));
  const out: Segment[] = [];
  for (const unit of units(text)) {
    if (unit.kind === 'word') {
      const core = unit.text.replace(/^['’‘`´ʼ.]+|['’‘`´ʼ.]+$/gu, '');
      const start = unit.text.indexOf(core);
      const folded = fold(core);
      push(out, unit.text.slice(0, start), false);
      push(out, core, folded !== '' && wanted.has(folded));
      push(out, unit.text.slice(start + core.length), false);
    } else if (unit.kind === 'han') {
      const chars = [...unit.text];
      const marked = chars.map(() => false);
      if (chars.length === 1) marked[0] = wanted.has(chars[0] ?? '');
      for (let i = 0; i + 1 < chars.length; i++) {
        if (wanted.has(`${chars[i]}${chars[i + 1]}`)) marked[i] = marked[i + 1] = true;
      }
      chars.forEach((c, i) => push(out, c, marked[i] ?? false));
    } else {
      push(out, unit.text, false);
    }
  }
  return bridgeSpaces(out);
}

/** Blanks between two marked words join the mark, so a matched phrase reads as one. */
function bridgeSpaces(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  segments.forEach((s, i) => {
    const between = i > 0 && segments[i - 1]?.matched && segments[i + 1]?.matched;
    push(out, s.text, s.matched || (between === true && /^\s+$/.test(s.text)));
  });
  return out;
}

/** The customer's side and the list's side of a hit's matched token pairs. */
export function sides(pairs: readonly (readonly [string, string])[]): {
  customer: string[];
  list: string[];
} {
  return { customer: pairs.map((p) => p[0]), list: pairs.map((p) => p[1]) };
}
