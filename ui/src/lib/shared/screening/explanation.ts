//! Why a screening hit matched, in the app's language: the core keeps the explanation as data
//! (`HitExplanation`: the names, how the customer's name was rewritten, the words that matched,
//! the country and address evidence) beside its English sentence; hits found before it kept the
//! data show the stored English.
import type { HitExplanation } from '$lib/api/bindings/HitExplanation';
import type { NameRewrite } from '$lib/api/bindings/NameRewrite';
import { i18n, m } from '$lib/i18n';
import { countryName, formatList } from '$lib/shared/format';

function rewriteText(r: NameRewrite): string {
  switch (r.code) {
    case 'transliterated':
      return m.hit_explain_rewrite_transliterated({ convention: r.convention });
    case 'pinyin':
      return m.hit_explain_rewrite_pinyin();
    case 'syllables_joined':
      return m.hit_explain_rewrite_syllables_joined();
    case 'list_syllables_joined':
      return m.hit_explain_rewrite_list_syllables_joined();
    case 'hong_kong_set_aside':
      return m.hit_explain_rewrite_hong_kong();
    default:
      return unknownRewrite(r);
  }
}

function unknownRewrite(r: never): string {
  return String((r as { code: string }).code);
}

/** The explanation's sentences, worded from the data when the hit has it, else the English. */
export function explainHit(hit: { explanation: string; explanationDetail?: HitExplanation }): string {
  const d = hit.explanationDetail;
  if (!d) return hit.explanation;
  const head = { customer: d.customerName, list: d.listName, score: String(d.nameScore) };
  const sentences = [d.alias ? m.hit_explain_matches_alias(head) : m.hit_explain_matches(head)];
  if (d.readAs) sentences.push(m.hit_explain_read_as({ name: d.readAs }));
  if (d.rewrites.length) sentences.push(m.hit_explain_rewrites({ rewrites: formatList(d.rewrites.map(rewriteText)) }));
  if (d.sameWords.length) sentences.push(m.hit_explain_same({ words: formatList(d.sameWords) }));
  if (d.nearWords.length) {
    sentences.push(m.hit_explain_near({ pairs: formatList(d.nearWords.map(([a, b]) => `${a} ≈ ${b}`)) }));
  }
  if (d.customerOnly.length) sentences.push(m.hit_explain_customer_only({ words: formatList(d.customerOnly) }));
  if (d.listOnly.length) sentences.push(m.hit_explain_list_only({ words: formatList(d.listOnly) }));
  if (d.country) {
    sentences.push(m.hit_explain_country({ country: countryName(d.country), points: String(d.countryBoost) }));
  }
  if (d.addressWords.length) {
    sentences.push(m.hit_explain_address({ words: formatList(d.addressWords), points: String(d.addressBoost) }));
  }
  // Chinese sentences end in a full-width stop and follow each other without a space.
  return sentences.join(i18n.locale.startsWith('zh') ? '' : ' ');
}
