import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { apiQueryOf, filtersFromSearch, presetOf, presetRange, searchOfFilters } from './report-filters.ts';
import {
  activityPerRepTable,
  backtestBandsTable,
  chartLabels,
  chartSeries,
  figure,
  forecastTable,
  pipelineByStageTable,
  tableCsv,
  winRatesByRepTable,
  type ReportTable,
} from './report-tables.ts';

const ID = '0b5a3c1e-8f5e-4b8e-9a37-1f2d3c4b5a69';

describe('report filters in the URL', () => {
  it.each([
    ['owner, team and days', `owner=${ID}&team=${ID}&from=2026-10-01&to=2026-10-31`, { ownerId: ID, teamId: ID, from: '2026-10-01', to: '2026-10-31' }],
    ['malformed values are dropped', 'owner=bob&from=2026-13-45&to=yesterday&pipeline=1', {}],
    ['nothing', '', {}],
  ])('%s', (_name, search, expected) => {
    expect(filtersFromSearch(new URLSearchParams(search))).toEqual(expected);
  });

  it('round-trips through the URL', () => {
    const f = { ownerId: ID, from: '2026-10-01', to: '2026-10-31' };
    expect(filtersFromSearch(new URLSearchParams(searchOfFilters(f)))).toEqual(f);
  });

  it('sends whole UTC days with the last day included', () => {
    expect(apiQueryOf({ from: '2026-10-01', to: '2026-10-31', teamId: ID })).toEqual({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', teamId: ID });
  });

  it.each([
    ['last-30', { from: '2026-11-05', to: '2026-12-04' }],
    ['this-quarter', { from: '2026-10-01', to: '2026-12-04' }],
    ['this-year', { from: '2026-01-01', to: '2026-12-04' }],
    ['all', {}],
  ] as const)('preset %s', (preset, range) => {
    const now = new Date('2026-12-04T15:00:00Z');
    expect(presetRange(preset, now)).toEqual(range);
    expect(presetOf(range, now)).toBe(preset);
  });
});

/** The CSV, parsed, as the chart's series: header → column of numbers. */
function csvSeries(table: ReportTable) {
  const [header, ...rows] = parse(tableCsv(table)) as string[][];
  return { header: header!, rows, column: (name: string) => rows.map((r) => (r[header!.indexOf(name)] === '' ? null : Number(r[header!.indexOf(name)]))) };
}

describe('a report table', () => {
  const pipeline = pipelineByStageTable({
    currency: 'EUR',
    rows: [
      { stageId: ID, stageName: 'Qualified', deals: 3, valueCents: 1_250_050, weightedValueCents: 250_010 },
      { stageId: ID, stageName: 'Proposal, sent', deals: 1, valueCents: 99, weightedValueCents: 49.5 },
    ],
    total: { deals: 4, valueCents: 1_250_149, weightedValueCents: 250_059.5 },
  });

  it('puts exactly the chart\'s numbers in the CSV, in currency units', () => {
    const csv = csvSeries(pipeline);
    expect(csv.header).toEqual(['Stage', 'Open deals', 'Value (EUR)', 'Weighted value (EUR)']);
    expect(csv.rows.map((r) => r[0])).toEqual(chartLabels(pipeline));
    for (const s of chartSeries(pipeline)) expect(csv.column(`${s.label} (EUR)`)).toEqual(s.data);
    expect(chartSeries(pipeline)[0]!.data).toEqual([12500.5, 0.99]);
  });

  it('writes rates as percentages and a missing rate as an empty cell', () => {
    const bands = backtestBandsTable({
      daysBeforeClose: 7, closedDeals: 10, aucGain: 0.1,
      ours: { auc: 0.8, n: 10, won: 5, lost: 5, skipped: 0, bands: [{ band: 'low', deals: 4, won: 3, winRate: 0.75 }, { band: 'high', deals: 6, won: 2, winRate: 1 / 3 }] },
      baseline: { auc: 0.7, n: 10, won: 5, lost: 5, skipped: 0, bands: [{ band: 'medium', deals: 10, won: 5, winRate: 0.5 }] },
      oursShuffled: { auc: 0.5, n: 10, won: 5, lost: 5, skipped: 0, bands: [] },
    });
    const csv = csvSeries(bands);
    expect(csv.column('Win rate (ours) (%)')).toEqual([75, null, 33.3]);
    expect(csv.column('Win rate (baseline) (%)')).toEqual([null, 50, null]);
    expect(chartSeries(bands).map((s) => s.data)).toEqual([[75, null, 33.3], [null, 50, null]]);
  });

  it('names reps, and guards names a spreadsheet would run as formulas', () => {
    const table = activityPerRepTable({ rows: [{ ownerId: ID, email: 1, call: 2, meeting: 0, note: 0, task: 0, total: 3 }, { ownerId: null, email: 0, call: 0, meeting: 1, note: 0, task: 0, total: 1 }] }, (id) => (id ? '=HYPERLINK("x")' : 'Nobody'));
    const csv = csvSeries(table);
    expect(csv.rows.map((r) => r[0])).toEqual(['\'=HYPERLINK("x")', 'Nobody']);
    expect(csv.column('Total')).toEqual([3, 1]);
  });

  it('forecast: this month, next month and overdue, with no "won so far" for overdue', () => {
    const bucket = { deals: 2, valueCents: 10_000, weightedValueCents: 5_000, adjustedValueCents: 4_000 };
    const t = forecastTable({ currency: 'USD', months: [{ month: '2026-12', ...bucket, wonValueCents: 700 }, { month: '2027-01', ...bucket, wonValueCents: 0 }], overdue: bucket, withoutCloseDate: 1, winRateByStage: [] });
    expect(chartLabels(t)).toEqual(['Dec 2026', 'Jan 2027', 'Overdue']);
    expect(csvSeries(t).column('Won so far (USD)')).toEqual([7, 0, null]);
  });

  it('win rate by rep sorts by name', () => {
    const stats = { won: 1, lost: 1, winRate: 0.5, wonValueCents: 100, averageDealSizeCents: 100 };
    const names: Record<string, string> = { a: 'Zoe', b: 'Adam' };
    const t = winRatesByRepTable({ currency: 'USD', byMonth: [], byOwner: [{ ownerId: 'a', ...stats }, { ownerId: 'b', ...stats }] }, (id) => names[id!]!);
    expect(chartLabels(t)).toEqual(['Adam', 'Zoe']);
  });

  it.each([
    ['money', 123_456, 1234.56],
    ['percent', 0.4567, 45.7],
    ['ratio', 0.71234, 0.712],
    ['days', 3.26, 3.3],
    ['count', 7, 7],
    ['money', null, null],
  ] as const)('figure(%s, %s) = %s', (kind, value, expected) => {
    expect(figure(kind, value)).toBe(expected);
  });
});
