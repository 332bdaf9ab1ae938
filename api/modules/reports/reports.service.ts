// Pipeline reports within the actor's scope (reps: their own; a manager in a team: the team's;
// others: the organization's). The database adds up what each report needs (core/reports'
// *FromTotals and *OfPaths inputs) and the pure report maths in core/reports does the rest, so a
// pipeline of 100,000 deals costs a few grouped queries, not 100,000 rows. Stage histories come
// from deal_stage_paths and deal_stage_stays, activity counts from activity_day_counts: rollups
// that triggers keep (db/migrations/0013). A closed deal's closing time is when it entered its
// closing stage (deals.stage_changed_at). Each report also flattens to CSV rows.
import { sql, type SQL } from 'drizzle-orm';
import { activityCountsFromTotals, type ActivityTotals } from '../../../core/reports/activity-counts.ts';
import { toCsv, type CsvCell } from '../../../core/reports/csv.ts';
import type { DaysInStageRow } from '../../../core/reports/days-in-stage.ts';
import { forecastFromTotals, type OpenTotals } from '../../../core/reports/forecast.ts';
import { monthOf } from '../../../core/reports/period.ts';
import { pipelineByStageFromTotals, type StageTotals } from '../../../core/reports/pipeline-by-stage.ts';
import { salesVelocityFromTotals, type VelocityTotals } from '../../../core/reports/sales-velocity.ts';
import { stageConversionOfPaths } from '../../../core/reports/stage-conversion.ts';
import { openStagesInOrder, round1, type ReportStage, type StagePath } from '../../../core/reports/types.ts';
import { winRatesByMonthFromTotals, winRatesByOwnerFromTotals, type ClosedTotals } from '../../../core/reports/win-rates.ts';
import { AppError } from '../../../core/errors.ts';
import type { Outcome } from '../../../core/risk/types.ts';
import { activityTypes } from '../../../core/schemas/activities.ts';
import type { ReportName, ReportQuery } from '../../../core/schemas/reports.ts';
import { rowsOf } from '../../../db/client.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { uuidArray, wordArray } from '../../../db/sql-arrays.ts';
import { ownersForReport } from './report-owners.ts';
import { defaultPipelineId } from '../pipelines/pipelines.service.ts';

const DAY_MS = 86_400_000;

interface ReportScope {
  orgId: string;
  stages: ReportStage[];
  /** Deals of the report's pipeline within the actor's scope, on the given alias of deals. */
  deals: (alias: string) => SQL;
  /** The same on a rollup table, which carries its deal's pipeline, owner and liveness. */
  rollup: (alias: string) => SQL;
  /** The owners whose activities count; null: everyone's. */
  owners: string[] | null;
  currency: string;
  /** `column` within the report's date range (true without one). */
  inRange: (column: SQL) => SQL;
  /** Deals of a rollup alias created within the date range (true without one). */
  createdInRange: (alias: string) => SQL;
}

async function reportScopeOf(s: Scope, q: ReportQuery): Promise<ReportScope> {
  // JIT compiling pays off for long analytics, not for queries of tens of milliseconds.
  await s.db.execute(sql`set local jit = off`);
  const pipelineId = q.pipelineId ?? (await defaultPipelineId(s));
  const stageRows = rowsOf<{ id: string; name: string; position: number; is_won: boolean; is_lost: boolean }>(
    await s.db.execute(sql`select id, name, position, is_won, is_lost from pipeline_stages where org_id = ${s.orgId} and pipeline_id = ${pipelineId}`),
  );
  if (stageRows.length === 0) throw new AppError('INVALID_REFERENCE', 'pipelineId: no such pipeline', [{ path: 'pipelineId', message: 'no such pipeline' }]);
  const owners = await ownersForReport(s, q);
  const inRange = (column: SQL) =>
    sql`${q.from ? sql`${column} >= ${q.from}::timestamptz` : sql`true`} and ${q.to ? sql`${column} < ${q.to}::timestamptz` : sql`true`}`;
  return {
    inRange,
    createdInRange: (alias) =>
      q.from || q.to
        ? sql`exists (select 1 from deals cd where cd.org_id = ${s.orgId} and cd.id = ${sql.raw(alias)}.deal_id and ${inRange(sql`cd.created_at`)})`
        : sql`true`,
    orgId: s.orgId,
    stages: stageRows.map((st) => ({ id: st.id, name: st.name, position: st.position, isWon: st.is_won, isLost: st.is_lost })),
    deals: (alias) => {
      const d = sql.raw(alias);
      return sql`${d}.org_id = ${s.orgId} and ${d}.pipeline_id = ${pipelineId} and ${d}.deleted_at is null${owners ? sql` and ${d}.owner_id = any(${uuidArray(owners)})` : sql``}`;
    },
    rollup: (alias) => {
      const r = sql.raw(alias);
      return sql`${r}.org_id = ${s.orgId} and ${r}.pipeline_id = ${pipelineId} and ${r}.live${owners ? sql` and ${r}.owner_id = any(${uuidArray(owners)})` : sql``}`;
    },
    owners,
    currency: q.currency,
  };
}

async function stageTotals(s: Scope, rs: ReportScope): Promise<StageTotals[]> {
  const rows = rowsOf<{ stage_id: string; deals: number; value_cents: number; vp: number }>(
    await s.db.execute(sql`
      select stage_id, count(*)::int as deals, sum(value_cents)::float8 as value_cents, sum(value_cents * probability)::float8 as vp
      from deals d where ${rs.deals('d')} and d.outcome is null and d.currency = ${rs.currency}
        and ${rs.inRange(sql`(d.expected_close_date::timestamp at time zone 'UTC')`)}
      group by stage_id`),
  );
  return rows.map((r) => ({ stageId: r.stage_id, deals: r.deals, valueCents: r.value_cents, valueTimesProbability: r.vp }));
}

async function closedTotals(s: Scope, rs: ReportScope): Promise<ClosedTotals[]> {
  const rows = rowsOf<{ month: string; owner_id: string | null; outcome: Outcome; deals: number; value_cents: number }>(
    await s.db.execute(sql`
      select to_char(d.stage_changed_at at time zone 'UTC', 'YYYY-MM') as month, d.owner_id, d.outcome, count(*)::int as deals, sum(d.value_cents)::float8 as value_cents
      from deals d where ${rs.deals('d')} and d.outcome is not null and d.currency = ${rs.currency} and ${rs.inRange(sql`d.stage_changed_at`)}
      group by 1, 2, 3`),
  );
  return rows.map((r) => ({ month: r.month, ownerId: r.owner_id, outcome: r.outcome, deals: r.deals, valueCents: r.value_cents }));
}

async function velocityTotals(s: Scope, rs: ReportScope): Promise<VelocityTotals> {
  const closedInRange = rs.inRange(sql`d.stage_changed_at`);
  const [r] = rowsOf<{ open_deals: number; closed_deals: number; won_deals: number; won_value: number; won_days: number }>(
    await s.db.execute(sql`
      select count(*) filter (where d.outcome is null)::int as open_deals,
             count(*) filter (where d.outcome is not null and ${closedInRange})::int as closed_deals,
             count(*) filter (where d.outcome = 'won' and ${closedInRange})::int as won_deals,
             coalesce(sum(d.value_cents) filter (where d.outcome = 'won' and ${closedInRange}), 0)::float8 as won_value,
             coalesce(sum(extract(epoch from d.stage_changed_at - d.created_at)) filter (where d.outcome = 'won' and ${closedInRange}), 0)::float8 / 86400 as won_days
      from deals d where ${rs.deals('d')} and d.currency = ${rs.currency}`),
  );
  return { openDeals: r!.open_deals, closedDeals: r!.closed_deals, wonDeals: r!.won_deals, wonValueCents: r!.won_value, wonCycleDays: r!.won_days };
}

/** Stage paths of the scope's deals; only closed ones when `closedOnly`; only deals created in the date range when `createdInRange`. */
async function stagePaths(s: Scope, rs: ReportScope, { closedOnly, createdInRange = false }: { closedOnly: boolean; createdInRange?: boolean }): Promise<StagePath[]> {
  const rows = rowsOf<{ stage_ids: string[] | string; outcome: Outcome | null; deals: number }>(
    await s.db.execute(sql`
      select p.stage_ids, p.outcome, count(*)::int as deals
      from deal_stage_paths p
      where ${rs.rollup('p')}${closedOnly ? sql` and p.outcome is not null` : sql``}${createdInRange ? sql` and ${rs.createdInRange('p')}` : sql``}
      group by p.stage_ids, p.outcome`),
  );
  return rows.map((r) => ({ stageIds: uuidList(r.stage_ids), outcome: r.outcome, deals: r.deals }));
}

async function daysInStageRows(s: Scope, rs: ReportScope): Promise<DaysInStageRow[]> {
  const rows = rowsOf<{ stage_id: string; deals: number; average: number; median: number }>(
    await s.db.execute(sql`
      select st.stage_id, count(*)::int as deals, avg(st.days)::float8 as average, percentile_cont(0.5) within group (order by st.days)::float8 as median
      from deal_stage_stays st
      where ${rs.rollup('st')} and ${rs.createdInRange('st')}
      group by st.stage_id`),
  );
  const byStage = new Map(rows.map((r) => [r.stage_id, r]));
  // As core/reports/days-in-stage.ts: every open stage, finished stays only, 1 decimal.
  return openStagesInOrder(rs.stages).map((stage) => {
    const r = byStage.get(stage.id);
    return { stageId: stage.id, stageName: stage.name, deals: r?.deals ?? 0, averageDays: r ? round1(r.average) : null, medianDays: r ? round1(r.median) : null };
  });
}

/** Open deals by stage and expected close month, and the value won by month since `fromMonth`: one pass over the deals. */
async function forecastDealTotals(s: Scope, rs: ReportScope, fromMonth: string): Promise<{ open: OpenTotals[]; won: Record<string, number> }> {
  const rows = rowsOf<{ stage_id: string; close_month: string | null; won_month: string | null; deals: number; value_cents: number; vp: number }>(
    await s.db.execute(sql`
      select case when d.outcome is null then d.stage_id end as stage_id,
             case when d.outcome is null then to_char(d.expected_close_date, 'YYYY-MM') end as close_month,
             case when d.outcome = 'won' then to_char(d.stage_changed_at at time zone 'UTC', 'YYYY-MM') end as won_month,
             count(*)::int as deals, sum(d.value_cents)::float8 as value_cents, sum(d.value_cents * d.probability)::float8 as vp
      from deals d where ${rs.deals('d')} and d.currency = ${rs.currency}
        and (d.outcome is null or (d.outcome = 'won' and d.stage_changed_at >= ${`${fromMonth}-01T00:00:00Z`}::timestamptz))
      group by 1, 2, 3`),
  );
  const open: OpenTotals[] = [];
  const won: Record<string, number> = {};
  for (const r of rows) {
    if (r.won_month !== null) won[r.won_month] = (won[r.won_month] ?? 0) + r.value_cents;
    else open.push({ stageId: r.stage_id!, closeMonth: r.close_month, deals: r.deals, valueCents: r.value_cents, valueTimesProbability: r.vp });
  }
  return { open, won };
}

/**
 * Activities of the scope's owners with from <= occurredAt < to. Whole UTC days come from the daily
 * rollup; the partial days at either end are counted from the activities themselves.
 */
async function activityTotals(s: Scope, rs: ReportScope, q: ReportQuery): Promise<ActivityTotals[]> {
  const from = q.from ? new Date(q.from) : null;
  const to = q.to ? new Date(q.to) : null;
  const types = wordArray(activityTypes);
  const owners = rs.owners ? sql` and owner_id = any(${uuidArray(rs.owners)})` : sql``;
  const firstWholeDay = from ? new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS) : null;
  const endWholeDays = to ? new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS) : null;
  const parts: SQL[] = [];
  const raw = (a: Date | null, b: Date | null) =>
    sql`select owner_id, type, count(*)::int as n from activities where org_id = ${rs.orgId} and deleted_at is null and type = any(${types})${owners}
        ${a ? sql` and occurred_at >= ${a.toISOString()}::timestamptz` : sql``}${b ? sql` and occurred_at < ${b.toISOString()}::timestamptz` : sql``}
        group by owner_id, type`;
  if (firstWholeDay && endWholeDays && firstWholeDay >= endWholeDays) {
    parts.push(raw(from, to)); // less than two days: no whole day in between
  } else {
    const day = (d: Date) => sql`${d.toISOString().slice(0, 10)}::date`;
    parts.push(sql`select owner_id, type, sum(activities)::int as n from activity_day_counts where org_id = ${rs.orgId} and type = any(${types})${owners}
      ${firstWholeDay ? sql` and day >= ${day(firstWholeDay)}` : sql``}${endWholeDays ? sql` and day < ${day(endWholeDays)}` : sql``}
      group by owner_id, type`);
    if (from && firstWholeDay! > from) parts.push(raw(from, firstWholeDay));
    if (to && endWholeDays! < to) parts.push(raw(endWholeDays, to));
  }
  const rows = rowsOf<{ owner_id: string | null; type: ActivityTotals['type']; n: number }>(
    await s.db.execute(sql`select owner_id, type, sum(n)::int as n from (${sql.join(parts, sql` union all `)}) x group by owner_id, type`),
  );
  return rows.map((r) => ({ ownerId: r.owner_id, type: r.type, activities: r.n }));
}

/** postgres.js parses uuid[] into an array; other paths may hand back '{a,b}'. */
const uuidList = (v: string[] | string): string[] => (Array.isArray(v) ? v : v.replace(/^\{|\}$/g, '').split(',').filter(Boolean));

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** Runs one report: its JSON answer and the rows its CSV is made of. */
export async function runReport(s: Scope, name: ReportName, q: ReportQuery): Promise<{ json: unknown; csv: string }> {
  const rs = await reportScopeOf(s, q);
  const currency = { currency: q.currency };
  const stageName = new Map(rs.stages.map((st) => [st.id, st.name]));
  switch (name) {
    case 'pipeline-by-stage': {
      const r = pipelineByStageFromTotals(rs.stages, await stageTotals(s, rs), currency);
      return { json: r, csv: csvOf([...r.rows, { stageId: '', stageName: 'Total', ...r.total }]) };
    }
    case 'stage-conversion': {
      const rows = stageConversionOfPaths(rs.stages, await stagePaths(s, rs, { closedOnly: false, createdInRange: true }));
      return { json: { rows }, csv: csvOf(rows) };
    }
    case 'days-in-stage': {
      const rows = await daysInStageRows(s, rs);
      return { json: { rows }, csv: csvOf(rows) };
    }
    case 'win-rates': {
      const totals = await closedTotals(s, rs);
      const byMonth = winRatesByMonthFromTotals(totals);
      const byOwner = winRatesByOwnerFromTotals(totals);
      return {
        json: { currency: q.currency, byMonth, byOwner },
        csv: csvOf([
          ...byMonth.map(({ month, ...st }) => ({ group: 'month', key: month, ...st, winRate: pct(st.winRate) })),
          ...byOwner.map(({ ownerId, ...st }) => ({ group: 'owner', key: ownerId ?? '', ...st, winRate: pct(st.winRate) })),
        ]),
      };
    }
    case 'sales-velocity': {
      const r = salesVelocityFromTotals(await velocityTotals(s, rs), currency);
      return { json: r, csv: csvOf([r]) };
    }
    case 'activity-counts': {
      const rows = activityCountsFromTotals(await activityTotals(s, rs, q));
      return { json: { rows }, csv: csvOf(rows) };
    }
    case 'forecast': {
      const now = s.now();
      const thisMonth = monthOf(now);
      const { open, won } = await forecastDealTotals(s, rs, thisMonth);
      const paths = await stagePaths(s, rs, { closedOnly: true });
      const r = forecastFromTotals({ ...currency, stages: rs.stages, totals: { open, wonValueCentsByMonth: won, paths }, now });
      const rows = [
        ...r.months.map((m) => ({ bucket: m.month, ...m })),
        { bucket: 'overdue', month: '', ...r.overdue, wonValueCents: null },
      ];
      const json = { ...r, winRateByStage: Object.entries(r.winRateByStage).map(([stageId, w]) => ({ stageId, stageName: stageName.get(stageId) ?? '', ...w })) };
      return { json, csv: csvOf(rows.map(({ month: _m, ...row }) => row)) };
    }
  }
}

/** CSV with the rows' own keys as headers (every row of a report has the same keys). */
function csvOf<T extends object>(rows: readonly T[]): string {
  const keys = rows[0] ? Object.keys(rows[0]) : [];
  return toCsv(rows, keys.map((k) => ({ header: k, value: (row: T) => cell((row as Record<string, unknown>)[k]) })));
}

const cell = (v: unknown): CsvCell => (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date ? v : JSON.stringify(v));
