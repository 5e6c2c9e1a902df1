//! The review queue (compliance managers): submitted attestations, oldest first, and the decisions
//! taken on them. The queue's head is loaded (a large supplier has thousands waiting); "show more"
//! asks for the next page. Refusals (four-eyes, missing reason) come back from the core as errors.
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { Decision } from '$lib/api/bindings/Decision';
import type { ReviewItem } from '$lib/api/bindings/ReviewItem';

/** How many of the oldest submitted attestations one load brings. */
export const REVIEW_PAGE = 100;

/** The line under the list: how much of the queue it shows. */
export function queueCount(shown: number, total: number): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  return shown >= total ? `${n(total)} waiting.` : `The oldest ${n(shown)} of ${n(total)} waiting.`;
}

export class ReviewQueue {
  items = $state<ReviewItem[]>([]);
  /** How many wait in all (the list holds the oldest of them). */
  total = $state(0);
  loading = $state(false);
  error = $state<AppError | null>(null);
  #limit = REVIEW_PAGE;

  /** Attestations waiting beyond the ones loaded. */
  get more(): number {
    return Math.max(0, this.total - this.items.length);
  }

  async load(limit = REVIEW_PAGE) {
    this.#limit = limit;
    this.loading = true;
    this.error = null;
    try {
      const queue = await call('review_queue', { limit });
      this.items = queue.items;
      this.total = queue.total;
    } catch (e) {
      this.error = AppError.from(e);
    } finally {
      this.loading = false;
    }
  }

  /** Loads the next page of the queue's head. */
  showMore() {
    return this.load(this.#limit + REVIEW_PAGE);
  }

  /** Records a decision; on success the item leaves the queue. Throws the core's refusal. */
  async decide(id: string, decision: Decision, reason: string | null) {
    await call('review_attestation', { id, decision, reason: reason?.trim() || null });
    this.items = this.items.filter((i) => i.attestation.id !== id);
    this.total = Math.max(0, this.total - 1);
    // The loaded head ran out while more wait: bring the next ones.
    if (this.items.length === 0 && this.total > 0) await this.load(this.#limit);
  }
}

export const reviews = new ReviewQueue();
