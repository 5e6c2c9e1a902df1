import { describe, expect, it } from 'vitest';
import type { HomeSummary } from '$lib/api/bindings/HomeSummary';
import { stateCount } from './home.svelte';

describe('home tiles', () => {
  it('count customers in a state from the summary, not from the lists capped at 50', () => {
    const summary = {
      counts: [
        { state: 'expiring', count: 1234 },
        { state: 'overdue_ack', count: 0 },
      ],
      expiring: [],
    } as unknown as HomeSummary;
    expect(stateCount(summary, 'expiring')).toBe(1234);
    expect(stateCount(summary, 'overdue_ack')).toBe(0);
    expect(stateCount(summary, 'covered')).toBe(0);
  });
});
