import { describe, expect, it } from 'vitest';
import type { CustomerDetail } from '$lib/api/bindings/CustomerDetail';
import type { TimelineEntry } from '$lib/api/bindings/TimelineEntry';
import { i18n } from '$lib/i18n';
import { attestationLook, timelineLine } from './timeline';

const visit = {
  id: 'v1',
  customerId: 'c1',
  repId: 'u1',
  visitedOn: '2026-12-01',
  location: 'Shenzhen office',
  attendees: [],
  purpose: null,
  notes: 'Asked about the end user.',
  redFlags: ['TS-02'],
} as unknown as CustomerDetail['visits'][number];

const detail = { on: '2026-12-04', visits: [visit], attestations: [], redFlags: [], followUps: [], letters: [] } as unknown as CustomerDetail;

const entry = (kind: TimelineEntry['kind'], recordId: string, title = '', by: string | null = null): TimelineEntry => ({
  on: '2026-12-01',
  kind,
  title,
  detail: null,
  recordId,
  by,
});

describe('attestationLook', () => {
  it('shows an approved attestation past its end as expired', () => {
    expect(attestationLook('approved', '2026-12-03', '2026-12-04')).toEqual({ label: 'Expired', tone: 'warn', key: 'expired' });
  });
  it('keeps approved while the attestation is valid, to its last day', () => {
    expect(attestationLook('approved', '2026-12-04', '2026-12-04').label).toBe('Approved');
  });
  it('never calls an attestation that was not approved expired', () => {
    expect(attestationLook('rejected', '2020-01-01', '2026-12-04').label).toBe('Rejected');
  });
});

describe('timelineLine', () => {
  it('says who logged a visit, as the core names them, and counts its red flags in the singular', () => {
    expect(timelineLine(entry('visit', 'v1', '', 'Ravi Rep'), detail)).toEqual({
      title: 'Visit at Shenzhen office, 1 red flag',
      detail: 'Asked about the end user.',
      who: 'logged by Ravi Rep',
    });
  });
  it('falls back to the core’s title with readable dates', () => {
    const line = timelineLine(entry('visit', 'gone', 'Visit (2 red flags) on 2026-12-01'), detail);
    expect(line.title).toBe('Visit (2 red flags) on 1 Dec 2026');
    expect(line.who).toBeNull();
  });
  it('shows an observed red flag with its reference text in the app’s language', () => {
    const flag = { id: 'rf1', flagId: 'TS-13', observedOn: '2026-12-01', resolvedOn: null };
    const d = { ...detail, redFlags: [flag] } as unknown as CustomerDetail;
    const observed = { ...entry('red_flag', 'rf1', 'Red flag TS-13 observed', 'Ravi Rep'), detail: 'Routing through known transshipment points' };
    i18n.locale = 'zh-Hans';
    expect(timelineLine(observed, d).detail).toBe('途经已知的转运地');
    i18n.locale = 'en';
    expect(timelineLine(observed, d).detail).toBe('Routing through known transshipment points');
  });
});
