// The web app's pipeline board and deal table: every deal of one pipeline that matches the filters,
// as compact cards (one query, however many deals), the CSV export of the same, and bulk actions
// (reassign, move, delete) that go through the same service as one-deal changes, all or nothing.
import { and, asc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { centsToDecimal, toCsv } from '../../../core/reports/csv.ts';
import { daysInStage } from '../../../core/deals/stage-age.ts';
import { AppError, forbidden } from '../../../core/errors.ts';
import { canWrite } from '../../../core/roles.ts';
import { BOARD_LIMIT, type BoardDeal, type DealBoard, type DealBoardQuery, type DealBulkAction, type DealBulkResult, type DealExportQuery } from '../../../core/schemas/board.ts';
import type { NextAction, RiskReason } from '../../../core/risk/score.ts';
import { companies, dealRisk, deals, pipelineStages, user } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { defaultPipelineId, getPipeline } from '../pipelines/pipelines.service.ts';
import { stageNorms } from '../reports/stage-norms.service.ts';
import { presentRisk } from '../risk/risk.service.ts';
import { dealFilterConditions } from './deal-filters.ts';
import { deleteDeal, updateDeal, visibleTo } from './deals.service.ts';
import { iso } from './records.ts';

/** Won and lost columns show what closed in this many days. */
export const CLOSED_COLUMN_DAYS = 30;
const DAY_MS = 86_400_000;

const cardColumns = {
  id: deals.id,
  name: deals.name,
  companyId: deals.companyId,
  companyName: companies.name,
  valueCents: deals.valueCents,
  currency: deals.currency,
  pipelineId: deals.pipelineId,
  stage: deals.stageId,
  stageName: pipelineStages.name,
  probability: deals.probability,
  ownerId: deals.ownerId,
  ownerName: user.name,
  expectedCloseDate: deals.expectedCloseDate,
  stageChangedAt: deals.stageChangedAt,
  outcome: deals.outcome,
  source: deals.source,
  createdAt: deals.createdAt,
  updatedAt: deals.updatedAt,
  riskScore: dealRisk.score,
  riskBand: dealRisk.band,
  riskComputedAt: dealRisk.computedAt,
  // The heaviest reason only: a card shows one, and 2,000 cards must stay light.
  topReason: sql<RiskReason | null>`${dealRisk.reasons} -> 0`,
};

const selectCards = (s: Scope) =>
  s.db
    .select(cardColumns)
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .leftJoin(user, eq(user.id, deals.ownerId))
    .leftJoin(dealRisk, and(eq(dealRisk.orgId, deals.orgId), eq(dealRisk.dealId, deals.id)));

type CardRow = Awaited<ReturnType<ReturnType<typeof selectCards>['where']>>[number];

function presentCard(r: CardRow): BoardDeal {
  // Through presentRisk, so the board shows the score exactly as every other deal answer does.
  const risk =
    r.riskScore === null || r.riskBand === null || r.riskComputedAt === null
      ? null
      : presentRisk({ orgId: '', dealId: r.id, score: r.riskScore, band: r.riskBand, reasons: r.topReason ? [r.topReason] : [], nextAction: {} as NextAction, computedAt: r.riskComputedAt, valueCents: null, ownerId: null });
  return {
    id: r.id,
    name: r.name,
    companyId: r.companyId,
    companyName: r.companyName,
    valueCents: r.valueCents,
    currency: r.currency,
    pipelineId: r.pipelineId,
    stage: r.stage,
    probability: r.probability,
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    expectedCloseDate: r.expectedCloseDate,
    stageChangedAt: iso(r.stageChangedAt),
    outcome: r.outcome,
    source: r.source,
    risk: risk && { score: risk.score, band: risk.band, topReason: r.topReason ? { code: r.topReason.code, sentence: r.topReason.sentence } : null },
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

/** Cards of these deals as the actor may see them now (deleted and invisible ones left out). */
export async function boardCards(s: Scope, dealIds: string[]): Promise<BoardDeal[]> {
  if (dealIds.length === 0) return [];
  const rows = await selectCards(s).where(and(inArray(deals.id, dealIds), isNull(deals.deletedAt), visibleTo(s.actor)));
  return rows.map(presentCard);
}

/** The day (UTC) from which closed deals still show in the won and lost columns. */
export const closedSinceOf = (now: Date) => new Date(now.getTime() - CLOSED_COLUMN_DAYS * DAY_MS).toISOString().slice(0, 10);

export async function dealBoard(s: Scope, q: DealBoardQuery): Promise<DealBoard> {
  const pipeline = await getPipeline(s, q.pipelineId ?? (await defaultPipelineId(s)));
  const closedSince = closedSinceOf(s.now());
  const rows = await selectCards(s)
    .where(
      and(
        eq(deals.pipelineId, pipeline.id),
        isNull(deals.deletedAt),
        visibleTo(s.actor),
        or(isNull(deals.outcome), gte(deals.stageChangedAt, new Date(`${closedSince}T00:00:00Z`))),
        ...dealFilterConditions(s, q),
      ),
    )
    // Soonest to close first; the client orders within a column as the person chooses.
    .orderBy(sql`${deals.expectedCloseDate} asc nulls last`, asc(deals.name), asc(deals.id))
    .limit(BOARD_LIMIT + 1);
  return {
    pipeline,
    deals: rows.slice(0, BOARD_LIMIT).map(presentCard),
    closedSince,
    stageNorms: await stageNorms(s, pipeline.id),
    truncated: rows.length > BOARD_LIMIT,
  };
}

/** At most this many rows in one export. */
export const EXPORT_LIMIT = 50_000;

export async function exportDealsCsv(s: Scope, q: DealExportQuery): Promise<string> {
  const statusFilter: SQL | undefined = q.status === 'open' ? isNull(deals.outcome) : q.status === 'all' ? undefined : eq(deals.outcome, q.status);
  const closedFilter = q.closedSince ? or(isNull(deals.outcome), gte(deals.stageChangedAt, new Date(`${q.closedSince}T00:00:00Z`))) : undefined;
  const rows = await selectCards(s)
    .where(and(isNull(deals.deletedAt), visibleTo(s.actor), q.pipelineId ? eq(deals.pipelineId, q.pipelineId) : undefined, statusFilter, closedFilter, ...dealFilterConditions(s, q)))
    .orderBy(sql`${deals.expectedCloseDate} asc nulls last`, asc(deals.name), asc(deals.id))
    .limit(EXPORT_LIMIT);
  const now = s.now();
  return toCsv(rows, [
    { header: 'id', value: (r) => r.id },
    { header: 'name', value: (r) => r.name },
    { header: 'company', value: (r) => r.companyName },
    { header: 'value', value: (r) => centsToDecimal(r.valueCents) },
    { header: 'currency', value: (r) => r.currency },
    { header: 'stage', value: (r) => r.stageName },
    { header: 'probability', value: (r) => r.probability },
    { header: 'owner', value: (r) => r.ownerName },
    { header: 'expected_close_date', value: (r) => r.expectedCloseDate },
    { header: 'days_in_stage', value: (r) => (r.outcome ? null : daysInStage(r.stageChangedAt, now)) },
    { header: 'risk_score', value: (r) => (r.riskScore === null ? null : presentCard(r).risk?.score) },
    { header: 'risk_band', value: (r) => r.riskBand },
    { header: 'risk_reason', value: (r) => r.topReason?.sentence ?? null },
    { header: 'source', value: (r) => r.source },
    { header: 'outcome', value: (r) => r.outcome },
    { header: 'created_at', value: (r) => r.createdAt },
  ]);
}

/**
 * One action on many deals, all or nothing: each deal goes through the same service as a one-deal
 * change (permissions, stage history, default probability, audit, events, risk), in one
 * transaction; the first refusal undoes the rest and names the deal it concerns.
 */
export async function bulkDeals(s: Scope, input: DealBulkAction): Promise<DealBulkResult> {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot change deals');
  const ids = [...new Set(input.dealIds)];
  for (const id of ids) {
    try {
      if (input.action === 'reassign') await updateDeal(s, id, { ownerId: input.ownerId });
      else if (input.action === 'move') await updateDeal(s, id, { stage: input.stage, ...(input.lostReason !== undefined ? { lostReason: input.lostReason } : {}) });
      else await deleteDeal(s, id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      throw new AppError(err.code, `Nothing was changed: deal ${id}: ${err.message}`, { dealId: id, ...(err.details === undefined ? {} : { cause: err.details }) });
    }
  }
  return { action: input.action, count: ids.length, deals: input.action === 'delete' ? [] : await boardCards(s, ids) };
}
