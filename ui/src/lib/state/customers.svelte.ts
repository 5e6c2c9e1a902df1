//! The customer table: filters and sort are sent to the core, which answers one page at a time.
//! Pages are fetched for the rows the virtual list shows, so 20,000 customers cost a few pages.
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { CustomerRow } from '$lib/api/bindings/CustomerRow';
import type { CustomerSort } from '$lib/api/bindings/CustomerSort';
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import type { CustomerType } from '$lib/api/bindings/CustomerType';
import type { CustomerQuery } from '$lib/api/bindings/CustomerQuery';

export const PAGE_SIZE = 200;

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

export class CustomerTable {
  filters = $state<CustomerFilters>(emptyFilters());
  total = $state(0);
  loading = $state(false);
  error = $state<AppError | null>(null);
  /** Loaded pages by page number; replaced (not mutated) so readers re-render. */
  pages = $state.raw<Record<number, CustomerRow[]>>({});

  #generation = 0;
  #pending = new Set<number>();
  #debounce: ReturnType<typeof setTimeout> | undefined;

  rowAt(index: number): CustomerRow | undefined {
    return this.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  }

  /** Starts over from the first page (after a filter or sort change). */
  async reload() {
    this.#generation += 1;
    this.#pending.clear();
    this.pages = {};
    this.error = null;
    await this.#load(0);
  }

  /** Reloads after typing settles. */
  reloadSoon(ms = 200) {
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.reload(), ms);
  }

  sortBy(sort: CustomerSort) {
    if (this.filters.sort === sort) this.filters.descending = !this.filters.descending;
    else {
      this.filters.sort = sort;
      this.filters.descending = false;
    }
    void this.reload();
  }

  /** Makes sure the rows `start..=end` are loaded or loading. */
  ensureRange(start: number, end: number) {
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
    const last = Math.floor(Math.max(0, end) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      if (p * PAGE_SIZE >= this.total) break;
      if (!this.pages[p] && !this.#pending.has(p)) void this.#load(p);
    }
  }

  async #load(page: number) {
    const generation = this.#generation;
    this.#pending.add(page);
    this.loading = true;
    try {
      const result = await call('list_customers', toQuery(this.filters, page));
      if (generation !== this.#generation) return;
      this.total = result.total;
      this.pages = { ...this.pages, [page]: result.rows };
    } catch (e) {
      if (generation === this.#generation) this.error = AppError.from(e);
    } finally {
      this.#pending.delete(page);
      if (generation === this.#generation) this.loading = this.#pending.size > 0;
    }
  }
}
