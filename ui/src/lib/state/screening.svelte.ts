//! Restricted-party screening: the imported list versions and an import in progress, the hits
//! table with a screening pass, and one hit under review. The core decides who may import and
//! decide; refusals come back as errors and are shown as they are.
import { call, callWithProgress } from '$lib/api/ipc';
import { Action, Resource } from '$lib/state/async.svelte';
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
  progress = $state<ScreeningProgress | null>(null);
  result = $state<ListImportReport | null>(null);

  readonly #job = new Action(async () => {
    this.result = null;
    this.progress = null;
    this.result = await callWithProgress(
      'import_list',
      { kind: this.kind, files: this.files.map((f) => f.token) },
      (p) => (this.progress = p),
    );
  });

  get busy() {
    return this.#job.busy;
  }
  get error() {
    return this.#job.error;
  }

  reset() {
    this.files = [];
    this.progress = null;
    this.result = null;
    this.#job.reset();
  }

  /** Imports the picked files; true once the new version is saved and everyone re-screened. */
  async run(): Promise<boolean> {
    return (await this.#job.run()).ok;
  }
}

export type HitFilter = HitStatus | 'all';

/** The hits with the status filtered on, and a screening pass of everyone with its progress. */
export class HitTable {
  filter = $state<HitFilter>('open');
  progress = $state<ScreeningProgress | null>(null);
  report = $state<ScreenReport | null>(null);

  readonly #hits = new Resource<HitRow[]>(() => call('list_hits', { status: this.filter === 'all' ? null : this.filter }), []);
  readonly #screen = new Action(async () => {
    this.report = null;
    this.progress = null;
    this.report = await callWithProgress('screen_everyone', null, (p) => (this.progress = p));
    await this.load();
  });

  get rows() {
    return this.#hits.current;
  }
  get loading() {
    return this.#hits.loading;
  }
  get error() {
    return this.#hits.error;
  }
  get screening() {
    return this.#screen.busy;
  }
  get screenError() {
    return this.#screen.error;
  }

  async load() {
    await this.#hits.load();
  }

  /** Screens every customer against the newest lists, then reloads the table. */
  async screenEveryone() {
    await this.#screen.run();
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

  /** Each step clears the last one's refusal (one error line under the threshold). */
  readonly #step = new Action(async (what: 'load' | 'preview' | 'save') => {
    if (what === 'load') {
      const s = await call('screening_settings');
      this.current = s.threshold;
      this.proposed = s.threshold;
    } else if (what === 'preview') {
      this.saved = null;
      // A refused preview leaves no effect from an earlier one on screen.
      this.effect = await call('preview_threshold', this.proposed).catch((e: unknown) => {
        this.effect = null;
        throw e;
      });
    } else if (this.effect) {
      this.saved = await call('set_screening_threshold', this.effect.proposed);
      this.current = this.effect.proposed;
      this.effect = null;
    }
  });

  /** A preview or a save is running (not the first load). */
  get busy() {
    return this.#step.busy && !this.#step.runningWith('load');
  }
  get error() {
    return this.#step.error;
  }

  async load() {
    await this.#step.run('load');
  }

  /** Screens every customer at the proposed threshold and shows what would change. */
  async preview() {
    await this.#step.run('preview');
  }

  /** Saves the previewed threshold; the core re-screens everyone in the same transaction. */
  async save() {
    await this.#step.run('save');
  }
}
