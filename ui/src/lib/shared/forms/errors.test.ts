import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/api/errors';
import { fieldKey, fieldLabel, placeError, userMessage } from './errors';

const labels = {
  signatory_name: 'Signatory name',
  valid_until: 'Valid until',
  'follow_ups[].due_on': 'Follow-up {n}: due date',
  'follow_ups[].action': 'Follow-up {n}: what needs doing',
  customer_id: 'Customer',
};
const keys = ['customer_id', 'signatory_name', 'valid_until', 'follow_ups[].due_on', 'follow_ups[].action', 'red_flags', 'end_users'];

describe('fieldLabel', () => {
  it('names a row’s field by its position, counting from one', () => {
    expect(fieldLabel('follow_ups[0].due_on', labels)).toBe('Follow-up 1: due date');
    expect(fieldLabel('follow_ups[2].action', labels)).toBe('Follow-up 3: what needs doing');
  });
  it('falls back to the words of an unlabelled field name', () => {
    expect(fieldLabel('end_use_text', labels)).toBe('End use text');
  });
});

describe('fieldKey', () => {
  it('keeps a field the form has, with its row index', () => {
    expect(fieldKey('follow_ups[1].due_on', keys)).toBe('follow_ups[1].due_on');
    expect(fieldKey('signatory_name', keys)).toBe('signatory_name');
  });
  it('gives a field’s part to the field that holds it', () => {
    expect(fieldKey('red_flags[3]', keys)).toBe('red_flags');
    expect(fieldKey('end_users[0].owner', ['end_users'])).toBe('end_users');
  });
  it('follows aliases for names the core uses in several commands', () => {
    expect(fieldKey('customer', keys, { customer: 'customer_id' })).toBe('customer_id');
  });
  it('has no field for an error about something the form does not show', () => {
    expect(fieldKey('owner_id', keys)).toBeNull();
  });
});

describe('userMessage', () => {
  it('replaces the internal field name with the label', () => {
    expect(userMessage('signatory_name', 'signatory_name: is required', labels)).toBe('Signatory name is required.');
    expect(userMessage('follow_ups[0].due_on', 'follow_ups[0].due_on: is before the visit', labels)).toBe(
      'Follow-up 1: due date is before the visit.',
    );
  });
  it('keeps a reason that is already a sentence, capitalised', () => {
    expect(userMessage('destinations', "destinations: 'Hong' is not a known country", labels)).toBe(
      "'Hong' is not a known country.",
    );
  });
  it('shows dates in the app’s format', () => {
    expect(userMessage('valid_until', 'valid_until: may be at most 48 months after signing (2030-01-05)', labels)).toBe(
      'Valid until may be at most 48 months after signing (5 Jan 2030).',
    );
  });
});

describe('placeError', () => {
  it('puts a field error beside its field and a general one above the buttons', () => {
    expect(placeError(new AppError('invalid', 'signatory_name: is required', 'signatory_name'), keys, labels)).toEqual({
      key: 'signatory_name',
      message: 'Signatory name is required.',
    });
    expect(placeError(new AppError('forbidden', 'Not allowed.'), keys, labels)).toEqual({ key: null, message: 'Not allowed.' });
  });
});
