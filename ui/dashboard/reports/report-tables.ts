// Each report as one table: the columns a person reads, the rows, and which columns the chart
// draws. The chart, the accessible table and the CSV download are all made from this one table
// with the same number conversion (`figure`), so the CSV holds exactly the chart's numbers.
import { toCsv } from '../../../core/reports/csv.ts';
import type { components } from '../../api-client/openapi.d.ts';

type S = components['schemas'];
export type PipelineByStage = S['PipelineByStageReport'];
export type StageConversion = S['StageConversionReport'];
export type DaysInStage = S['DaysInStageReport'];
export type WinRates = S['WinRatesReport'];
export type SalesVelocity = S['SalesVelocityReport'];
export type ActivityCounts = S['ActivityCountsReport'];
export type Forecast = S['ForecastReport'];
export type RiskBacktest = S['RiskBacktestReport'];

/** money: cents in the rows, currency units in chart and CSV; percent: a 0..1 rate in the rows, % in chart and CSV. */
export type ColumnKind = 'text' | 'count' | 'money' | 'percent' | 'days' | 'ratio';

export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface ChartSpec {
  type: 'bar' | 'line';
  /** Horizontal bars (a funnel). */
  horizontal?: boolean;
  stacked?: boolean;
  /** Columns drawn, one dataset each; all of one kind so they share an axis. */
  series: string[];
}

export interface ReportTable {
  columns: Column[];
  rows: Row[];
  /** The column naming each row (the chart's categories). */
  labelKey: string;
  chart: ChartSpec | null;
  currency?: string;
}

/** A cell as the chart draws it and the CSV holds it. */
export function figure(kind: ColumnKind, value: Cell): Cell {
  if (value === null || typeof value === 'string') return value;
  switch (kind) {
    case 'money':
      return Math.round(value) / 100;
    case 'percent':
      return Math.round(value * 1000) / 10;
    case 'ratio':
      return Math.round(value * 1000) / 1000;
    case 'days':
      return Math.round(value * 10) / 10;
    default:
      return value;
  }
}

export function headerOf(column: Column, currency?: string): string {
  if (column.kind === 'money') return `${column.label} (${currency ?? 'USD'})`;
  if (column.kind === 'percent') return `${column.label} (%)`;
  return column.label;
}

/** The CSV a person downloads: the table's header and figures, one line per row. */
export function tableCsv(table: ReportTable): string {
  return toCsv(
    table.rows,
    table.columns.map((c) => ({ header: headerOf(c, table.currency), value: (row: Row) => figure(c.kind, row[c.key] ?? null) })),
  );
}

/** The chart's datasets: each series' figures, row by row. */
export function chartSeries(table: ReportTable): { key: string; label: string; kind: ColumnKind; data: (number | null)[] }[] {
  if (!table.chart) return [];
  return table.chart.series.map((key) => {
    const column = table.columns.find((c) => c.key === key)!;
    return { key, label: column.label, kind: column.kind, data: table.rows.map((r) => figure(column.kind, r[key] ?? null) as number | null) };
  });
}

export const chartLabels = (table: ReportTable) => table.rows.map((r) => String(r[table.labelKey] ?? ''));

/** Who a member id is, for the per-rep tables. */
export type NameOf = (ownerId: string | null) => string;

const monthLabel = (ym: string) => new Date(`${ym}-01T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function pipelineByStageTable(r: PipelineByStage): ReportTable {
  return {
    columns: [
      { key: 'stage', label: 'Stage', kind: 'text' },
      { key: 'deals', label: 'Open deals', kind: 'count' },
      { key: 'value', label: 'Value', kind: 'money' },
      { key: 'weighted', label: 'Weighted value', kind: 'money' },
    ],
    rows: r.rows.map((row) => ({ stage: row.stageName, deals: row.deals, value: row.valueCents, weighted: row.weightedValueCents })),
    labelKey: 'stage',
    chart: { type: 'bar', series: ['value', 'weighted'] },
    currency: r.currency,
  };
}

export function stageConversionTable(r: StageConversion): ReportTable {
  return {
    columns: [
      { key: 'stage', label: 'Stage', kind: 'text' },
      { key: 'entered', label: 'Entered', kind: 'count' },
      { key: 'reachedNext', label: 'Reached the next stage', kind: 'count' },
      { key: 'reachedLater', label: 'Reached a later stage', kind: 'count' },
      { key: 'still', label: 'Still in stage', kind: 'count' },
      { key: 'nextRate', label: 'To next stage', kind: 'percent' },
      { key: 'laterRate', label: 'To a later stage', kind: 'percent' },
    ],
    rows: r.rows.map((row) => ({
      stage: row.stageName, entered: row.entered, reachedNext: row.reachedNext, reachedLater: row.reachedLater, still: row.stillInStage, nextRate: row.nextRate, laterRate: row.laterRate,
    })),
    labelKey: 'stage',
    chart: { type: 'bar', horizontal: true, series: ['entered', 'reachedLater'] },
  };
}

export function daysInStageTable(r: DaysInStage): ReportTable {
  return {
    columns: [
      { key: 'stage', label: 'Stage', kind: 'text' },
      { key: 'deals', label: 'Finished stays', kind: 'count' },
      { key: 'average', label: 'Average days', kind: 'days' },
      { key: 'median', label: 'Median days', kind: 'days' },
    ],
    rows: r.rows.map((row) => ({ stage: row.stageName, deals: row.deals, average: row.averageDays, median: row.medianDays })),
    labelKey: 'stage',
    chart: { type: 'bar', series: ['average', 'median'] },
  };
}

const winRateColumns: Column[] = [
  { key: 'won', label: 'Won', kind: 'count' },
  { key: 'lost', label: 'Lost', kind: 'count' },
  { key: 'winRate', label: 'Win rate', kind: 'percent' },
  { key: 'wonValue', label: 'Won value', kind: 'money' },
  { key: 'averageSize', label: 'Average won deal', kind: 'money' },
];

type WinStats = WinRates['byMonth'][number];
const winStats = (s: Omit<WinStats, 'month'>) => ({ won: s.won, lost: s.lost, winRate: s.winRate, wonValue: s.wonValueCents, averageSize: s.averageDealSizeCents });

export function winRatesByMonthTable(r: WinRates): ReportTable {
  return {
    columns: [{ key: 'month', label: 'Month', kind: 'text' }, ...winRateColumns],
    rows: [...r.byMonth].sort((a, b) => a.month.localeCompare(b.month)).map((m) => ({ month: monthLabel(m.month), ...winStats(m) })),
    labelKey: 'month',
    chart: { type: 'bar', stacked: true, series: ['won', 'lost'] },
    currency: r.currency,
  };
}

export function winRatesByRepTable(r: WinRates, nameOf: NameOf): ReportTable {
  return {
    columns: [{ key: 'rep', label: 'Rep', kind: 'text' }, ...winRateColumns],
    rows: r.byOwner.map((o) => ({ rep: nameOf(o.ownerId), ...winStats(o) })).sort((a, b) => String(a.rep).localeCompare(String(b.rep))),
    labelKey: 'rep',
    chart: { type: 'bar', series: ['winRate'] },
    currency: r.currency,
  };
}

export function salesVelocityTable(r: SalesVelocity): ReportTable {
  return {
    columns: [
      { key: 'measure', label: 'Measure', kind: 'text' },
      { key: 'openDeals', label: 'Open deals', kind: 'count' },
      { key: 'averageSize', label: 'Average won deal', kind: 'money' },
      { key: 'winRate', label: 'Win rate', kind: 'percent' },
      { key: 'cycle', label: 'Average sales cycle (days)', kind: 'days' },
      { key: 'velocity', label: 'Velocity per day', kind: 'money' },
    ],
    rows: [{ measure: 'Sales velocity', openDeals: r.openDeals, averageSize: r.averageDealSizeCents, winRate: r.winRate, cycle: r.averageCycleDays, velocity: r.velocityCentsPerDay }],
    labelKey: 'measure',
    chart: null,
    currency: r.currency,
  };
}

export function activityPerRepTable(r: ActivityCounts, nameOf: NameOf): ReportTable {
  return {
    columns: [
      { key: 'rep', label: 'Rep', kind: 'text' },
      { key: 'email', label: 'Emails', kind: 'count' },
      { key: 'call', label: 'Calls', kind: 'count' },
      { key: 'meeting', label: 'Meetings', kind: 'count' },
      { key: 'note', label: 'Notes', kind: 'count' },
      { key: 'task', label: 'Tasks', kind: 'count' },
      { key: 'total', label: 'Total', kind: 'count' },
    ],
    rows: r.rows.map((row) => ({ rep: nameOf(row.ownerId), email: row.email, call: row.call, meeting: row.meeting, note: row.note, task: row.task, total: row.total })),
    labelKey: 'rep',
    chart: { type: 'bar', stacked: true, horizontal: true, series: ['email', 'call', 'meeting', 'note', 'task'] },
  };
}

export function forecastTable(r: Forecast): ReportTable {
  const bucket = (label: string, b: Forecast['overdue'], won: number | null): Row => ({
    period: label, deals: b.deals, value: b.valueCents, weighted: b.weightedValueCents, adjusted: b.adjustedValueCents, won,
  });
  return {
    columns: [
      { key: 'period', label: 'Closing', kind: 'text' },
      { key: 'deals', label: 'Open deals', kind: 'count' },
      { key: 'value', label: 'Pipeline', kind: 'money' },
      { key: 'weighted', label: 'Weighted by probability', kind: 'money' },
      { key: 'adjusted', label: 'Weighted by past win rates', kind: 'money' },
      { key: 'won', label: 'Won so far', kind: 'money' },
    ],
    rows: [...r.months.map((m) => bucket(monthLabel(m.month), m, m.wonValueCents)), bucket('Overdue', r.overdue, null)],
    labelKey: 'period',
    chart: { type: 'bar', series: ['won', 'weighted', 'adjusted', 'value'] },
    currency: r.currency,
  };
}

export function backtestAucTable(r: RiskBacktest): ReportTable {
  const row = (score: string, x: RiskBacktest['ours']): Row => ({ score, auc: x.auc, deals: x.n, won: x.won, lost: x.lost });
  return {
    columns: [
      { key: 'score', label: 'Score', kind: 'text' },
      { key: 'auc', label: 'AUC', kind: 'ratio' },
      { key: 'deals', label: 'Closed deals scored', kind: 'count' },
      { key: 'won', label: 'Won', kind: 'count' },
      { key: 'lost', label: 'Lost', kind: 'count' },
    ],
    rows: [row('Our risk score', r.ours), row('Rule-list baseline', r.baseline), row('Ours on shuffled outcomes (chance)', r.oursShuffled)],
    labelKey: 'score',
    chart: { type: 'bar', horizontal: true, series: ['auc'] },
  };
}

export function backtestBandsTable(r: RiskBacktest): ReportTable {
  const bands = ['low', 'medium', 'high'] as const;
  const of = (x: RiskBacktest['ours'], band: (typeof bands)[number]) => x.bands.find((b) => b.band === band);
  return {
    columns: [
      { key: 'band', label: 'Risk band', kind: 'text' },
      { key: 'oursDeals', label: 'Deals (ours)', kind: 'count' },
      { key: 'oursRate', label: 'Win rate (ours)', kind: 'percent' },
      { key: 'baseDeals', label: 'Deals (baseline)', kind: 'count' },
      { key: 'baseRate', label: 'Win rate (baseline)', kind: 'percent' },
    ],
    rows: bands.map((band) => ({
      band: band[0]!.toUpperCase() + band.slice(1),
      oursDeals: of(r.ours, band)?.deals ?? 0,
      oursRate: of(r.ours, band)?.winRate ?? null,
      baseDeals: of(r.baseline, band)?.deals ?? 0,
      baseRate: of(r.baseline, band)?.winRate ?? null,
    })),
    labelKey: 'band',
    chart: { type: 'bar', series: ['oursRate', 'baseRate'] },
  };
}
