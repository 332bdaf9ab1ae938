// The web app's pipeline board and deal table: every deal of one pipeline that matches the filters,
// as compact cards (one query, however many deals), the CSV export of the same, and bulk actions
// (reassign, move, delete) that go through the same service as one-deal changes, all or nothing.
import { and, asc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { centsToDecimal, toCsv } from '../../../core/reports/csv.ts';
import { daysInStage } from '../../../core/deals/stage-age.ts';
import { AppError, forbidden } from '../../../core/errors.ts';
import { canWrite } from '../../../core/roles.ts';
import type { BoardDeal, BoardSort, DealBoard, DealBoardCards, DealBoardCardsQuery, DealBoardQuery, DealBulkAction, DealBulkResult, DealExportQuery, DealFilters } from '../../../core/schemas/board.ts';
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

/**
 * How each sort orders a column: a key (null: by name alone), its direction and its SQL type (for
 * reading a cursor's key back). Then always lower-cased name in byte order, then id: the same order
 * the web app keeps (ui/dashboard/board/board-model.ts), so a page fetched later joins where the
 * earlier one ended.
 */
const sortKeys: Record<BoardSort, { key: SQL; dir: 'asc' | 'desc'; type: SQL } | null> = {
  close: { key: sql`coalesce(${deals.expectedCloseDate}, '9999-12-31'::date)`, dir: 'asc', type: sql`date` },
  value: { key: sql`${deals.valueCents}`, dir: 'desc', type: sql`bigint` },
  // In the points every answer shows (presentRisk rounds), so equal scores on screen are in name order.
  risk: { key: sql`coalesce(floor(${dealRisk.score} * 100 + 0.5), -1)`, dir: 'desc', type: sql`double precision` },
  age: { key: sql`${deals.stageChangedAt}`, dir: 'asc', type: sql`timestamptz` },
  name: null,
};
const nameKey = sql`lower(${deals.name}) collate "C"`;

function orderOf(sort: BoardSort): SQL {
  const k = sortKeys[sort];
  return k ? sql`${k.key} ${sql.raw(k.dir)}, ${nameKey}, ${deals.id}` : sql`${nameKey}, ${deals.id}`;
}

/** A cursor: the last card's sort key (as Postgres prints it), name and id. Opaque to clients. */
type Cursor = [key: string | null, name: string, id: string];
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(text: string, sort: BoardSort): Cursor {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    c = null;
  }
  const ok =
    Array.isArray(c) && c.length === 3 && typeof c[1] === 'string' && typeof c[2] === 'string' && UUID.test(c[2]) &&
    (sortKeys[sort] ? typeof c[0] === 'string' : c[0] === null);
  if (!ok) throw new AppError('VALIDATION_FAILED', '`after` is not a cursor of this board and sort: pass a `next` from an answer with the same sort');
  return c as Cursor;
}

/** Cards after the cursor in the sort's order. */
function afterCursor(sort: BoardSort, [key, name, id]: Cursor): SQL {
  const rest = sql`(${nameKey}, ${deals.id}) > (lower(${name}) collate "C", ${id}::uuid)`;
  const k = sortKeys[sort];
  if (!k || key === null) return rest;
  const value = sql`cast(${key} as ${k.type})`;
  return sql`(${k.key} ${sql.raw(k.dir === 'asc' ? '>' : '<')} ${value} or (${k.key} = ${value} and ${rest}))`;
}

/** What every part of one board reads: the pipeline's deals the actor may see, open or closed lately, filtered. */
function boardConditions(s: Scope, pipelineId: string, q: DealFilters): SQL | undefined {
  const closedSince = closedSinceOf(s.now());
  return and(
    eq(deals.pipelineId, pipelineId),
    isNull(deals.deletedAt),
    visibleTo(s.actor),
    or(isNull(deals.outcome), gte(deals.stageChangedAt, new Date(`${closedSince}T00:00:00Z`))),
    ...dealFilterConditions(s, q),
  );
}

/** Cards of these ids in this order (one query with the joins, for a page chosen without them). */
async function cardsInOrder(s: Scope, ids: string[]): Promise<BoardDeal[]> {
  if (ids.length === 0) return [];
  const rows = await selectCards(s).where(inArray(deals.id, ids));
  const byId = new Map(rows.map((r) => [r.id, presentCard(r)]));
  return ids.map((id) => byId.get(id)).filter((c): c is BoardDeal => c !== undefined);
}

/**
 * The board's first answer: per column the count and totals of every matching deal (summed in SQL)
 * and its first `perColumn` cards in the chosen sort, with a cursor to the rest. Two light queries
 * choose (the totals, and each column's first cards by a window over the deals alone), one reads
 * the chosen cards with their company, owner and risk.
 */
export async function dealBoard(s: Scope, q: DealBoardQuery): Promise<DealBoard> {
  const pipeline = await getPipeline(s, q.pipelineId ?? (await defaultPipelineId(s)));
  const where = boardConditions(s, pipeline.id, q);
  const key = sortKeys[q.sort];
  const needsRisk = q.sort === 'risk';
  const [totals, firstCards, norms] = await Promise.all([
    s.db
      .select({
        stageId: deals.stageId,
        currency: deals.currency,
        count: sql<number>`count(*)::int`,
        valueCents: sql<string>`sum(${deals.valueCents})`,
        weighted: sql<string>`sum(${deals.valueCents} * ${deals.probability})`,
      })
      .from(deals)
      .where(where)
      .groupBy(deals.stageId, deals.currency),
    q.perColumn === 0
      ? Promise.resolve([])
      : (() => {
          const base = s.db
            .select({
              id: deals.id,
              stageId: deals.stageId,
              name: deals.name,
              key: (key ? sql<string>`(${key.key})::text` : sql<null>`null::text`).as('sort_key'),
              rank: sql<number>`row_number() over (partition by ${deals.stageId} order by ${orderOf(q.sort)})`.as('rank'),
            })
            .from(deals);
          const ranked = (needsRisk ? base.leftJoin(dealRisk, and(eq(dealRisk.orgId, deals.orgId), eq(dealRisk.dealId, deals.id))) : base).where(where).as('ranked');
          // One more than shown: whether a column has a next page.
          return s.db.select().from(ranked).where(sql`${ranked.rank} <= ${q.perColumn + 1}`).orderBy(ranked.stageId, ranked.rank);
        })(),
    stageNorms(s, pipeline.id),
  ]);
  const shown = firstCards.filter((r) => r.rank <= q.perColumn);
  const cards = new Map((await cardsInOrder(s, shown.map((r) => r.id))).map((c) => [c.id, c]));
  const columns = pipeline.stages.map((stage) => {
    const ranked = firstCards.filter((r) => r.stageId === stage.id);
    const page = ranked.slice(0, q.perColumn);
    const last = page.at(-1);
    const stageTotals = totals
      .filter((t) => t.stageId === stage.id)
      .map((t) => ({ currency: t.currency, count: t.count, valueCents: Number(t.valueCents), weightedCents: Number(t.weighted) / 100 }))
      .sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
    return {
      stageId: stage.id,
      count: stageTotals.reduce((n, t) => n + t.count, 0),
      totals: stageTotals,
      deals: page.map((r) => cards.get(r.id)).filter((c): c is BoardDeal => c !== undefined),
      next: ranked.length > q.perColumn && last ? encodeCursor([last.key, last.name, last.id]) : null,
    };
  });
  return { pipeline, sort: q.sort, columns, closedSince: closedSinceOf(s.now()), stageNorms: norms };
}

/** Cards of a board after a cursor, in the board's sort: "Show more" in a column (with `stage`), or the deal table (without). */
export async function boardCardsPage(s: Scope, q: DealBoardCardsQuery): Promise<DealBoardCards> {
  const pipeline = await getPipeline(s, q.pipelineId ?? (await defaultPipelineId(s)));
  const cursor = q.after === undefined ? null : decodeCursor(q.after, q.sort);
  const key = sortKeys[q.sort];
  const base = s.db
    .select({ id: deals.id, name: deals.name, key: key ? sql<string>`(${key.key})::text` : sql<null>`null::text` })
    .from(deals);
  const rows = await (q.sort === 'risk' ? base.leftJoin(dealRisk, and(eq(dealRisk.orgId, deals.orgId), eq(dealRisk.dealId, deals.id))) : base)
    .where(and(boardConditions(s, pipeline.id, q), cursor ? afterCursor(q.sort, cursor) : undefined))
    .orderBy(orderOf(q.sort))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { deals: await cardsInOrder(s, page.map((r) => r.id)), next: rows.length > q.limit && last ? encodeCursor([last.key, last.name, last.id]) : null };
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
