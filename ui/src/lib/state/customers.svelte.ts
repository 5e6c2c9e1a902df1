//! The customer table: filters and sort are sent to the core, which answers one page at a time
//! (`PagedTable`).
import { call } from '$lib/api/ipc';
import { PAGE_SIZE, PagedTable } from '$lib/state/paged.svelte';
import type { CustomerRow } from '$lib/api/bindings/CustomerRow';
import type { CustomerSort } from '$lib/api/bindings/CustomerSort';
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import type { CustomerType } from '$lib/api/bindings/CustomerType';
import type { CustomerQuery } from '$lib/api/bindings/CustomerQuery';

export { PAGE_SIZE };

export interface CustomerFilters {
  search: string;
  country: string;
  customerType: CustomerType | '';
  state: CustomerState | '';
  ownerId: string;
  includeArchived: boolean;
  sort: CustomerSort;
  descending: boolean;
}

export function emptyFilters(): CustomerFilters {
  return {
    search: '',
    country: '',
    customerType: '',
    state: '',
    ownerId: '',
    includeArchived: false,
    sort: 'name',
    descending: false,
  };
}

/** The core query for a page of the table under these filters. */
export function toQuery(f: CustomerFilters, page: number): CustomerQuery {
  return {
    search: f.search.trim() || null,
    countries: f.country ? [f.country] : [],
    customerTypes: f.customerType ? [f.customerType] : [],
    states: f.state ? [f.state] : [],
    ownerId: f.ownerId || null,
    includeArchived: f.includeArchived,
    sort: f.sort,
    descending: f.descending,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
    on: null,
  };
}

/** The customers table, a page at a time. */
export class CustomerTable extends PagedTable<CustomerRow, CustomerSort, CustomerFilters> {
  constructor() {
    super(emptyFilters(), (filters, page) => call('list_customers', toQuery(filters, page)));
  }
}
