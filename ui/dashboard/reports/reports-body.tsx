// The reports themselves, loaded as their own chunk with chart.js (reports-page.tsx loads it
// lazily), so the board and home pages never download the chart library.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { reportDateRanges } from '../../../core/schemas/reports.ts';
import { call, useApi } from '../api.ts';
import { money, percent } from '../format.ts';
import { keys, useMembers } from '../queries.ts';
import { useSession } from '../session.tsx';
import { ReportCard } from './report-card.tsx';
import { apiQueryOf, type ReportFilters } from './report-filters.ts';
import {
  activityPerRepTable,
  backtestAucTable,
  backtestBandsTable,
  daysInStageTable,
  forecastTable,
  pipelineByStageTable,
  salesVelocityTable,
  stageConversionTable,
  winRatesByMonthTable,
  winRatesByRepTable,
  type ActivityCounts,
  type DaysInStage,
  type Forecast,
  type NameOf,
  type PipelineByStage,
  type ReportTable,
  type SalesVelocity,
  type StageConversion,
  type WinRates,
} from './report-tables.ts';

/** Each report route's answer (the same schemas as openapi.d.ts, named in report-tables.ts). */
interface Answers {
  '/reports/pipeline-by-stage': PipelineByStage;
  '/reports/stage-conversion': StageConversion;
  '/reports/days-in-stage': DaysInStage;
  '/reports/win-rates': WinRates;
  '/reports/sales-velocity': SalesVelocity;
  '/reports/activity-counts': ActivityCounts;
  '/reports/forecast': Forecast;
}

function useReport<P extends keyof Answers>(path: P, filters: ReportFilters) {
  const api = useApi();
  const query = apiQueryOf(filters);
  return useQuery({
    queryKey: [...keys.reports, path, query],
    // Seven literal routes with one query shape; openapi-fetch's overloads cannot take the union, so one is named.
    queryFn: async (): Promise<Answers[P]> => (await call(api.GET(path as '/reports/forecast', { params: { query } }))) as unknown as Answers[P],
    staleTime: 60_000,
  });
}

const rangeNote = (name: keyof typeof reportDateRanges, filters: ReportFilters) =>
  filters.from || filters.to ? `Date range: ${reportDateRanges[name]}.` : '';

function Kpis({ items }: { items: { label: string; value: string }[] }) {
  return (
    <dl className="report-kpis">
      {items.map((k) => (
        <div key={k.label} className="report-kpi">
          <dt>{k.label}</dt>
          <dd>{k.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function ReportsBody({ filters }: { filters: ReportFilters }) {
  const api = useApi();
  const { me } = useSession();
  const members = useMembers();
  const nameOf = useMemo<NameOf>(() => {
    const names = new Map((members.data ?? []).map((m) => [m.userId, m.name]));
    return (id) => (id === null ? 'Nobody' : names.get(id) ?? 'Former member');
  }, [members.data]);
  const mayBacktest = me.role === 'admin' || me.role === 'manager';

  const pipeline = useReport('/reports/pipeline-by-stage', filters);
  const conversion = useReport('/reports/stage-conversion', filters);
  const days = useReport('/reports/days-in-stage', filters);
  const winRates = useReport('/reports/win-rates', filters);
  const velocity = useReport('/reports/sales-velocity', filters);
  const activity = useReport('/reports/activity-counts', filters);
  const forecast = useReport('/reports/forecast', filters);
  const backtestQuery = { ...apiQueryOf(filters), pipelineId: undefined };
  const backtest = useQuery({
    queryKey: [...keys.reports, 'risk-backtest', backtestQuery],
    queryFn: () => call(api.GET('/reports/risk-backtest', { params: { query: backtestQuery } })),
    enabled: mayBacktest,
    staleTime: 5 * 60_000,
  });

  const tables = {
    pipeline: pipeline.data && pipelineByStageTable(pipeline.data),
    conversion: conversion.data && stageConversionTable(conversion.data),
    days: days.data && daysInStageTable(days.data),
    winMonth: winRates.data && winRatesByMonthTable(winRates.data),
    winRep: winRates.data && members.data ? winRatesByRepTable(winRates.data, nameOf) : undefined,
    velocity: velocity.data && salesVelocityTable(velocity.data),
    activity: activity.data && members.data ? activityPerRepTable(activity.data, nameOf) : undefined,
    forecast: forecast.data && forecastTable(forecast.data),
    auc: backtest.data && backtestAucTable(backtest.data),
    bands: backtest.data && backtestBandsTable(backtest.data),
  } satisfies Record<string, ReportTable | undefined>;

  const span = filters.from || filters.to ? `${filters.from ?? 'start'}_${filters.to ?? 'today'}` : 'all-time';
  const state = (q: { isLoading: boolean; error: unknown; refetch: () => unknown }) => ({ isLoading: q.isLoading || members.isLoading, error: q.error ?? members.error, retry: () => void q.refetch() });

  const v = velocity.data;
  const f = forecast.data;
  const bt = backtest.data;

  return (
    <div className="report-grid">
      <ReportCard
        id="forecast" title="Forecast: this month and next" fileName={`forecast-${span}`} table={tables.forecast} {...state(forecast)}
        description="Open deals by expected close month, weighted by each deal's probability and by how often deals from its stage were won before. The date range does not apply."
        emptyText="No open deals are expected to close this month or next. Set expected close dates on the board."
        summary={f && f.months[0] && (
          <Kpis items={[
            { label: 'Won this month', value: money(f.months[0].wonValueCents, f.currency) },
            { label: 'Weighted this month', value: money(f.months[0].weightedValueCents, f.currency) },
            { label: 'Weighted next month', value: money(f.months[1]?.weightedValueCents ?? 0, f.currency) },
            { label: 'Open deals without a close date', value: String(f.withoutCloseDate) },
          ]} />
        )}
      />
      <ReportCard
        id="pipeline-by-stage" title="Pipeline by stage" fileName={`pipeline-by-stage-${span}`} table={tables.pipeline} {...state(pipeline)}
        description={`Open deals in each stage, their value and their value weighted by probability. ${rangeNote('pipeline-by-stage', filters)}`}
        emptyText="No open deals match. Add deals, or widen the filters."
      />
      <ReportCard
        id="stage-conversion" title="Stage conversion funnel" fileName={`stage-conversion-${span}`} table={tables.conversion} {...state(conversion)}
        description={`How many deals entered each stage and how many went on to a later one. ${rangeNote('stage-conversion', filters)}`}
        emptyText="No deal has entered a stage in this range."
      />
      <ReportCard
        id="days-in-stage" title="Days in stage" fileName={`days-in-stage-${span}`} table={tables.days} {...state(days)}
        description={`How long deals stayed in each open stage before leaving it (finished stays only). ${rangeNote('days-in-stage', filters)}`}
        emptyText="No deal has left a stage yet, so there is nothing to measure."
      />
      <ReportCard
        id="win-rates" title="Win rate by month" fileName={`win-rates-by-month-${span}`} table={tables.winMonth} {...state(winRates)}
        description={`Deals won and lost each month they closed. ${rangeNote('win-rates', filters)}`}
        emptyText="No deal was won or lost in this range."
      />
      <ReportCard
        id="win-rates-by-rep" title="Win rate by rep" fileName={`win-rates-by-rep-${span}`} table={tables.winRep} {...state(winRates)}
        description={`Each rep's share of closed deals that were won. ${rangeNote('win-rates', filters)}`}
        emptyText="No deal was won or lost in this range."
      />
      <ReportCard
        id="sales-velocity" title="Sales velocity" fileName={`sales-velocity-${span}`} table={tables.velocity} {...state(velocity)}
        description={`Open deals × average won deal × win rate ÷ average cycle: the revenue the pipeline makes per day. ${rangeNote('sales-velocity', filters)}`}
        emptyText="No deal has closed yet, so velocity cannot be measured."
        summary={v && (
          <Kpis items={[
            { label: 'Velocity per day', value: v.velocityCentsPerDay === null ? '—' : money(v.velocityCentsPerDay, v.currency) },
            { label: 'Open deals', value: v.openDeals.toLocaleString('en-US') },
            { label: 'Average won deal', value: v.averageDealSizeCents === null ? '—' : money(v.averageDealSizeCents, v.currency) },
            { label: 'Win rate', value: percent(v.winRate, 1) },
            { label: 'Average cycle', value: v.averageCycleDays === null ? '—' : `${v.averageCycleDays.toFixed(1)} days` },
          ]} />
        )}
      />
      <ReportCard
        id="activity-per-rep" title="Activity per rep" fileName={`activity-per-rep-${span}`} table={tables.activity} {...state(activity)}
        description={`Emails, calls, meetings, notes and tasks logged by each rep. ${rangeNote('activity-counts', filters)}`}
        emptyText="No activity was logged in this range."
      />
      {mayBacktest && (
        <>
          <ReportCard
            id="risk-backtest-auc" title="Risk score backtest" fileName={`risk-backtest-auc-${span}`} table={tables.auc} {...state(backtest)}
            description="Each closed deal scored as it stood 7 days before it closed. AUC is the chance a lost deal scored riskier than a won one: 0.5 is a coin toss, 1 is perfect. Date range: deals closed in the range."
            emptyText="No deal has closed yet, so the score cannot be checked against outcomes."
            summary={bt && (
              <Kpis items={[
                { label: 'Our AUC', value: bt.ours.auc === null ? '—' : bt.ours.auc.toFixed(3) },
                { label: 'Baseline AUC', value: bt.baseline.auc === null ? '—' : bt.baseline.auc.toFixed(3) },
                { label: 'Gain over baseline', value: bt.aucGain === null ? '—' : `${bt.aucGain >= 0 ? '+' : ''}${bt.aucGain.toFixed(3)}` },
                { label: 'Closed deals', value: String(bt.closedDeals) },
              ]} />
            )}
          />
          <ReportCard
            id="risk-backtest-bands" title="Win rate per risk band" fileName={`risk-backtest-bands-${span}`} table={tables.bands} {...state(backtest)}
            description="Of the deals each score put in a band 7 days before closing, how many were won. A good score wins often in low and rarely in high."
            emptyText="No deal has closed yet, so the bands cannot be checked."
          />
        </>
      )}
    </div>
  );
}
