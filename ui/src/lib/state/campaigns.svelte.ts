//! Letter campaigns: the list with each campaign's counts, and one campaign's page (its rows, the
//! filter over them, and the actions that change them). Every action reloads the page from the
//! core afterwards, so counts and rows always come from one definition (the core's).
import { call, callWithProgress } from '$lib/api/ipc';
import { Resource } from '$lib/state/async.svelte';
import type { AckInput } from '$lib/api/bindings/AckInput';
import type { CampaignDetail } from '$lib/api/bindings/CampaignDetail';
import type { CampaignSummary } from '$lib/api/bindings/CampaignSummary';
import type { Channel } from '$lib/api/bindings/Channel';
import type { GenerateReport } from '$lib/api/bindings/GenerateReport';
import type { PickedFile } from '$lib/api/bindings/PickedFile';
import type { PdfProgress } from '$lib/api/bindings/PdfProgress';
import type { PdfReport } from '$lib/api/bindings/PdfReport';
import { type RowFilter, chaseList, countByStatus, filterRows } from '$lib/shared/campaigns/campaigns';

/** Every campaign with its counts. */
export function campaignList(): Resource<CampaignSummary[]> {
  return new Resource(() => call('list_campaigns'), []);
}

export class CampaignPage extends Resource<CampaignDetail | null> {
  readonly id: string;
  /** Milliseconds the last load took, from the call to the rows in hand. */
  loadMs = $state<number | null>(null);
  filter = $state<RowFilter>({ status: '', search: '' });

  rows = $derived(this.current ? filterRows(this.current.rows, this.filter) : []);
  counts = $derived(this.current ? countByStatus(this.current.rows) : null);
  chase = $derived(this.current ? chaseList(this.current.rows) : { overdue: [], unchased: 0 });

  constructor(id: string) {
    super(() => call('campaign_detail', id), null);
    this.id = id;
  }

  /** The campaign, its letters and their standing, once loaded. */
  get detail(): CampaignDetail | null {
    return this.current;
  }

  override async load(): Promise<boolean> {
    const started = performance.now();
    const loaded = await super.load();
    if (loaded) this.loadMs = Math.round(performance.now() - started);
    return loaded;
  }

  /** Marks the chosen letters sent, or every unsent one (first letters and follow-ups) when none is chosen; the number marked. */
  async markSent(channel: Channel, sentOn: string, letterIds: string[] = []): Promise<number> {
    const n = await call('mark_letters_sent', { campaignId: this.id, letterIds, channel, sentOn });
    await this.load();
    return n;
  }

  async acknowledge(letterId: string, ack: AckInput, reply: PickedFile | null) {
    await call('acknowledge_campaign_letter', { letterId, ack, reply: reply?.token ?? null });
    await this.load();
  }

  async chaseOverdue(): Promise<GenerateReport> {
    const report = await call('chase_overdue', this.id);
    await this.load();
    return report;
  }

  /** While PDFs are being typeset: how many are done, of how many. */
  pdfProgress = $state<PdfProgress | null>(null);

  /** Saves the letters where the user picked: a folder (`letters_folder`) or one merged PDF. */
  async savePdfs(file: PickedFile, onlyUnsent: boolean): Promise<PdfReport> {
    this.pdfProgress = null;
    try {
      const report = await callWithProgress(
        'save_campaign_pdfs',
        { campaignId: this.id, file: file.token, onlyUnsent },
        (p) => (this.pdfProgress = p),
      );
      await this.load();
      return report;
    } finally {
      this.pdfProgress = null;
    }
  }
}
