//! The review queue (compliance managers): submitted attestations, oldest first, and the decisions
//! taken on them. Refusals (four-eyes, missing reason) come back from the core as errors.
//!
//! The queue is loaded by its screen and dropped with it: with a large programme it holds
//! thousands of attestations. The sidebar shows only how many there are, which the home summary
//! counts in the core (`reviewQueue`) and the screen keeps current while it is open.
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { Decision } from '$lib/api/bindings/Decision';
import type { ReviewItem } from '$lib/api/bindings/ReviewItem';

/** How many attestations wait for review: the sidebar's badge. */
export class ReviewCount {
  value = $state(0);
}

export const reviewCount = new ReviewCount();

export class ReviewQueue {
  /** Replaced, never mutated in place: no deep proxies over thousands of records. */
  items = $state.raw<ReviewItem[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);

  async load() {
    this.loading = true;
    this.error = null;
    try {
      this.items = await call('review_queue');
      reviewCount.value = this.items.length;
    } catch (e) {
      this.error = AppError.from(e);
    } finally {
      this.loading = false;
    }
  }

  /** Records a decision; on success the item leaves the queue. Throws the core's refusal. */
  async decide(id: string, decision: Decision, reason: string | null) {
    await call('review_attestation', { id, decision, reason: reason?.trim() || null });
    this.items = this.items.filter((i) => i.attestation.id !== id);
    reviewCount.value = this.items.length;
  }
}
