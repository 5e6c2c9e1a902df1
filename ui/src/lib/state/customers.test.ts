import { describe, expect, it } from 'vitest';
import { emptyFilters, PAGE_SIZE, toQuery } from './customers.svelte';

describe('customer table query', () => {
  it('sends only the filters that are set, paged', () => {
    const f = { ...emptyFilters(), search: '  华强 ', country: 'CN' };
    const q = toQuery(f, 2);
    expect(q.search).toBe('华强');
    expect(q.countries).toEqual(['CN']);
    expect(q.states).toEqual([]);
    expect(q.ownerId).toBeNull();
    expect(q.offset).toBe(2 * PAGE_SIZE);
    expect(q.limit).toBe(PAGE_SIZE);
    expect(q.includeArchived).toBe(false);
  });

  it('filters by owner and state, and can include archived customers', () => {
    const f = { ...emptyFilters(), ownerId: 'u-1', state: 'on_hold' as const, includeArchived: true };
    const q = toQuery(f, 0);
    expect(q.ownerId).toBe('u-1');
    expect(q.states).toEqual(['on_hold']);
    expect(q.includeArchived).toBe(true);
  });
});
