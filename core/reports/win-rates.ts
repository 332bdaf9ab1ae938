// Win rate and average deal size of closed deals, by month of closing and by owner.
import type { Outcome } from '../risk/types.ts';
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

/** Closed deals (in the report's currency) of one month, owner and outcome, added up. */
export interface ClosedTotals {
  month: string;
  ownerId: string | null;
  outcome: Outcome;
  deals: number;
  valueCents: number;
}

/** One row per month from the first to the last closing, months without closings included. */
export function winRatesByMonth(deals: readonly ReportDeal[], option: CurrencyOption): MonthWinRateRow[] {
  return winRatesByMonthFromTotals(closedTotals(deals, option));
}

/** One row per owner with closed deals, ordered by owner id; unassigned deals last. */
export function winRatesByOwner(deals: readonly ReportDeal[], option: CurrencyOption): OwnerWinRateRow[] {
  return winRatesByOwnerFromTotals(closedTotals(deals, option));
}

export function winRatesByMonthFromTotals(totals: readonly ClosedTotals[]): MonthWinRateRow[] {
  const present = totals.filter((t) => t.deals > 0);
  if (present.length === 0) return [];
  const months = present.map((t) => t.month).sort();
  return monthRange(months[0]!, months.at(-1)!).map((month) => ({ month, ...statsOf(present.filter((t) => t.month === month)) }));
}

export function winRatesByOwnerFromTotals(totals: readonly ClosedTotals[]): OwnerWinRateRow[] {
  const present = totals.filter((t) => t.deals > 0);
  const owners = [...new Set(present.map((t) => t.ownerId))].sort(byOwnerId);
  return owners.map((ownerId) => ({ ownerId, ...statsOf(present.filter((t) => t.ownerId === ownerId)) }));
}

function closedTotals(deals: readonly ReportDeal[], { currency }: CurrencyOption): ClosedTotals[] {
  const totals = new Map<string, ClosedTotals>();
  for (const d of deals) {
    if (d.outcome === null || d.closedAt === null || d.currency !== currency) continue;
    const month = monthOf(d.closedAt);
    const key = `${month}|${d.ownerId}|${d.outcome}`;
    const t = totals.get(key) ?? { month, ownerId: d.ownerId, outcome: d.outcome, deals: 0, valueCents: 0 };
    t.deals++;
    t.valueCents += d.valueCents;
    totals.set(key, t);
  }
  return [...totals.values()];
}

function statsOf(totals: readonly ClosedTotals[]): WinRateStats {
  const won = totals.filter((t) => t.outcome === 'won').reduce((s, t) => s + t.deals, 0);
  const closed = totals.reduce((s, t) => s + t.deals, 0);
  const wonValueCents = totals.filter((t) => t.outcome === 'won').reduce((s, t) => s + t.valueCents, 0);
  return {
    won,
    lost: closed - won,
    winRate: closed === 0 ? null : won / closed,
    wonValueCents,
    averageDealSizeCents: won === 0 ? null : Math.round(wonValueCents / won),
  };
}
