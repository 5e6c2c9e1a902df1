//! A table of many records that the core filters, sorts and answers one page at a time (customers,
//! the letters register). Pages are fetched for the rows the virtual table shows, so 20,000 rows
//! cost a few pages. What must hold: a page answered after the filters changed is dropped (it
//! belongs to the old filters), and `loading` falls back only when the newest pages are in.
import { AppError } from '$lib/api/errors';

/** How many rows one call to the core returns. */
export const PAGE_SIZE = 200;

/** Filters that carry the sort: the column and its direction. */
export interface SortedFilters<S> {
  sort: S;
  descending: boolean;
}

/** One page of rows, and how many rows the filters select in all. */
export interface Page<R> {
  total: number;
  rows: R[];
}

export class PagedTable<R, S, F extends SortedFilters<S>> {
  filters = $state<F>() as F;
  total = $state(0);
  loading = $state(false);
  error = $state<AppError | null>(null);
  /** Loaded pages by page number; replaced (not mutated) so readers re-render. */
  pages = $state.raw<Record<number, R[]>>({});

  #fetch: (filters: F, page: number) => Promise<Page<R>>;
  #generation = 0;
  #pending = new Set<number>();
  #debounce: ReturnType<typeof setTimeout> | undefined;

  /** `fetch` asks the core for page `page` (of `PAGE_SIZE` rows) under the filters. */
  constructor(filters: F, fetch: (filters: F, page: number) => Promise<Page<R>>) {
    this.filters = filters;
    this.#fetch = fetch;
  }

  rowAt(index: number): R | undefined {
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

  /** Sorts by `sort`, or turns the direction round if it already sorts by it. */
  sortBy(sort: S) {
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
      const result = await this.#fetch(this.filters, page);
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
