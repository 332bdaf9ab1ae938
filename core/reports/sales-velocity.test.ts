import { describe, expect, it } from 'vitest';
import { salesVelocity } from './sales-velocity.ts';
import type { ReportDeal } from './types.ts';

const DAY = 86_400_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');
const deal = (id: string, outcome: 'won' | 'lost' | null, valueCents: number, cycleDays: number | null, currency = 'USD'): ReportDeal => ({
  id,
  ownerId: 'u1',
  stageId: outcome ?? 'prop',
  valueCents,
  currency,
  probability: 50,
  createdAt: new Date(t0),
  expectedCloseDate: null,
  closedAt: cycleDays === null ? null : new Date(t0 + cycleDays * DAY),
  outcome,
});

describe('salesVelocity', () => {
  it('is open deals × average won deal × win rate ÷ average cycle', () => {
    const deals = [
      deal('o1', null, 1, null),
      deal('o2', null, 1, null),
      deal('o3', null, 1, null),
      deal('o4', null, 1, null),
      deal('o5', null, 1, null, 'EUR'), // another currency
      deal('w1', 'won', 1_000_000, 30),
      deal('w2', 'won', 2_000_000, 60),
      deal('l1', 'lost', 5_000_000, 10),
      deal('l2', 'lost', 100, 90),
    ];
    // average won deal (1,000,000 + 2,000,000) / 2 = 1,500,000; win rate 2 / 4 = 0.5;
    // cycle of won deals (30 + 60) / 2 = 45 days; 4 × 1,500,000 × 0.5 / 45 = 66,666.67 → 66,667 cents a day
    expect(salesVelocity(deals, { currency: 'USD' })).toEqual({
      currency: 'USD',
      openDeals: 4,
      averageDealSizeCents: 1_500_000,
      winRate: 0.5,
      averageCycleDays: 45,
      velocityCentsPerDay: 66_667,
    });
  });

  it('is unknown without won deals', () => {
    expect(salesVelocity([deal('o1', null, 1, null), deal('l1', 'lost', 1, 10)], { currency: 'USD' })).toEqual({
      currency: 'USD',
      openDeals: 1,
      averageDealSizeCents: null,
      winRate: 0,
      averageCycleDays: null,
      velocityCentsPerDay: null,
    });
  });
});
