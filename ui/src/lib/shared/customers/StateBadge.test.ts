import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StateBadge from './StateBadge.svelte';
import { STATE_LOOK, STATE_ORDER } from './states';

describe('StateBadge', () => {
  it('names every state the core can return', () => {
    expect(STATE_ORDER).toHaveLength(10);
    for (const s of STATE_ORDER) expect(STATE_LOOK[s].label).not.toBe('');
  });

  it('shows the label and explains the state on hover', () => {
    render(StateBadge, { state: 'red_flag_open' });
    const badge = screen.getByText('Red flag open');
    expect(badge.closest('[title]')?.getAttribute('title')).toMatch(/resolution/);
  });
});
