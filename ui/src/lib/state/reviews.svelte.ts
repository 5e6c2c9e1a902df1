//! The review queue (compliance managers): submitted attestations, oldest first, and the decisions
//! taken on them. Refusals (four-eyes, missing reason) come back from the core as errors.
//!
//! The queue is loaded by its screen and dropped with it, and only its head: a large programme
//! has thousands waiting, so a load brings the oldest `REVIEW_PAGE` and the queue's length, and
//! "show more" the next page. The sidebar shows only how many there are, which the home summary
//! counts in the core (`reviewQueue`) and the screen keeps current while it is open.
import { call } from '$lib/api/ipc';
import type { Decision } from '$lib/api/bindings/Decision';
import type { CustomerDetail } from '$lib/api/bindings/CustomerDetail';
import type { HitRow } from '$lib/api/bindings/HitRow';
import type { ReviewItem } from '$lib/api/bindings/ReviewItem';
import type { ReviewQueue as QueueHead } from '$lib/api/bindings/ReviewQueue';
import { Resource } from './async.svelte';
import { formatCount } from '$lib/shared/format';
import { m } from '$lib/i18n';

/** How many of the oldest submitted attestations one load brings. */
export const REVIEW_PAGE = 100;

/** The line under the list: how much of the queue it shows. */
export function queueCount(shown: number, total: number): string {
  const n = formatCount;
  return shown >= total ? m.review_waiting({ n: n(total) }) : m.review_waiting_oldest({ shown: n(shown), n: n(total) });
}

/** How many attestations wait for review: the sidebar's badge. */
export class ReviewCount {
  value = $state(0);
}

export const reviewCount = new ReviewCount();

export class ReviewQueue {
  /** The loaded head and how many wait in all (replaced, never mutated: no deep proxies). */
  readonly #queue = new Resource<QueueHead, [number]>((limit) => call('review_queue', { limit }), { items: [], total: 0 });
  #limit = REVIEW_PAGE;

  /** The oldest submitted attestations, loaded so far. */
  get items(): ReviewItem[] {
    return this.#queue.current.items;
  }
  /** How many wait in all (the list holds the oldest of them). */
  get total(): number {
    return this.#queue.current.total;
  }
  /** The first load (the screen shows a placeholder meanwhile). */
  get loading(): boolean {
    return this.#queue.loading && this.items.length === 0;
  }
  /** Any load, the first or "show more" (the list stays on screen). */
  get fetching(): boolean {
    return this.#queue.loading;
  }
  get error() {
    return this.#queue.error;
  }

  /** Attestations waiting beyond the ones loaded. */
  get more(): number {
    return Math.max(0, this.total - this.items.length);
  }

  async load(limit = REVIEW_PAGE) {
    this.#limit = limit;
    if (await this.#queue.load(limit)) reviewCount.value = this.total;
  }

  /** Loads the next page of the queue's head. */
  showMore() {
    return this.load(this.#limit + REVIEW_PAGE);
  }

  /** Records a decision; on success the item leaves the queue. Throws the core's refusal. */
  async decide(id: string, decision: Decision, reason: string | null) {
    await call('review_attestation', { id, decision, reason: reason?.trim() || null });
    this.#queue.set({ items: this.items.filter((i) => i.attestation.id !== id), total: Math.max(0, this.total - 1) });
    reviewCount.value = this.total;
    // The loaded head ran out while more wait: bring the next ones.
    if (this.items.length === 0 && this.total > 0) await this.load(this.#limit);
  }
}

/**
 * What the reviewer needs to know about the customer beside an attestation: its page (state,
 * open red flags) and its screening hits. Loaded for the attestation on screen.
 */
export function reviewContext() {
  return new Resource(
    async (customerId: string) => {
      const [detail, hits] = await Promise.all([call('customer_detail', customerId), call('customer_hits', customerId)]);
      return { detail, hits: hits.filter((h) => h.status === 'open' || h.status === 'confirmed') };
    },
    null as { detail: CustomerDetail; hits: HitRow[] } | null,
  );
}
