//! Restricted-party screening: the imported list versions and an import in progress, the hits
//! table with a screening pass, and one hit under review. The core decides who may import and
//! decide; refusals come back as errors and are shown as they are.
import { call, callWithProgress } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import { Resource } from '$lib/state/async.svelte';
import type { HitDetail } from '$lib/api/bindings/HitDetail';
import type { HitRow } from '$lib/api/bindings/HitRow';
import type { HitStatus } from '$lib/api/bindings/HitStatus';
import type { ListImportReport } from '$lib/api/bindings/ListImportReport';
import type { ListKind } from '$lib/api/bindings/ListKind';
import type { PickedFile } from '$lib/api/bindings/PickedFile';
import type { ListVersionRow } from '$lib/api/bindings/ListVersionRow';
import type { ScreenReport } from '$lib/api/bindings/ScreenReport';
import type { ScreeningProgress } from '$lib/api/bindings/ScreeningProgress';
import type { ThresholdEffect } from '$lib/api/bindings/ThresholdEffect';

/** The imported list versions, newest first. */
export function listVersions(): Resource<ListVersionRow[]> {
  return new Resource(() => call('list_versions'), []);
}

/** One list import: the kind, the picked files, its progress and its outcome. */
export class ListImport {
  kind = $state<ListKind>('sdn');
  files = $state<PickedFile[]>([]);
  busy = $state(false);
  progress = $state<ScreeningProgress | null>(null);
  result = $state<ListImportReport | null>(null);
  error = $state<AppError | null>(null);

  reset() {
    this.files = [];
    this.progress = null;
    this.result = null;
    this.error = null;
  }

  async run(): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.result = null;
    this.progress = null;
    try {
      this.result = await callWithProgress(
        'import_list',
        { kind: this.kind, files: this.files.map((f) => f.token) },
        (p) => (this.progress = p),
      );
      return true;
    } catch (e) {
      this.error = AppError.from(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

export type HitFilter = HitStatus | 'all';

export class HitTable {
  filter = $state<HitFilter>('open');
  rows = $state<HitRow[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);
  screening = $state(false);
  progress = $state<ScreeningProgress | null>(null);
  report = $state<ScreenReport | null>(null);
  screenError = $state<AppError | null>(null);

  async load() {
    this.loading = true;
    this.error = null;
    try {
      this.rows = await call('list_hits', {
        status: this.filter === 'all' ? null : this.filter,
      });
    } catch (e) {
      this.error = AppError.from(e);
    } finally {
      this.loading = false;
    }
  }

  /** Screens every customer against the newest lists, then reloads the table. */
  async screenEveryone() {
    this.screening = true;
    this.screenError = null;
    this.report = null;
    this.progress = null;
    try {
      this.report = await callWithProgress('screen_everyone', null, (p) => (this.progress = p));
      await this.load();
    } catch (e) {
      this.screenError = AppError.from(e);
    } finally {
      this.screening = false;
    }
  }
}

export class HitReview extends Resource<HitDetail | null> {
  readonly id: string;

  constructor(id: string) {
    super(() => call('hit_detail', id), null);
    this.id = id;
  }

  /** The hit, its customer and list entry, once loaded. */
  get detail(): HitDetail | null {
    return this.current;
  }

  /** Confirms the match: the core blocks the customer. Throws the core's refusal. */
  async confirm(note: string) {
    this.set(await call('confirm_hit', { id: this.id, note: note.trim() || null }));
  }

  /** Dismisses the hit as a false positive; the core requires the reason. */
  async dismiss(reason: string) {
    this.set(await call('dismiss_hit', { id: this.id, reason }));
  }
}

/** One customer's screening hits, for the card on the customer page. */
export async function customerHits(customerId: string): Promise<HitRow[]> {
  return call('customer_hits', customerId);
}

/**
 * The screening threshold as policy: the one in force, a proposed one with its effect (hits that
 * would open, open hits it would no longer reach) shown before a manager saves it. The core
 * refuses a save by anyone else, and a value outside 50-100.
 */
export class ThresholdPolicy {
  current = $state<number | null>(null);
  proposed = $state<number>(85);
  effect = $state<ThresholdEffect | null>(null);
  saved = $state<ScreenReport | null>(null);
  busy = $state(false);
  error = $state<AppError | null>(null);

  async load() {
    try {
      const s = await call('screening_settings');
      this.current = s.threshold;
      this.proposed = s.threshold;
    } catch (e) {
      this.error = AppError.from(e);
    }
  }

  /** Screens every customer at the proposed threshold and shows what would change. */
  async preview() {
    this.busy = true;
    this.error = null;
    this.saved = null;
    try {
      this.effect = await call('preview_threshold', this.proposed);
    } catch (e) {
      this.effect = null;
      this.error = AppError.from(e);
    } finally {
      this.busy = false;
    }
  }

  /** Saves the previewed threshold; the core re-screens everyone in the same transaction. */
  async save() {
    if (!this.effect) return;
    this.busy = true;
    this.error = null;
    try {
      this.saved = await call('set_screening_threshold', this.effect.proposed);
      this.current = this.effect.proposed;
      this.effect = null;
    } catch (e) {
      this.error = AppError.from(e);
    } finally {
      this.busy = false;
    }
  }
}
