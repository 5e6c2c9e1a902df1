//! The letters register: every letter, filtered and sorted by the core, fetched a page at a time
//! for the rows the virtual table shows (60,000 letters cost a few pages).
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { CampaignLetterStatus } from '$lib/api/bindings/CampaignLetterStatus';
import type { Channel } from '$lib/api/bindings/Channel';
import type { LetterQuery } from '$lib/api/bindings/LetterQuery';
import type { LetterRegisterRow } from '$lib/api/bindings/LetterRegisterRow';
import type { LetterSort } from '$lib/api/bindings/LetterSort';
import { exportLetters } from '$lib/state/files';

export const REGISTER_PAGE = 200;

export interface LetterFilters {
  campaignId: string;
  customerId: string;
  country: string;
  ownerId: string;
  channel: Channel | '';
  status: CampaignLetterStatus | '';
  from: string;
  to: string;
  sort: LetterSort;
  descending: boolean;
}

export function emptyLetterFilters(): LetterFilters {
  return {
    campaignId: '',
    customerId: '',
    country: '',
    ownerId: '',
    channel: '',
    status: '',
    from: '',
    to: '',
    sort: 'sent_on',
    descending: true,
  };
}

/** The core query for a page of the register under these filters. */
export function toLetterQuery(f: LetterFilters, page: number): LetterQuery {
  return {
    campaignId: f.campaignId || null,
    customerId: f.customerId || null,
    country: f.country || null,
    ownerId: f.ownerId || null,
    channel: f.channel || null,
    status: f.status || null,
    from: f.from || null,
    to: f.to || null,
    sort: f.sort,
    descending: f.descending,
    offset: page * REGISTER_PAGE,
    limit: REGISTER_PAGE,
    on: null,
  };
}

export class LetterTable {
  filters = $state<LetterFilters>(emptyLetterFilters());
  total = $state(0);
  loading = $state(false);
  error = $state<AppError | null>(null);
  pages = $state.raw<Record<number, LetterRegisterRow[]>>({});

  #generation = 0;
  #pending = new Set<number>();

  rowAt(index: number): LetterRegisterRow | undefined {
    return this.pages[Math.floor(index / REGISTER_PAGE)]?.[index % REGISTER_PAGE];
  }

  async reload() {
    this.#generation += 1;
    this.#pending.clear();
    this.pages = {};
    this.error = null;
    await this.#load(0);
  }

  sortBy(sort: LetterSort) {
    if (this.filters.sort === sort) this.filters.descending = !this.filters.descending;
    else {
      this.filters.sort = sort;
      this.filters.descending = false;
    }
    void this.reload();
  }

  ensureRange(start: number, end: number) {
    const first = Math.floor(Math.max(0, start) / REGISTER_PAGE);
    const last = Math.floor(Math.max(0, end) / REGISTER_PAGE);
    for (let p = first; p <= last; p++) {
      if (p * REGISTER_PAGE >= this.total) break;
      if (!this.pages[p] && !this.#pending.has(p)) void this.#load(p);
    }
  }

  /** Asks where to save and writes every letter the filters select as CSV; null if cancelled. */
  async exportCsv(): Promise<number | null> {
    return exportLetters(toLetterQuery(this.filters, 0));
  }

  async #load(page: number) {
    const generation = this.#generation;
    this.#pending.add(page);
    this.loading = true;
    try {
      const result = await call('letter_register', toLetterQuery(this.filters, page));
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
