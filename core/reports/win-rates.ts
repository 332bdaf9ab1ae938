// Win rate and average deal size of closed deals, by month of closing and by owner.
import { monthOf, monthRange } from './period.ts';
import { byOwnerId, type CurrencyOption, type ReportDeal } from './types.ts';

export interface WinRateStats {
  won: number;
  lost: number;
  /** won / (won + lost); null when nothing closed. */
  winRate: number | null;
  wonValueCents: number;
  /** Average value of the won deals (the usual "average deal size"), rounded to a cent. */
  averageDealSizeCents: number | null;
}

export interface MonthWinRateRow extends WinRateStats {
  /** 'YYYY-MM' (UTC) of closing. */
  month: string;
}

export interface OwnerWinRateRow extends WinRateStats {
  ownerId: string | null;
}

/** One row per month from the first to the last closing, months without closings included. */
export function winRatesByMonth(deals: readonly ReportDeal[], { currency }: CurrencyOption): MonthWinRateRow[] {
  const closed = closedIn(deals, currency);
  if (closed.length === 0) return [];
  const months = closed.map((d) => monthOf(d.closedAt)).sort();
  return monthRange(months[0]!, months.at(-1)!).map((month) => ({
    month,
    ...statsOf(closed.filter((d) => monthOf(d.closedAt) === month)),
  }));
}

/** One row per owner with closed deals, ordered by owner id; unassigned deals last. */
export function winRatesByOwner(deals: readonly ReportDeal[], { currency }: CurrencyOption): OwnerWinRateRow[] {
  const closed = closedIn(deals, currency);
  const owners = [...new Set(closed.map((d) => d.ownerId))].sort(byOwnerId);
  return owners.map((ownerId) => ({ ownerId, ...statsOf(closed.filter((d) => d.ownerId === ownerId)) }));
}

type ClosedDeal = ReportDeal & { closedAt: Date; outcome: 'won' | 'lost' };

function closedIn(deals: readonly ReportDeal[], currency: string): ClosedDeal[] {
  return deals.filter((d): d is ClosedDeal => d.outcome !== null && d.closedAt !== null && d.currency === currency);
}

function statsOf(closed: readonly ClosedDeal[]): WinRateStats {
  const won = closed.filter((d) => d.outcome === 'won');
  const wonValueCents = won.reduce((s, d) => s + d.valueCents, 0);
  return {
    won: won.length,
    lost: closed.length - won.length,
    winRate: closed.length === 0 ? null : won.length / closed.length,
    wonValueCents,
    averageDealSizeCents: won.length === 0 ? null : Math.round(wonValueCents / won.length),
  };
}
