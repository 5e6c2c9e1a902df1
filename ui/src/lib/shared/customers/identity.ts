//! Which customer, unmistakably. Names repeat (the demo has three customers called the same), so
//! wherever a customer is chosen or confirmed the app shows the name with the external id, city
//! and country: what a rep checks against the ERP or the business card in hand.
import type { Customer } from '$lib/api/bindings/Customer';
import type { CustomerRow } from '$lib/api/bindings/CustomerRow';
import { countryName } from '$lib/shared/format';

export interface CustomerIdentity {
  id: string;
  name: string;
  englishName: string | null;
  externalId: string | null;
  country: string;
  city: string | null;
}

export function identityOf(c: Customer | CustomerRow): CustomerIdentity {
  return {
    id: c.id,
    name: c.name,
    englishName: c.englishName,
    externalId: c.externalId,
    country: c.country,
    city: c.city,
  };
}

/** The name, with the English name when it differs (`深圳市华强电子有限公司 (Huaqiang)`). */
export function displayName(c: Pick<CustomerIdentity, 'name' | 'englishName'>): string {
  return c.englishName && c.englishName !== c.name ? `${c.name} (${c.englishName})` : c.name;
}

/** Where and which: `Shenzhen, China · ERP-1042`. */
export function whereAndWhich(c: Pick<CustomerIdentity, 'externalId' | 'country' | 'city'>): string {
  const place = [c.city, countryName(c.country)].filter(Boolean).join(', ');
  return c.externalId ? `${place} · ${c.externalId}` : place;
}

/** One line naming the customer for a sentence or an input: name, then place and id. */
export function identityLine(c: CustomerIdentity): string {
  return `${displayName(c)} — ${whereAndWhich(c)}`;
}
