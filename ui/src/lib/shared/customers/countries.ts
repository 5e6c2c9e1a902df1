//! Countries for pickers: every ISO 3166-1 alpha-2 code (the set the core accepts) with its English
//! name, and the search a picker runs as the user types. The core still parses and checks the
//! code it receives; this only helps people find it.
import { countryName } from '$lib/shared/format';

export const COUNTRY_CODES: readonly string[] = [
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW',
  'AX', 'AZ', 'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN',
  'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD', 'CF', 'CG',
  'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ',
  'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI',
  'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL',
  'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM', 'HN', 'HR',
  'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM',
  'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA',
  'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME',
  'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU',
  'MV', 'MW', 'MX', 'MY', 'MZ', 'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP',
  'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR',
  'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD',
  'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV',
  'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO',
  'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE',
  'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW',
];

export interface CountryOption {
  code: string;
  name: string;
}

/** Common names people type that differ from the English display name. */
const ALIASES: Record<string, string[]> = {
  GB: ['uk', 'great britain', 'england'],
  US: ['usa', 'america', 'united states of america'],
  KR: ['korea', 'republic of korea'],
  KP: ['north korea', 'dprk'],
  RU: ['russian federation'],
  CN: ['prc', 'mainland china'],
  AE: ['uae', 'emirates'],
  NL: ['holland'],
  CZ: ['czech republic'],
  TR: ['turkey', 'turkiye'],
  VN: ['viet nam'],
  TW: ['chinese taipei'],
  HK: ['hong kong', 'hong kong sar'],
  MO: ['macau', 'macao'],
};

/** Lower case without accents, so "cote" finds "Côte d'Ivoire" and "turkiye" "Türkiye". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

let cached: CountryOption[] | null = null;

/** Every country, sorted by name. */
export function countryOptions(): CountryOption[] {
  cached ??= COUNTRY_CODES.map((code) => ({ code, name: countryName(code) })).sort((a, b) =>
    a.name.localeCompare(b.name, 'en'),
  );
  return cached;
}

/**
 * The countries matching what was typed, best first: the exact code, name or alias, then names
 * (or aliases) starting with the text, then names with a word starting with it, then names
 * containing it.
 * Empty text lists every country.
 */
export function filterCountries(query: string, options: CountryOption[] = countryOptions()): CountryOption[] {
  const q = fold(query);
  if (q === '') return options;
  const scored: { option: CountryOption; score: number }[] = [];
  for (const option of options) {
    const names = [fold(option.name), ...(ALIASES[option.code] ?? [])];
    let score = -1;
    if (option.code.toLowerCase() === q || names.includes(q)) score = 0;
    else if (names.some((n) => n.startsWith(q))) score = 1;
    else if (names.some((n) => n.split(/[\s\-,'()]+/).some((w) => w.startsWith(q)))) score = 2;
    else if (names.some((n) => n.includes(q))) score = 3;
    if (score >= 0) scored.push({ option, score });
  }
  return scored.sort((a, b) => a.score - b.score).map((s) => s.option);
}

/** "China (CN)" for a code; empty for none. */
export function countryLabel(code: string | null | undefined): string {
  return code ? `${countryName(code)} (${code})` : '';
}

/**
 * The code of a country typed in full: its ISO code, English name or a common alias, any case
 * ("cn", "China", "Hong Kong", "UK"). Null when the text names no country exactly.
 */
export function countryCode(text: string): string | null {
  const q = fold(text);
  if (q === '') return null;
  const hit = countryOptions().find(
    (o) => o.code.toLowerCase() === q || fold(o.name) === q || (ALIASES[o.code] ?? []).includes(q),
  );
  return hit?.code ?? null;
}
