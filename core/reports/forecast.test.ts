import { describe, expect, it } from 'vitest';
import { forecast } from './forecast.ts';
import { addMonths, monthRange } from './period.ts';
import type { ReportDeal, ReportStage, ReportStageChange } from './types.ts';

const stages: ReportStage[] = [
  { id: 'disc', name: 'Discovery', position: 0, isWon: false, isLost: false },
  { id: 'qual', name: 'Qualification', position: 1, isWon: false, isLost: false },
  { id: 'prop', name: 'Proposal', position: 2, isWon: false, isLost: false },
  { id: 'nego', name: 'Negotiation', position: 3, isWon: false, isLost: false },
  { id: 'won', name: 'Closed Won', position: 4, isWon: true, isLost: false },
  { id: 'lost', name: 'Closed Lost', position: 5, isWon: false, isLost: true },
];

const now = new Date('2026-03-15T12:00:00Z');

const deal = (id: string, stageId: string, valueCents: number, probability: number, expectedCloseDate: string | null, extra: Partial<ReportDeal> = {}): ReportDeal => ({
  id,
  ownerId: 'u1',
  stageId,
  valueCents,
  currency: 'USD',
  probability,
  createdAt: new Date('2025-10-01T00:00:00Z'),
  expectedCloseDate,
  closedAt: null,
  outcome: null,
  ...extra,
});

const path = (dealId: string, ...stageIds: string[]): ReportStageChange[] =>
  stageIds.map((toStageId, i) => ({ dealId, toStageId, changedAt: new Date(Date.UTC(2025, 10, 1 + i)) }));

const deals: ReportDeal[] = [
  // History: W1 and W2 won, L1 and L2 lost.
  deal('W1', 'won', 400_000, 100, null, { outcome: 'won', closedAt: new Date('2026-03-03T00:00:00Z') }),
  deal('W2', 'won', 700_000, 100, null, { outcome: 'won', closedAt: new Date('2026-01-10T00:00:00Z') }),
  deal('L1', 'lost', 100_000, 0, null, { outcome: 'lost', closedAt: new Date('2026-02-10T00:00:00Z') }),
  deal('L2', 'lost', 100_000, 0, null, { outcome: 'lost', closedAt: new Date('2026-03-10T00:00:00Z') }),
  // Open deals.
  deal('O1', 'prop', 300_000, 50, '2026-03-20'), // this month
  deal('O2', 'nego', 100_000, 80, '2026-03-31'), // this month
  deal('O3', 'disc', 200_000, 10, '2026-04-02'), // next month
  deal('O4', 'qual', 90_000, 30, '2026-02-27'), // overdue
  deal('O5', 'prop', 60_000, 50, null), // no close date
  deal('O6', 'prop', 1_000_000, 50, '2026-05-10'), // later
  deal('O7', 'prop', 500_000, 50, '2026-03-20', { currency: 'EUR' }), // another currency
];

const history = [
  ...path('W1', 'disc', 'prop', 'nego', 'won'),
  ...path('W2', 'disc', 'prop', 'won'),
  ...path('L1', 'disc', 'prop', 'lost'),
  ...path('L2', 'disc', 'lost'),
];

describe('forecast', () => {
  const result = forecast({ stages, deals, history, now, currency: 'USD', minClosedDeals: 2 });

  it('learns win rates per stage from closed deals that passed through it', () => {
    expect(result.winRateByStage).toEqual({
      disc: { closed: 4, won: 2, winRate: 0.5 }, // W1 W2 L1 L2
      qual: { closed: 0, won: 0, winRate: null },
      prop: { closed: 3, won: 2, winRate: 2 / 3 }, // W1 W2 L1
      nego: { closed: 1, won: 1, winRate: null }, // W1 only: below the minimum of 2
    });
  });

  it('forecasts this month and next from expected close dates', () => {
    expect(result.months).toEqual([
      {
        month: '2026-03',
        deals: 2, // O1, O2
        valueCents: 400_000, // 300,000 + 100,000
        weightedValueCents: 230_000, // 300,000 × 50% + 100,000 × 80%
        adjustedValueCents: 280_000, // 300,000 × 2/3 (Proposal) + 100,000 × 80% (Negotiation has no trusted rate)
        wonValueCents: 400_000, // W1 closed on March 3rd
      },
      {
        month: '2026-04',
        deals: 1, // O3
        valueCents: 200_000,
        weightedValueCents: 20_000, // 200,000 × 10%
        adjustedValueCents: 100_000, // 200,000 × 0.5 (Discovery)
        wonValueCents: 0,
      },
    ]);
  });

  it('shows overdue deals and deals without a date apart', () => {
    // O4: 90,000 × 30%; Qualification has no history, so its own probability again
    expect(result.overdue).toEqual({ deals: 1, valueCents: 90_000, weightedValueCents: 27_000, adjustedValueCents: 27_000 });
    expect(result.withoutCloseDate).toBe(1);
  });

  it('rolls over the year in December', () => {
    const december = forecast({ stages, deals, history, now: new Date('2026-12-31T23:00:00Z'), currency: 'USD' });
    expect(december.months.map((m) => m.month)).toEqual(['2026-12', '2027-01']);
  });
});

describe('months', () => {
  it.each([
    { month: '2026-01', count: 1, result: '2026-02' },
    { month: '2026-12', count: 1, result: '2027-01' },
    { month: '2026-01', count: -1, result: '2025-12' },
  ])('$month + $count = $result', ({ month, count, result }) => {
    expect(addMonths(month, count)).toBe(result);
  });

  it('ranges include both ends', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
