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

/** The deals (in the report's currency) added up. */
export interface VelocityTotals {
  openDeals: number;
  closedDeals: number;
  wonDeals: number;
  wonValueCents: number;
  /** Σ days from creation to closing of the won deals. */
  wonCycleDays: number;
}

export function salesVelocity(deals: readonly ReportDeal[], option: CurrencyOption): SalesVelocity {
  const totals: VelocityTotals = { openDeals: 0, closedDeals: 0, wonDeals: 0, wonValueCents: 0, wonCycleDays: 0 };
  for (const d of deals) {
    if (d.currency !== option.currency) continue;
    if (d.outcome === null) totals.openDeals++;
    else if (d.closedAt !== null) {
      totals.closedDeals++;
      if (d.outcome === 'won') {
        totals.wonDeals++;
        totals.wonValueCents += d.valueCents;
        totals.wonCycleDays += (d.closedAt.getTime() - d.createdAt.getTime()) / DAY_MS;
      }
    }
  }
  return salesVelocityFromTotals(totals, option);
}

export function salesVelocityFromTotals(t: VelocityTotals, { currency }: CurrencyOption): SalesVelocity {
  const averageDealSizeCents = t.wonDeals === 0 ? null : t.wonValueCents / t.wonDeals;
  const winRate = t.closedDeals === 0 ? null : t.wonDeals / t.closedDeals;
  const averageCycleDays = t.wonDeals === 0 ? null : t.wonCycleDays / t.wonDeals;
  const velocityCentsPerDay =
    averageDealSizeCents === null || winRate === null || averageCycleDays === null || averageCycleDays <= 0
      ? null
      : Math.round((t.openDeals * averageDealSizeCents * winRate) / averageCycleDays);
  return {
    currency,
    openDeals: t.openDeals,
    averageDealSizeCents: averageDealSizeCents === null ? null : Math.round(averageDealSizeCents),
    winRate,
    averageCycleDays: averageCycleDays === null ? null : round1(averageCycleDays),
    velocityCentsPerDay,
  };
}
