import { describe, expect, it } from 'vitest';
import type { ReportDeal } from './types.ts';
import { winRatesByMonth, winRatesByOwner } from './win-rates.ts';

const closed = (id: string, ownerId: string | null, outcome: 'won' | 'lost', closedAt: string, valueCents: number, currency = 'USD'): ReportDeal => ({
  id,
  ownerId,
  stageId: outcome,
  valueCents,
  currency,
  probability: outcome === 'won' ? 100 : 0,
  createdAt: new Date('2025-12-01T00:00:00Z'),
  expectedCloseDate: null,
  closedAt: new Date(closedAt),
  outcome,
});

const deals: ReportDeal[] = [
  closed('a', 'u1', 'won', '2026-01-05T10:00:00Z', 100_000),
  closed('b', 'u2', 'won', '2026-01-31T23:59:59Z', 300_000),
  closed('c', 'u1', 'lost', '2026-01-20T00:00:00Z', 50_000),
  // nothing closed in February
  closed('d', 'u2', 'lost', '2026-03-01T00:00:00Z', 80_000),
  closed('e', 'u1', 'lost', '2026-03-02T00:00:00Z', 90_000),
  closed('f', null, 'won', '2026-03-03T00:00:00Z', 250_000),
  closed('g', 'u1', 'won', '2026-03-04T00:00:00Z', 999_999, 'EUR'), // another currency
  { ...closed('h', 'u1', 'won', '2026-03-05T00:00:00Z', 1), outcome: null, closedAt: null, stageId: 'disc', probability: 10 }, // open
];

describe('winRatesByMonth', () => {
  it('gives each month from the first closing to the last, empty months included', () => {
    expect(winRatesByMonth(deals, { currency: 'USD' })).toEqual([
      // won a, b; lost c → 2 / 3; won value 100,000 + 300,000 = 400,000, average 200,000
      { month: '2026-01', won: 2, lost: 1, winRate: 2 / 3, wonValueCents: 400_000, averageDealSizeCents: 200_000 },
      { month: '2026-02', won: 0, lost: 0, winRate: null, wonValueCents: 0, averageDealSizeCents: null },
      // won f; lost d, e → 1 / 3; average 250,000
      { month: '2026-03', won: 1, lost: 2, winRate: 1 / 3, wonValueCents: 250_000, averageDealSizeCents: 250_000 },
    ]);
  });

  it('is empty when nothing closed', () => {
    expect(winRatesByMonth(deals, { currency: 'GBP' })).toEqual([]);
  });
});

describe('winRatesByOwner', () => {
  it('gives each owner their win rate and average won deal, unassigned last', () => {
    expect(winRatesByOwner(deals, { currency: 'USD' })).toEqual([
      // u1: won a; lost c, e → 1 / 3; average 100,000
      { ownerId: 'u1', won: 1, lost: 2, winRate: 1 / 3, wonValueCents: 100_000, averageDealSizeCents: 100_000 },
      // u2: won b; lost d → 1 / 2
      { ownerId: 'u2', won: 1, lost: 1, winRate: 0.5, wonValueCents: 300_000, averageDealSizeCents: 300_000 },
      { ownerId: null, won: 1, lost: 0, winRate: 1, wonValueCents: 250_000, averageDealSizeCents: 250_000 },
    ]);
  });
});
