import { describe, expect, it } from 'vitest';
import { byUrgency } from './urgency';

describe('byUrgency', () => {
  it('puts overdue acknowledgements first and customers not yet contacted last', () => {
    const sorted = byUrgency([
      { name: 'Alpha', state: 'not_contacted' as const },
      { name: 'Beta', state: 'expiring' as const },
      { name: 'Gamma', state: 'overdue_ack' as const },
      { name: 'Delta', state: 'expired' as const },
      { name: 'Epsilon', state: 'needs_attestation' as const },
    ]);
    expect(sorted.map((e) => e.state)).toEqual(['overdue_ack', 'expired', 'needs_attestation', 'expiring', 'not_contacted']);
  });
  it('keeps the core’s order within one state', () => {
    const sorted = byUrgency([
      { name: 'Zeta', state: 'expired' as const },
      { name: 'Alpha', state: 'expired' as const },
    ]);
    expect(sorted.map((e) => e.name)).toEqual(['Zeta', 'Alpha']);
  });
  it('places other states after the rep’s own, in the core’s precedence', () => {
    const sorted = byUrgency([
      { name: 'A', state: 'covered' as const },
      { name: 'B', state: 'blocked' as const },
      { name: 'C', state: 'not_contacted' as const },
    ]);
    expect(sorted.map((e) => e.name)).toEqual(['C', 'B', 'A']);
  });
});
