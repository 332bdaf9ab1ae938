// Pipeline reports: loads one pipeline's deals, stage history and activities within the actor's
// scope (reps: their own; a manager in a team: the team's; others: the organization's) and hands
// them to the pure report maths in core/reports. Each report also flattens to CSV rows.
import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { activityCounts } from '../../core/reports/activity-counts.ts';
import { toCsv, type CsvCell } from '../../core/reports/csv.ts';
import { daysInStage } from '../../core/reports/days-in-stage.ts';
import { forecast } from '../../core/reports/forecast.ts';
import { pipelineByStage } from '../../core/reports/pipeline-by-stage.ts';
import { salesVelocity } from '../../core/reports/sales-velocity.ts';
import { stageConversion } from '../../core/reports/stage-conversion.ts';
import type { ReportActivity, ReportDeal, ReportStage, ReportStageChange } from '../../core/reports/types.ts';
import { winRatesByMonth, winRatesByOwner } from '../../core/reports/win-rates.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import type { ReportName, ReportQuery } from '../../core/schemas/reports.ts';
import type { Tx } from '../../db/client.ts';
import { activities, deals, dealStageHistory, pipelineStages } from '../../db/schema.ts';
import { ownerIdsInScope } from './at-risk.service.ts';
import { defaultPipelineId } from './pipelines.service.ts';

interface ReportData {
  stages: ReportStage[];
  deals: ReportDeal[];
  history: ReportStageChange[];
  activities: ReportActivity[];
}

async function loadReportData(tx: Tx, actor: Actor, q: ReportQuery, needs: { activities: boolean }): Promise<ReportData> {
  const pipelineId = q.pipelineId ?? (await defaultPipelineId(tx));
  const stageRows = await tx.select().from(pipelineStages).where(and(eq(pipelineStages.orgId, actor.orgId), eq(pipelineStages.pipelineId, pipelineId)));
  if (stageRows.length === 0) throw new AppError('INVALID_REFERENCE', 'pipelineId: no such pipeline', [{ path: 'pipelineId', message: 'no such pipeline' }]);
  const owners = await ownerIdsInScope(tx, actor, q.scope);
  const dealRows = await tx
    .select({
      id: deals.id, ownerId: deals.ownerId, stageId: deals.stageId, valueCents: deals.valueCents, currency: deals.currency, probability: deals.probability,
      createdAt: deals.createdAt, expectedCloseDate: deals.expectedCloseDate, outcome: deals.outcome, actualCloseDate: deals.actualCloseDate,
      // The last move into the closing stage; the close date when the history has none.
      closedAt: sql<string | null>`case when ${deals.outcome} is null then null else coalesce(
        (select max(h.changed_at) from ${dealStageHistory} h where h.org_id = ${deals.orgId} and h.deal_id = ${deals.id} and h.to_stage_id = ${deals.stageId})::text,
        ${deals.actualCloseDate}::text) end`,
    })
    .from(deals)
    .where(and(eq(deals.orgId, actor.orgId), eq(deals.pipelineId, pipelineId), isNull(deals.deletedAt), owners ? inArray(deals.ownerId, owners) : undefined));
  const ids = dealRows.map((d) => d.id);
  const history = ids.length
    ? await tx
        .select({ dealId: dealStageHistory.dealId, toStageId: dealStageHistory.toStageId, changedAt: dealStageHistory.changedAt })
        .from(dealStageHistory)
        .where(and(eq(dealStageHistory.orgId, actor.orgId), inArray(dealStageHistory.dealId, ids)))
    : [];
  const activityRows = needs.activities
    ? await tx
        .select({ ownerId: activities.ownerId, type: activities.type, occurredAt: activities.occurredAt })
        .from(activities)
        .where(
          and(
            eq(activities.orgId, actor.orgId),
            isNull(activities.deletedAt),
            q.from ? gte(activities.occurredAt, new Date(q.from)) : undefined,
            q.to ? sql`${activities.occurredAt} < ${q.to}::timestamptz` : undefined,
            owners ? inArray(activities.ownerId, owners) : undefined,
          ),
        )
    : [];
  return {
    stages: stageRows.map((s) => ({ id: s.id, name: s.name, position: s.position, isWon: s.isWon, isLost: s.isLost })),
    deals: dealRows.map((d) => ({
      id: d.id, ownerId: d.ownerId, stageId: d.stageId, valueCents: d.valueCents, currency: d.currency, probability: d.probability,
      createdAt: d.createdAt, expectedCloseDate: d.expectedCloseDate, outcome: d.outcome,
      closedAt: d.closedAt === null ? null : new Date(d.closedAt.length === 10 ? `${d.closedAt}T00:00:00Z` : d.closedAt.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')),
    })),
    history,
    activities: activityRows,
  };
}

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** Runs one report: its JSON answer and the rows its CSV is made of. */
export async function runReport(tx: Tx, actor: Actor, name: ReportName, q: ReportQuery): Promise<{ json: unknown; csv: string }> {
  const data = await loadReportData(tx, actor, q, { activities: name === 'activity-counts' });
  const currency = { currency: q.currency };
  const stageName = new Map(data.stages.map((s) => [s.id, s.name]));
  switch (name) {
    case 'pipeline-by-stage': {
      const r = pipelineByStage(data.stages, data.deals, currency);
      return { json: r, csv: csvOf([...r.rows, { stageId: '', stageName: 'Total', ...r.total }]) };
    }
    case 'stage-conversion': {
      const rows = stageConversion(data.stages, data.history);
      return { json: { rows }, csv: csvOf(rows) };
    }
    case 'days-in-stage': {
      const rows = daysInStage(data.stages, data.history);
      return { json: { rows }, csv: csvOf(rows) };
    }
    case 'win-rates': {
      const byMonth = winRatesByMonth(data.deals, currency);
      const byOwner = winRatesByOwner(data.deals, currency);
      return {
        json: { currency: q.currency, byMonth, byOwner },
        csv: csvOf([
          ...byMonth.map(({ month, ...s }) => ({ group: 'month', key: month, ...s, winRate: pct(s.winRate) })),
          ...byOwner.map(({ ownerId, ...s }) => ({ group: 'owner', key: ownerId ?? '', ...s, winRate: pct(s.winRate) })),
        ]),
      };
    }
    case 'sales-velocity': {
      const r = salesVelocity(data.deals, currency);
      return { json: r, csv: csvOf([r]) };
    }
    case 'activity-counts': {
      const rows = activityCounts(data.activities);
      return { json: { rows }, csv: csvOf(rows) };
    }
    case 'forecast': {
      const r = forecast({ ...currency, stages: data.stages, deals: data.deals, history: data.history, now: new Date() });
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
