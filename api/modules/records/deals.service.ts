import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { dealUpdateEvents } from '../../../core/events.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { canReadOwned, canWrite, canWriteOwned, isAdmin, seesAllDealsAndActivities, type Actor } from '../../../core/roles.ts';
import type { DealCreate, DealListQuery, DealUpdate } from '../../../core/schemas/deals.ts';
import type { DealWithRisk as Deal } from '../../../core/schemas/risk.ts';
import { dealContacts, dealRisk, deals, dealStageHistory, pipelineStages, user } from '../../../db/schema/index.ts';
import { recordAudit } from './audit.ts';
import { dealFilterConditions } from './deal-filters.ts';
import { dealsChanged, presentRisk } from '../risk/risk.service.ts';
import { defaultPipelineId, stageById, stagesOf, type StageRow } from '../pipelines/pipelines.service.ts';
import {
  afterCursor,
  assertCompaniesExist,
  assertContactsExist,
  assertMember,
  assertRestorable,
  goneIfPurged,
  cursorKey,
  deletedFilter,
  iso,
  isoOrNull,
  ownerColumns,
  ownerRef,
  toPage,
} from './records.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

type DealRow = typeof deals.$inferSelect;
type Row = { deal: DealRow; stage: StageRow; ownerName: string | null; ownerEmail: string | null; cursorKey: string; risk: typeof dealRisk.$inferSelect | null };

function presentDeal(row: Row, contactIds: string[]): Deal {
  const { deal: d, stage } = row;
  return {
    id: d.id,
    name: d.name,
    valueCents: d.valueCents,
    currency: d.currency,
    pipelineId: d.pipelineId,
    stage: d.stageId,
    stageInfo: { id: stage.id, name: stage.name, isWon: stage.isWon, isLost: stage.isLost },
    probability: d.probability,
    ownerId: d.ownerId,
    owner: ownerRef(d.ownerId, row.ownerName, row.ownerEmail),
    companyId: d.companyId,
    contactIds,
    expectedCloseDate: d.expectedCloseDate,
    actualCloseDate: d.actualCloseDate,
    outcome: d.outcome,
    lostReason: d.lostReason,
    stageChangedAt: iso(d.stageChangedAt),
    customFields: d.customFields,
    source: d.source,
    externalId: d.externalId,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    deletedAt: isoOrNull(d.deletedAt),
    risk: presentRisk(row.risk),
  };
}

export const selectDeals = (s: Scope) =>
  s.db
    .select({ deal: deals, stage: pipelineStages, ...ownerColumns, cursorKey: cursorKey(deals.createdAt), risk: dealRisk })
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .leftJoin(user, eq(user.id, deals.ownerId))
    .leftJoin(dealRisk, and(eq(dealRisk.orgId, deals.orgId), eq(dealRisk.dealId, deals.id)));

/** Presents rows with their contact ids, fetched in one query. */
export async function presentDeals(s: Scope, rows: Row[]): Promise<Deal[]> {
  if (rows.length === 0) return [];
  const links = await s.db
    .select({ dealId: dealContacts.dealId, contactId: dealContacts.contactId })
    .from(dealContacts)
    .where(and(eq(dealContacts.orgId, rows[0]!.deal.orgId), inArray(dealContacts.dealId, rows.map((r) => r.deal.id))));
  return rows.map((r) => presentDeal(r, links.filter((l) => l.dealId === r.deal.id).map((l) => l.contactId)));
}

/** Reps see only their own deals; everyone else sees all of the organization's. */
export const visibleTo = (actor: Actor) => (seesAllDealsAndActivities(actor) ? undefined : eq(deals.ownerId, actor.userId ?? sql`null`));

export async function listDeals(s: Scope, q: DealListQuery) {
  const rows = await selectDeals(s)
    .where(
      and(
        eq(deals.orgId, s.actor.orgId),
        visibleTo(s.actor),
        deletedFilter(s, deals.deletedAt, q.deleted),
        afterCursor(deals.createdAt, deals.id, q.cursor),
        ...dealFilterConditions(s, q),
        q.pipelineId ? eq(deals.pipelineId, q.pipelineId) : undefined,
        q.companyId ? eq(deals.companyId, q.companyId) : undefined,
        q.contactId
          ? sql`exists (select 1 from ${dealContacts} where ${dealContacts.dealId} = ${deals.id} and ${dealContacts.contactId} = ${q.contactId})`
          : undefined,
        q.status === 'open' ? isNull(deals.outcome) : q.status ? eq(deals.outcome, q.status) : undefined,
      ),
    )
    .orderBy(desc(deals.createdAt), desc(deals.id))
    .limit(q.limit + 1);
  const page = toPage(rows.map((r) => ({ ...r, id: r.deal.id })), q.limit, (r) => r);
  return { data: await presentDeals(s, page.data), nextCursor: page.nextCursor };
}

/**
 * Open deals of some contacts or companies (context lookups, email logging). With a viewer, only
 * the deals that viewer may see. Two index lookups joined by UNION, rather than an OR the planner
 * would answer by scanning the organization's deals.
 */
export async function openDealsFor(s: Scope, viewer: Actor | null, contactIds: string[], companyIds: string[]) {
  const sources = [
    contactIds.length
      ? sql`select ${dealContacts.dealId} from ${dealContacts} where ${dealContacts.orgId} = ${s.orgId} and ${inArray(dealContacts.contactId, contactIds)}`
      : undefined,
    companyIds.length ? sql`select ${deals.id} from ${deals} where ${deals.orgId} = ${s.orgId} and ${inArray(deals.companyId, companyIds)}` : undefined,
  ].filter((source): source is SQL => source !== undefined);
  if (sources.length === 0) return [];
  return selectDeals(s)
    .where(and(sql`${deals.id} in (${sql.join(sources, sql` union `)})`, isNull(deals.deletedAt), isNull(deals.outcome), viewer ? visibleTo(viewer) : undefined))
    .orderBy(asc(deals.expectedCloseDate), asc(deals.createdAt))
    .limit(50);
}

async function findDeal(s: Scope, id: string, includeDeleted = false): Promise<Row> {
  const [row] = await selectDeals(s).where(and(eq(deals.id, id), includeDeleted ? undefined : isNull(deals.deletedAt)));
  // A deal the actor may not see is as absent as one that does not exist.
  if (!row || !canReadOwned(s.actor, row.deal.ownerId)) throw notFound('Deal');
  return row;
}

export async function getDeal(s: Scope, id: string) {
  const [deal] = await presentDeals(s, [await findDeal(s, id)]);
  return deal!;
}

/** Outcome fields that follow from entering a stage on `today` (YYYY-MM-DD). */
function closingFields(stage: StageRow, today: string, patch: { lostReason?: string | null }) {
  if (stage.isWon) return { outcome: 'won' as const, actualCloseDate: today, lostReason: null };
  if (stage.isLost) return { outcome: 'lost' as const, actualCloseDate: today, lostReason: patch.lostReason ?? null };
  return { outcome: null, actualCloseDate: null, lostReason: null };
}

async function resolveStage(s: Scope, pipelineId: string, stageId: string | undefined): Promise<StageRow> {
  if (!stageId) {
    const [first] = await stagesOf(s, pipelineId);
    if (!first) throw new AppError('CONFLICT', 'The pipeline has no stages');
    return first;
  }
  const stage = await stageById(s, stageId);
  if (!stage || stage.pipelineId !== pipelineId) {
    throw new AppError('INVALID_REFERENCE', 'stage: not a stage of this deal\'s pipeline', [{ path: 'stage', message: 'not a stage of the pipeline' }]);
  }
  return stage;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export async function createDeal(s: Scope, input: DealCreate) {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot create deals');
  const ownerId = input.ownerId ?? s.actor.userId;
  if (!canWriteOwned(s.actor, ownerId)) throw forbidden('Reps can only create deals they own');
  if (input.ownerId) await assertMember(s, input.ownerId);
  if (input.companyId) await assertCompaniesExist(s, [input.companyId]);
  const contactIds = [...new Set(input.contactIds ?? [])];
  await assertContactsExist(s, contactIds);
  if (input.pipelineId) {
    const exists = await stagesOf(s, input.pipelineId);
    if (exists.length === 0) throw new AppError('INVALID_REFERENCE', 'pipelineId: no such pipeline', [{ path: 'pipelineId', message: 'no such pipeline' }]);
  }
  const pipelineId = input.pipelineId ?? (await defaultPipelineId(s));
  const stage = await resolveStage(s, pipelineId, input.stage);
  const values = {
    orgId: s.actor.orgId,
    name: input.name,
    valueCents: input.valueCents ?? 0,
    currency: input.currency ?? 'USD',
    pipelineId,
    stageId: stage.id,
    probability: input.probability ?? stage.defaultProbability,
    ownerId,
    companyId: input.companyId ?? null,
    expectedCloseDate: input.expectedCloseDate ?? null,
    customFields: input.customFields ?? {},
    ...closingFields(stage, dayOf(s.now()), input),
  };
  const [created] = await s.db.insert(deals).values(values).returning();
  const id = created!.id;
  if (contactIds.length) await s.db.insert(dealContacts).values(contactIds.map((contactId) => ({ orgId: s.actor.orgId, dealId: id, contactId })));
  await s.db.insert(dealStageHistory).values({ orgId: s.orgId, dealId: id, fromStageId: null, toStageId: stage.id, changedAt: s.now(), changedBy: s.actor.userId });
  const changes = fieldChanges({}, { ...values, contactIds });
  await recordAudit(s, 'create', 'deal', id, changes);
  await dealsChanged(s, [id]);
  const deal = await getDeal(s, id);
  await s.emit({ type: 'deal.created', recordId: id, changes, data: { deal } });
  return deal;
}

export async function updateDeal(s: Scope, id: string, patch: DealUpdate) {
  const current = await findDeal(s, id);
  const deal = current.deal;
  if (!canWriteOwned(s.actor, deal.ownerId)) throw forbidden(s.actor.role === 'readonly' ? 'Read-only members cannot change deals' : 'Only the deal\'s owner, a manager or an admin can change it');
  if (patch.ownerId !== undefined && patch.ownerId !== deal.ownerId) {
    if (!canWriteOwned(s.actor, patch.ownerId)) throw forbidden('Reps cannot give their deals to someone else');
    await assertMember(s, patch.ownerId);
  }
  if (patch.companyId) await assertCompaniesExist(s, [patch.companyId]);
  const contactIds = patch.contactIds ? [...new Set(patch.contactIds)] : undefined;
  if (contactIds) await assertContactsExist(s, contactIds);

  const { stage: stageId, contactIds: _contacts, ...fields } = patch;
  const set: Partial<DealRow> = { ...fields };
  const moving = stageId !== undefined && stageId !== deal.stageId;
  if (moving) {
    const stage = await resolveStage(s, deal.pipelineId, stageId);
    Object.assign(set, { stageId: stage.id, stageChangedAt: s.now(), probability: patch.probability ?? stage.defaultProbability }, closingFields(stage, dayOf(s.now()), patch));
    await s.db.insert(dealStageHistory).values({ orgId: s.orgId, dealId: id, fromStageId: deal.stageId, toStageId: stage.id, changedAt: s.now(), changedBy: s.actor.userId });
  } else if (patch.lostReason !== undefined && deal.outcome !== 'lost') {
    delete set.lostReason; // a lost reason only means something on a lost deal
  }

  const previousContacts = (await presentDeals(s, [current]))[0]!.contactIds;
  const changes = fieldChanges({ ...deal, contactIds: previousContacts }, { ...set, ...(contactIds ? { contactIds } : {}) });
  delete changes.stageChangedAt;
  if (Object.keys(set).length > 0) await s.db.update(deals).set({ ...set, updatedAt: s.now() }).where(eq(deals.id, id));
  if (contactIds) {
    await s.db.delete(dealContacts).where(eq(dealContacts.dealId, id));
    if (contactIds.length) await s.db.insert(dealContacts).values(contactIds.map((contactId) => ({ orgId: s.actor.orgId, dealId: id, contactId })));
  }
  if (Object.keys(changes).length === 0) return getDeal(s, id);
  await recordAudit(s, 'update', 'deal', id, changes);
  await dealsChanged(s, [id]);
  const updated = await getDeal(s, id);
  await s.emit(...dealUpdateEvents(changes).map((type) => ({ type, recordId: id, changes, data: { deal: updated } })));
  return updated;
}

export async function deleteDeal(s: Scope, id: string) {
  const current = await findDeal(s, id);
  if (!canWriteOwned(s.actor, current.deal.ownerId)) throw forbidden('Only the deal\'s owner, a manager or an admin can delete it');
  await s.db.update(deals).set({ deletedAt: s.now() }).where(eq(deals.id, id));
  await recordAudit(s, 'delete', 'deal', id);
  await dealsChanged(s, [id]);
  await s.emit({ type: 'deal.deleted', recordId: id, data: { outcome: current.deal.outcome } });
}

export async function restoreDeal(s: Scope, id: string) {
  const current = await findDeal(s, id, true).catch(async (err: unknown) => {
    await goneIfPurged(s, ['deal'], id, 'This deal');
    throw err;
  });
  if (!isAdmin(s.actor)) throw forbidden('Only admins can restore deleted records');
  assertRestorable(current.deal.deletedAt, 'This deal', s.now());
  await s.db.update(deals).set({ deletedAt: null, updatedAt: s.now() }).where(eq(deals.id, id));
  await recordAudit(s, 'restore', 'deal', id);
  await dealsChanged(s, [id]);
  const deal = await getDeal(s, id);
  await s.emit({ type: 'deal.restored', recordId: id, data: { deal } });
  return deal;
}

export async function dealHistory(s: Scope, id: string) {
  await findDeal(s, id);
  const rows = await s.db.select().from(dealStageHistory).where(eq(dealStageHistory.dealId, id)).orderBy(asc(dealStageHistory.changedAt));
  return rows.map((h) => ({ fromStage: h.fromStageId, toStage: h.toStageId, changedAt: iso(h.changedAt), changedBy: h.changedBy }));
}

