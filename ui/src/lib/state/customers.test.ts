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
  });
});
