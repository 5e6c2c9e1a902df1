import { describe, expect, it } from 'vitest';
import type { CampaignRow } from '$lib/api/bindings/CampaignRow';
import type { CampaignSummary } from '$lib/api/bindings/CampaignSummary';
import {
  letterheadPlaceholders,
  chaseList,
  countByStatus,
  emptyWizard,
  filterRows,
  insertField,
  percent,
  progressBars,
  toCampaignInput,
  toggle,
  validateWizard,
} from './campaigns';

function summary(over: Partial<CampaignSummary>): CampaignSummary {
  return {
    campaign: {} as CampaignSummary['campaign'],
    templateName: 'Export compliance reminder',
    templateVersion: 1,
    customers: 0,
    sent: 0,
    acknowledged: 0,
    overdue: 0,
    followUps: 0,
    unsentLetters: 0,
    ...over,
  };
}

function row(over: Partial<CampaignRow>): CampaignRow {
  return {
    customerId: 'c',
    customerName: '深圳市华强电子有限公司',
    customerEnglishName: 'Shenzhen Huaqiang Electronics',
    country: 'CN',
    externalId: 'ERP-1',
    status: 'generated',
    letterId: 'l',
    channel: null,
    sentOn: null,
    followUpId: null,
    followUpSentOn: null,
    chased: false,
    ackDue: null,
    ackReceivedOn: null,
    ackBy: null,
    ackLetterId: null,
    replyDocumentId: null,
    ...over,
  };
}

describe('percent', () => {
  it('is a whole share, 0 without a whole, and never above 100', () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(66);
    expect(percent(5, 0)).toBe(0);
    expect(percent(0, 10)).toBe(0);
    expect(percent(12, 10)).toBe(100);
    expect(percent(4999, 5000)).toBe(99);
  });
});

describe('progressBars', () => {
  it('shows sent and acknowledged of those written to, overdue of those sent', () => {
    const bars = progressBars(summary({ customers: 200, sent: 150, acknowledged: 50, overdue: 30 }));
    expect(bars.map((b) => [b.key, b.value, b.of, b.pct])).toEqual([
      ['generated', 200, 200, 100],
      ['sent', 150, 200, 75],
      ['acknowledged', 50, 200, 25],
      ['overdue', 30, 150, 20],
    ]);
  });

  it('is all zero for a campaign that wrote to nobody', () => {
    expect(progressBars(summary({})).every((b) => b.pct === 0)).toBe(true);
  });
});

describe('rows', () => {
  const rows = [
    row({ customerId: '1', status: 'overdue', followUpId: 'f', chased: true }),
    row({ customerId: '2', status: 'overdue', customerName: 'Kowloon Parts', customerEnglishName: null, externalId: 'HK-7' }),
    row({ customerId: '3', status: 'acknowledged' }),
  ];

  it('filter by status and by name in any script or external id', () => {
    expect(filterRows(rows, { status: 'overdue', search: '' }).map((r) => r.customerId)).toEqual(['1', '2']);
    expect(filterRows(rows, { status: '', search: '华强' }).map((r) => r.customerId)).toEqual(['1', '3']);
    expect(filterRows(rows, { status: '', search: 'hk-7' }).map((r) => r.customerId)).toEqual(['2']);
    expect(filterRows(rows, { status: 'sent', search: '' })).toEqual([]);
  });

  it('count statuses and list the overdue still to chase', () => {
    expect(countByStatus(rows)).toEqual({ generated: 0, sent: 0, overdue: 2, acknowledged: 1 });
    const chase = chaseList(rows);
    expect(chase.overdue).toHaveLength(2);
    expect(chase.unchased).toBe(1);
  });
});

describe('the wizard form', () => {
  it('asks for a name, sane ack days, and a customer when listing them', () => {
    expect(validateWizard(emptyWizard())).toEqual({ name: 'Give the campaign a name.' });
    const f = { ...emptyWizard(0), name: 'CN-HK', mode: 'list' as const };
    expect(Object.keys(validateWizard(f)).sort()).toEqual(['ack_due_days', 'target']);
    expect(validateWizard({ ...f, ackDueDays: 30, customerIds: ['x'] })).toEqual({});
    expect(validateWizard({ ...f, ackDueDays: 2.5, customerIds: ['x'] })).toHaveProperty('ack_due_days');
  });

  it('sends only the chosen mode of targeting', () => {
    const f = {
      ...emptyWizard(),
      name: ' CN-HK 2026 ',
      countries: ['CN', 'HK'],
      customerTypes: ['distributor' as const],
      customerIds: ['kept-but-unused'],
    };
    const input = toCampaignInput(f);
    expect(input.name).toBe('CN-HK 2026');
    expect(input.templateId).toBeNull();
    expect(input.target).toEqual({
      countries: ['CN', 'HK'],
      customerTypes: ['distributor'],
      states: [],
      ownerIds: [],
      customerIds: [],
    });
    expect(toCampaignInput({ ...f, mode: 'list' }).target.countries).toEqual([]);
    expect(toCampaignInput({ ...f, mode: 'list' }).target.customerIds).toEqual(['kept-but-unused']);
  });

  it('toggles checkbox values', () => {
    expect(toggle(['CN'], 'HK')).toEqual(['CN', 'HK']);
    expect(toggle(['CN', 'HK'], 'CN')).toEqual(['HK']);
  });
});

describe('insertField', () => {
  it('puts the field at the cursor, replacing a selection', () => {
    expect(insertField('Dear ,', 'contact.name', 5)).toEqual({ text: 'Dear {{contact.name}},', cursor: 21 });
    expect(insertField('Dear X,', 'contact.name', 5, 6).text).toBe('Dear {{contact.name}},');
    expect(insertField('', 'today', 99).text).toBe('{{today}}');
  });
});

describe('letterheadPlaceholders', () => {
  it('finds the placeholder texts a letterhead still holds', () => {
    expect(letterheadPlaceholders({ companyName: 'Your Company Ltd.', companyAddress: ['Street and number', 'City, Country'] })).toEqual([
      'Your Company Ltd.',
      'Street and number',
      'City, Country',
    ]);
  });
  it('finds nothing in a letterhead filled in', () => {
    expect(letterheadPlaceholders({ companyName: 'Northwind GmbH', companyAddress: ['Am Hafen 1', '20457 Hamburg'] })).toEqual([]);
  });
  it('flags a letterhead left empty', () => {
    expect(letterheadPlaceholders({ companyName: ' ', companyAddress: [] })).toEqual(['an empty letterhead']);
  });
});
