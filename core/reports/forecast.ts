// Forecast for this month and next: open deals by expected close month, weighted by their own
// probability and, separately, by how often deals that reached their stage were won in the past.
import { addMonths, monthOf } from './period.ts';
import { historyByDeal, type CurrencyOption, type ReportDeal, type ReportStage, type ReportStageChange } from './types.ts';

export interface StageWinRate {
  /** Closed deals that were in this stage at some point. */
  closed: number;
  won: number;
  /** won / closed; null below the minimum sample, when deals fall back to their own probability. */
  winRate: number | null;
}

export interface ForecastBucket {
  deals: number;
  valueCents: number;
  /** Σ value × the deal's probability. */
  weightedValueCents: number;
  /** Σ value × the historical win rate of the deal's stage (its probability when there is none). */
  adjustedValueCents: number;
}

export interface ForecastMonth extends ForecastBucket {
  month: string;
  /** Already won this month (closed in it). */
  wonValueCents: number;
}

export interface Forecast {
  currency: string;
  /** This month (UTC, of `now`) and next. */
  months: [ForecastMonth, ForecastMonth];
  /** Open deals whose expected close month is already over. */
  overdue: ForecastBucket;
  /** Open deals without an expected close date. */
  withoutCloseDate: number;
  winRateByStage: Record<string, StageWinRate>;
}

export interface ForecastInput extends CurrencyOption {
  stages: readonly ReportStage[];
  deals: readonly ReportDeal[];
  history: readonly ReportStageChange[];
  now: Date;
  /** Fewer closed deals than this in a stage → its win rate is not trusted. Default 5. */
  minClosedDeals?: number;
}

export function forecast(input: ForecastInput): Forecast {
  const { currency, deals, now } = input;
  const winRateByStage = historicalWinRateByStage(input.stages, deals, input.history, { minClosedDeals: input.minClosedDeals ?? 5 });
  const thisMonth = monthOf(now);
  const nextMonth = addMonths(thisMonth, 1);
  const open = deals.filter((d) => d.outcome === null && d.currency === currency);
  const rateOf = (d: ReportDeal) => winRateByStage[d.stageId]?.winRate ?? d.probability / 100;

  const bucket = (inBucket: ReportDeal[]): ForecastBucket => ({
    deals: inBucket.length,
    valueCents: inBucket.reduce((s, d) => s + d.valueCents, 0),
    weightedValueCents: Math.round(inBucket.reduce((s, d) => s + (d.valueCents * d.probability) / 100, 0)),
    adjustedValueCents: Math.round(inBucket.reduce((s, d) => s + d.valueCents * rateOf(d), 0)),
  });
  // 'YYYY-MM' of the expected close date; '' sorts before every month but is never one.
  const closeMonth = (d: ReportDeal) => d.expectedCloseDate?.slice(0, 7) ?? '';
  const month = (m: string): ForecastMonth => ({
    month: m,
    ...bucket(open.filter((d) => closeMonth(d) === m)),
    wonValueCents: deals
      .filter((d) => d.outcome === 'won' && d.currency === currency && d.closedAt !== null && monthOf(d.closedAt) === m)
      .reduce((s, d) => s + d.valueCents, 0),
  });

  return {
    currency,
    months: [month(thisMonth), month(nextMonth)],
    overdue: bucket(open.filter((d) => d.expectedCloseDate !== null && closeMonth(d) < thisMonth)),
    withoutCloseDate: open.filter((d) => d.expectedCloseDate === null).length,
    winRateByStage,
  };
}

/** For each open stage: of the closed deals that were ever in it, the share that was won. */
export function historicalWinRateByStage(
  stages: readonly ReportStage[],
  deals: readonly ReportDeal[],
  history: readonly ReportStageChange[],
  { minClosedDeals }: { minClosedDeals: number },
): Record<string, StageWinRate> {
  const outcomes = new Map(deals.filter((d) => d.outcome !== null).map((d) => [d.id, d.outcome]));
  const rates: Record<string, StageWinRate> = {};
  for (const stage of stages) if (!stage.isWon && !stage.isLost) rates[stage.id] = { closed: 0, won: 0, winRate: null };
  for (const [dealId, moves] of historyByDeal(history)) {
    const outcome = outcomes.get(dealId);
    if (!outcome) continue;
    for (const stageId of new Set(moves.map((m) => m.toStageId))) {
      const rate = rates[stageId];
      if (!rate) continue;
      rate.closed++;
      if (outcome === 'won') rate.won++;
    }
  }
  for (const rate of Object.values(rates)) rate.winRate = rate.closed >= minClosedDeals && rate.closed > 0 ? rate.won / rate.closed : null;
  return rates;
}
