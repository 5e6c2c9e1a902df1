//! Reference data (red flags, CHPL tiers, country lists), loaded once per session.
import { call } from '$lib/api/ipc';
import type { ChplCode } from '$lib/api/bindings/ChplCode';
import type { RedFlag } from '$lib/api/bindings/RedFlag';
import type { ReferenceData } from '$lib/api/bindings/ReferenceData';

export class Reference {
  data = $state<ReferenceData | null>(null);
  #loading: Promise<void> | null = null;

  /** Red flags grouped by category, categories in first-seen order. */
  flagsByCategory = $derived.by(() => {
    const groups = new Map<string, RedFlag[]>();
    for (const f of this.data?.redFlags ?? []) {
      groups.set(f.category, [...(groups.get(f.category) ?? []), f]);
    }
    return [...groups.entries()];
  });

  chplByCode = $derived(new Map<string, ChplCode>((this.data?.chpl ?? []).map((c) => [c.hs6, c])));

  load(): Promise<void> {
    this.#loading ??= call('reference_data').then((d) => {
      this.data = d;
    });
    return this.#loading;
  }
}

export const reference = new Reference();
