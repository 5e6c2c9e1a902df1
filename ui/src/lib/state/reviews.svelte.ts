//! The review queue (compliance managers): submitted attestations, oldest first, and the decisions
//! taken on them. Refusals (four-eyes, missing reason) come back from the core as errors.
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { Decision } from '$lib/api/bindings/Decision';
import type { ReviewItem } from '$lib/api/bindings/ReviewItem';

export class ReviewQueue {
  items = $state<ReviewItem[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);

  async load() {
    this.loading = true;
    this.error = null;
    try {
      this.items = await call('review_queue');
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
  }
}

export const reviews = new ReviewQueue();
