import { describe, expect, it } from 'vitest';
import { queueCount } from './reviews.svelte';

describe('review queue count', () => {
  it('says how much of a long queue is shown', () => {
    expect(queueCount(100, 1785)).toBe('The oldest 100 of 1,785 waiting.');
  });
  it('says how many wait when all are shown', () => {
    expect(queueCount(3, 3)).toBe('3 waiting.');
    expect(queueCount(0, 0)).toBe('0 waiting.');
  });
});
