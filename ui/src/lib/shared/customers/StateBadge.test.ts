import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StateBadge from './StateBadge.svelte';
import { STATE_LOOK, STATE_ORDER } from './states';

describe('StateBadge', () => {
  it('names every state the core can return', () => {
    // The core's precedence order (rules::CustomerState), first match wins.
    expect(STATE_ORDER).toEqual([
      'blocked',
      'screening_hit',
      'on_hold',
      'red_flag_open',
      'expiring',
      'covered',
      'pending_review',
      'expired',
      'needs_attestation',
      'overdue_ack',
      'awaiting_ack',
      'not_contacted',
    ]);
    for (const s of STATE_ORDER) expect(STATE_LOOK[s].label).not.toBe('');
  });

  it('shows the label and explains the state on hover', () => {
    render(StateBadge, { state: 'red_flag_open' });
    const badge = screen.getByText('Red flag open');
    expect(badge.closest('[title]')?.getAttribute('title')).toMatch(/resolution/);
  });
});
