// Forecast for this month and next: open deals by expected close month, weighted by their own
// probability and, separately, by how often deals that reached their stage were won in the past.
import { addMonths, monthOf } from './period.ts';
import { pathsOf, type CurrencyOption, type ReportDeal, type ReportStage, type ReportStageChange, type StagePath } from './types.ts';

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

/** Open deals (in the report's currency) of one stage and expected close month, added up. */
export interface OpenTotals {
  stageId: string;
  /** 'YYYY-MM' of the expected close date; null without one. */
  closeMonth: string | null;
  deals: number;
  valueCents: number;
  /** Σ value × probability (in percent). */
  valueTimesProbability: number;
}

/** What the forecast reads, added up: a database can answer each part with one grouped query. */
export interface ForecastTotals {
  open: readonly OpenTotals[];
  /** Value won (in the report's currency) by month of closing, 'YYYY-MM'. */
  wonValueCentsByMonth: Readonly<Record<string, number>>;
  /** The pipeline's deals as stage paths with their outcomes, any currency. */
  paths: readonly StagePath[];
}

export function forecast(input: ForecastInput): Forecast {
  const { currency, deals } = input;
  const open = new Map<string, OpenTotals>();
  const wonValueCentsByMonth: Record<string, number> = {};
  for (const d of deals) {
    if (d.currency !== currency) continue;
    if (d.outcome === null) {
      const closeMonth = d.expectedCloseDate?.slice(0, 7) ?? null;
      const key = `${d.stageId}|${closeMonth}`;
      const t = open.get(key) ?? { stageId: d.stageId, closeMonth, deals: 0, valueCents: 0, valueTimesProbability: 0 };
      t.deals++;
      t.valueCents += d.valueCents;
      t.valueTimesProbability += d.valueCents * d.probability;
      open.set(key, t);
    } else if (d.outcome === 'won' && d.closedAt !== null) {
      const month = monthOf(d.closedAt);
      wonValueCentsByMonth[month] = (wonValueCentsByMonth[month] ?? 0) + d.valueCents;
    }
  }
  const outcomes = new Map(deals.map((d) => [d.id, d.outcome]));
  return forecastFromTotals({ ...input, totals: { open: [...open.values()], wonValueCentsByMonth, paths: pathsOf(input.history, outcomes) } });
}

export function forecastFromTotals(input: CurrencyOption & { stages: readonly ReportStage[]; totals: ForecastTotals; now: Date; minClosedDeals?: number }): Forecast {
  const { currency, totals, now } = input;
  const winRateByStage = historicalWinRateByStageOfPaths(input.stages, totals.paths, { minClosedDeals: input.minClosedDeals ?? 5 });
  const thisMonth = monthOf(now);
  const nextMonth = addMonths(thisMonth, 1);

  const bucket = (inBucket: OpenTotals[]): ForecastBucket => ({
    deals: inBucket.reduce((s, t) => s + t.deals, 0),
    valueCents: inBucket.reduce((s, t) => s + t.valueCents, 0),
    weightedValueCents: Math.round(inBucket.reduce((s, t) => s + t.valueTimesProbability, 0) / 100),
    // A stage without a trusted historical rate falls back to each deal's own probability.
    adjustedValueCents: Math.round(
      inBucket.reduce((s, t) => {
        const rate = winRateByStage[t.stageId]?.winRate ?? null;
        return s + (rate === null ? t.valueTimesProbability / 100 : t.valueCents * rate);
      }, 0),
    ),
  });
  const month = (m: string): ForecastMonth => ({
    month: m,
    ...bucket(totals.open.filter((t) => t.closeMonth === m)),
    wonValueCents: totals.wonValueCentsByMonth[m] ?? 0,
  });

  return {
    currency,
    months: [month(thisMonth), month(nextMonth)],
    overdue: bucket(totals.open.filter((t) => t.closeMonth !== null && t.closeMonth < thisMonth)),
    withoutCloseDate: totals.open.filter((t) => t.closeMonth === null).reduce((s, t) => s + t.deals, 0),
    winRateByStage,
  };
}

export function historicalWinRateByStageOfPaths(
  stages: readonly ReportStage[],
  paths: readonly StagePath[],
  { minClosedDeals }: { minClosedDeals: number },
): Record<string, StageWinRate> {
  const rates: Record<string, StageWinRate> = {};
  for (const stage of stages) if (!stage.isWon && !stage.isLost) rates[stage.id] = { closed: 0, won: 0, winRate: null };
  for (const path of paths) {
    if (!path.outcome) continue;
    for (const stageId of new Set(path.stageIds)) {
      const rate = rates[stageId];
      if (!rate) continue;
      rate.closed += path.deals;
      if (path.outcome === 'won') rate.won += path.deals;
    }
  }
  for (const rate of Object.values(rates)) rate.winRate = rate.closed >= minClosedDeals && rate.closed > 0 ? rate.won / rate.closed : null;
  return rates;
}
