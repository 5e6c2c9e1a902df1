import { describe, expect, it } from 'vitest';
import type { Customer } from '$lib/api/bindings/Customer';
import { customerFormFrom, emptyCustomerForm, missingFields, toCustomerInput } from './customerForm';

const stored: Customer = {
  id: '0192',
  name: '深圳市华强电子有限公司',
  englishName: 'Shenzhen Huaqiang Electronics Co., Ltd.',
  country: 'CN',
  customerType: 'distributor',
  city: 'Shenzhen',
  address: null,
  website: null,
  ownerId: 'u1',
  externalId: 'ERP-1',
  hsCodes: ['854231'],
  status: 'active',
  statusReason: null,
  contacts: [{ name: 'Li Na', title: null, email: 'li@example.cn', phone: null }],
  archived: false,
  letterLanguage: 'zh-Hant',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 3,
  createdBy: null,
  updatedBy: null,
};

describe('customer form', () => {
  it('names every required field that is empty, as the core names it', () => {
    const v = emptyCustomerForm();
    expect(missingFields(v).map((p) => p.field)).toEqual(['name', 'country', 'customer_type']);
    v.name = '  ';
    v.country = 'CN';
    v.customerType = 'oem';
    expect(missingFields(v).map((p) => p.field)).toEqual(['name']);
  });

  it('asks for a contact name only when the contact row has something in it', () => {
    const v = { ...emptyCustomerForm(), name: 'Acme', country: 'DE', customerType: 'oem' as const };
    v.contacts = [
      { name: '', title: '', email: '', phone: '' },
      { name: '', title: '', email: 'x@acme.example', phone: '' },
    ];
    expect(missingFields(v)).toEqual([{ field: 'contacts[1].name', message: 'A contact needs a name.' }]);
  });

  it('round-trips a stored customer and sends trimmed text with empty fields as null', () => {
    const v = customerFormFrom(stored);
    v.city = '  Dongguan ';
    v.website = '   ';
    v.contacts.push({ name: '', title: '', email: '', phone: '' });
    const input = toCustomerInput(v);
    expect(input).toMatchObject({
      name: stored.name,
      englishName: stored.englishName,
      country: 'CN',
      customerType: 'distributor',
      city: 'Dongguan',
      website: null,
      ownerId: 'u1',
      externalId: 'ERP-1',
      hsCodes: ['854231'],
    });
    expect(input.contacts).toEqual([{ name: 'Li Na', title: null, email: 'li@example.cn', phone: null }]);
  });

  it('keeps the letter language, and "from the country" is sent as null', () => {
    const v = customerFormFrom(stored);
    expect(v.letterLanguage).toBe('zh-Hant');
    expect(toCustomerInput(v).letterLanguage).toBe('zh-Hant');
    v.letterLanguage = '';
    expect(toCustomerInput(v).letterLanguage).toBeNull();
    expect(emptyCustomerForm().letterLanguage).toBe('');
  });

  it('keeps customer-supplied text exactly as typed (no markup is interpreted here)', () => {
    const v = { ...emptyCustomerForm(), name: '<img src=x onerror=alert(1)>', country: 'CN', customerType: 'oem' as const };
    expect(toCustomerInput(v).name).toBe('<img src=x onerror=alert(1)>');
  });
});
