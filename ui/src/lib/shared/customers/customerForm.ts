//! The customer form's values, shared by "add" and "edit": filled from a stored customer, checked
//! for what cannot be left empty before anything is sent, and turned into the core's
//! `CustomerInput`. Every other rule (country, website, HS codes, e-mail, unique external ID) is
//! the core's; its errors name the same fields this module does.
import type { Customer } from '$lib/api/bindings/Customer';
import type { CustomerInput } from '$lib/api/bindings/CustomerInput';
import type { CustomerType } from '$lib/api/bindings/CustomerType';
import type { LetterLanguage } from '$lib/api/bindings/LetterLanguage';
import { m } from '$lib/i18n';

export const CUSTOMER_TYPES: CustomerType[] = [
  'distributor',
  'oem',
  'contract_manufacturer',
  'broker',
  'end_user',
  'other',
];

export interface ContactValues {
  name: string;
  title: string;
  email: string;
  phone: string;
}

export interface CustomerFormValues {
  name: string;
  englishName: string;
  /** ISO alpha-2, or '' before one is picked. */
  country: string;
  customerType: CustomerType | '';
  city: string;
  address: string;
  website: string;
  ownerId: string;
  externalId: string;
  hsCodes: string[];
  contacts: ContactValues[];
  /** '' : the one the country gives. */
  letterLanguage: LetterLanguage | '';
}

/** A problem with one field, named as the core names it (`name`, `contacts[0].name`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export function emptyCustomerForm(ownerId = ''): CustomerFormValues {
  return {
    name: '',
    englishName: '',
    country: '',
    customerType: '',
    city: '',
    address: '',
    website: '',
    ownerId,
    externalId: '',
    hsCodes: [],
    contacts: [],
    letterLanguage: '',
  };
}

export function customerFormFrom(c: Customer): CustomerFormValues {
  return {
    name: c.name,
    englishName: c.englishName ?? '',
    country: c.country,
    customerType: c.customerType,
    city: c.city ?? '',
    address: c.address ?? '',
    website: c.website ?? '',
    ownerId: c.ownerId ?? '',
    externalId: c.externalId ?? '',
    hsCodes: [...c.hsCodes],
    contacts: c.contacts.map((p) => ({
      name: p.name,
      title: p.title ?? '',
      email: p.email ?? '',
      phone: p.phone ?? '',
    })),
    letterLanguage: c.letterLanguage ?? '',
  };
}

function blankContact(p: ContactValues): boolean {
  return !p.name.trim() && !p.title.trim() && !p.email.trim() && !p.phone.trim();
}

/** What must be filled in before saving, in the form's order; empty when nothing is missing. */
export function missingFields(v: CustomerFormValues): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!v.name.trim()) problems.push({ field: 'name', message: m.customer_form_missing_name() });
  if (!v.country) problems.push({ field: 'country', message: m.customer_form_missing_country() });
  if (!v.customerType) problems.push({ field: 'customer_type', message: m.customer_form_missing_type() });
  v.contacts.forEach((p, i) => {
    if (!blankContact(p) && !p.name.trim()) {
      problems.push({ field: `contacts[${i}].name`, message: m.customer_form_contact_needs_name() });
    }
  });
  return problems;
}

const text = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** The core's input: trimmed, empty text as null, blank contact rows dropped. */
export function toCustomerInput(v: CustomerFormValues): CustomerInput {
  return {
    name: v.name.trim(),
    englishName: text(v.englishName),
    country: v.country,
    customerType: v.customerType === '' ? null : v.customerType,
    city: text(v.city),
    address: text(v.address),
    website: text(v.website),
    ownerId: v.ownerId === '' ? null : v.ownerId,
    externalId: text(v.externalId),
    hsCodes: v.hsCodes,
    contacts: v.contacts
      .filter((p) => !blankContact(p))
      .map((p) => ({
        name: p.name.trim(),
        title: text(p.title),
        email: text(p.email),
        phone: text(p.phone),
      })),
    letterLanguage: v.letterLanguage === '' ? null : v.letterLanguage,
  };
}
