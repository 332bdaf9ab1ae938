// Sales velocity: how much money the pipeline turns into per day,
// (open deals × average deal size × win rate) / average sales-cycle length in days.
// Deal size, win rate and cycle come from the closed deals given (the caller picks the period);
// the open deals are the ones open now.
import { DAY_MS } from '../risk/types.ts';
import { round1, type CurrencyOption, type ReportDeal } from './types.ts';

export interface SalesVelocity {
  currency: string;
  openDeals: number;
  /** Average value of won deals. */
  averageDealSizeCents: number | null;
  winRate: number | null;
  /** Average days from creation to closing of won deals, rounded to 1 decimal. */
  averageCycleDays: number | null;
  /** null when any part is unknown or the cycle is zero. */
  velocityCentsPerDay: number | null;
}

export function salesVelocity(deals: readonly ReportDeal[], { currency }: CurrencyOption): SalesVelocity {
  const mine = deals.filter((d) => d.currency === currency);
  const openDeals = mine.filter((d) => d.outcome === null).length;
  const closed = mine.filter((d) => d.outcome !== null && d.closedAt !== null);
  const won = closed.filter((d) => d.outcome === 'won');
  const averageDealSizeCents = won.length === 0 ? null : won.reduce((s, d) => s + d.valueCents, 0) / won.length;
  const winRate = closed.length === 0 ? null : won.length / closed.length;
  const averageCycleDays =
    won.length === 0 ? null : won.reduce((s, d) => s + (d.closedAt!.getTime() - d.createdAt.getTime()) / DAY_MS, 0) / won.length;
  const velocityCentsPerDay =
    averageDealSizeCents === null || winRate === null || averageCycleDays === null || averageCycleDays <= 0
      ? null
      : Math.round((openDeals * averageDealSizeCents * winRate) / averageCycleDays);
  return {
    currency,
    openDeals,
    averageDealSizeCents: averageDealSizeCents === null ? null : Math.round(averageDealSizeCents),
    winRate,
    averageCycleDays: averageCycleDays === null ? null : round1(averageCycleDays),
    velocityCentsPerDay,
  };
}
