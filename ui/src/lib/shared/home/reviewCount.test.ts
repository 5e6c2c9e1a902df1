import { describe, expect, it } from 'vitest';
import { reviewCountNote } from './reviewCount';

describe('reviewCountNote', () => {
  it('says nothing when the tile and the legend agree', () => {
    expect(reviewCountNote({ reviewQueue: 5, reviewCustomers: 5, reviewCustomersElsewhere: 0 })).toBeNull();
  });
  it('explains a customer with two attestations awaiting review', () => {
    expect(reviewCountNote({ reviewQueue: 173, reviewCustomers: 172, reviewCustomersElsewhere: 0 })).toBe(
      '173 attestations from 172 customers',
    );
  });
  it('explains customers counted under a more urgent state', () => {
    expect(reviewCountNote({ reviewQueue: 173, reviewCustomers: 172, reviewCustomersElsewhere: 1 })).toBe(
      '173 attestations from 172 customers; 1 of them counts under a more urgent state, so “Pending review” shows 171',
    );
  });
});
