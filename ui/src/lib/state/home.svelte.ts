//! The home screen's figures, computed by the core for the signed-in user and today.
import { call } from '$lib/api/ipc';
import { AppError } from '$lib/api/errors';
import type { HomeSummary } from '$lib/api/bindings/HomeSummary';
import { reviewCount } from '$lib/state/reviews.svelte';

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
