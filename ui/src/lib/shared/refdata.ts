//! Reference data in the app's language: the red flags' texts and categories and the CHPL
//! headings' descriptions arrive from the core in English; the catalogue holds them as
//! `refdata_red_flag_<id>` (`TS-01` -> `refdata_red_flag_ts_01`: keys are lower snake case), `refdata_red_flag_category_<cat>`
//! and `refdata_chpl_<hs6>`. An id the catalogue has no key for (reference data updated after this
//! build) shows the core's English.
import { m } from '$lib/i18n';
import { humanize } from '$lib/shared/format';

type Messages = Record<string, (() => string) | undefined>;

function named(key: string): string | null {
  const f = (m as unknown as Messages)[key];
  return typeof f === 'function' ? f() : null;
}

const slug = (id: string) => id.replace(/-/g, '_').toLowerCase();

/** A red flag's text in the app's language (`TS-01`), else the core's English. */
export function redFlagText(id: string, english: string): string {
  return named(`refdata_red_flag_${slug(id)}`) ?? english;
}

/** A red-flag category's name in the app's language (`end-use`), else the code made readable. */
export function redFlagCategory(category: string): string {
  return named(`refdata_red_flag_category_${slug(category)}`) ?? humanize(slug(category));
}

/** A CHPL heading's description in the app's language (`854231`), else the core's English. */
export function chplDescription(hs6: string, english: string): string {
  return named(`refdata_chpl_${hs6}`) ?? english;
}
