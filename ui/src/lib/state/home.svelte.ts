//! The home screen's figures, computed by the core for the signed-in user and today.
import { call } from '$lib/api/ipc';
import { Resource } from '$lib/state/async.svelte';
import type { CustomerState } from '$lib/api/bindings/CustomerState';
import type { HomeSummary } from '$lib/api/bindings/HomeSummary';
import { reviewCount } from '$lib/state/reviews.svelte';

/** How many of the user's customers are in `state` (the lists beside the tiles stop at 50). */
export function stateCount(summary: HomeSummary, state: CustomerState): number {
  return summary.counts.find((c) => c.state === state)?.count ?? 0;
}

/** The home summary; loading it also refreshes the review count (a manager's home holds it). */
export function homeSummary(): Resource<HomeSummary | null> {
  return new Resource(async () => {
    const summary = await call('home');
    if (!summary.ownCustomersOnly) reviewCount.value = summary.reviewQueue;
    return summary;
  }, null);
}
