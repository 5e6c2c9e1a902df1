//! The home screen's figures, computed by the core for the signed-in user and today.
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import type { HomeSummary } from '$lib/api/bindings/HomeSummary';
import { reviewCount } from '$lib/state/reviews.svelte';

/** How many of the user's customers are in `state` (the lists beside the tiles stop at 50). */
export function stateCount(summary: HomeSummary, state: CustomerState): number {
  return summary.counts.find((c) => c.state === state)?.count ?? 0;
}

export class Home {
  summary = $state<HomeSummary | null>(null);
  loading = $state(false);
  error = $state<AppError | null>(null);

  async load() {
    this.loading = true;
    this.error = null;
    try {
      this.summary = await call('home');
      if (!this.summary.ownCustomersOnly) reviewCount.value = this.summary.reviewQueue;
    } catch (e) {
      this.error = AppError.from(e);
    } finally {
      this.loading = false;
    }
  }
}
