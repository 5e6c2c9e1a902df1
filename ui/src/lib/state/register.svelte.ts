//! The letters register: every letter, filtered and sorted by the core, fetched a page at a time
//! for the rows the virtual table shows (`PagedTable`: 60,000 letters cost a few pages).
import { call } from '$lib/api/ipc';
import { PAGE_SIZE, PagedTable } from '$lib/state/paged.svelte';
import type { CampaignLetterStatus } from '$lib/api/bindings/CampaignLetterStatus';
import type { Channel } from '$lib/api/bindings/Channel';
import type { LetterQuery } from '$lib/api/bindings/LetterQuery';
import type { LetterRegisterRow } from '$lib/api/bindings/LetterRegisterRow';
import type { LetterSort } from '$lib/api/bindings/LetterSort';
import { exportLetters } from '$lib/state/files';

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
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
    on: null,
  };
}

/** The letters register, a page at a time. */
export class LetterTable extends PagedTable<LetterRegisterRow, LetterSort, LetterFilters> {
  constructor() {
    super(emptyLetterFilters(), (filters, page) => call('letter_register', toLetterQuery(filters, page)));
  }

  /** Asks where to save and writes every letter the filters select as CSV; null if cancelled. */
  async exportCsv(): Promise<number | null> {
    return exportLetters(toLetterQuery(this.filters, 0));
  }
}
