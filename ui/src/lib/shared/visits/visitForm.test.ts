import { describe, expect, it } from 'vitest';
import { validateVisit, type VisitValues } from './visitForm';

const ok: VisitValues = {
  customerId: 'c1',
  visitedOn: '2026-12-04',
  visitedOnProblem: null,
  location: '',
  purpose: '',
  notes: '',
  followUps: [],
};

describe('validateVisit', () => {
  it('finds nothing wrong with a complete visit', () => {
    expect(validateVisit(ok, '2026-12-04')).toEqual({});
  });
  it('says everything that is wrong at once', () => {
    const e = validateVisit(
      { ...ok, customerId: '', visitedOn: '', followUps: [{ action: '', dueOn: '', problem: null }] },
      '2026-12-04',
    );
    expect(Object.keys(e)).toEqual(['customer_id', 'visited_on', 'follow_ups[0].action', 'follow_ups[0].due_on']);
  });
  it('refuses a visit in the future', () => {
    expect(validateVisit({ ...ok, visitedOn: '2026-12-05' }, '2026-12-04').visited_on).toMatch(/future/);
  });
  it('passes on why a typed date is not a date', () => {
    expect(validateVisit({ ...ok, visitedOn: '', visitedOnProblem: 'February 2026 has no day 31' }, '2026-12-04').visited_on).toBe(
      'February 2026 has no day 31',
    );
  });
  it('refuses a follow-up due before the visit, naming the visit date', () => {
    const e = validateVisit({ ...ok, followUps: [{ action: 'Call back', dueOn: '2026-12-01', problem: null }] }, '2026-12-04');
    expect(e['follow_ups[0].due_on']).toBe('Due before the visit (4 Dec 2026).');
  });
  it('says how long notes are against the limit', () => {
    expect(validateVisit({ ...ok, notes: 'x'.repeat(2001) }, '2026-12-04').notes).toBe(
      'Notes may be at most 2,000 characters; this is 2,001.',
    );
  });
});
