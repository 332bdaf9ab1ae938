import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { canReadOwned, canWrite, canWriteOwned, isAdmin, seesAllDealsAndActivities, type Actor } from '../../../core/roles.ts';
import type { DealCreate, DealListQuery, DealUpdate } from '../../../core/schemas/deals.ts';
import type { DealWithRisk as Deal } from '../../../core/schemas/risk.ts';
import type { Tx } from '../../../db/client.ts';
import { dealContacts, dealRisk, deals, dealStageHistory, pipelineStages, user } from '../../../db/schema/index.ts';
import { recordAudit } from './audit.ts';
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

export const selectDeals = (tx: Tx) =>
  tx
    .select({ deal: deals, stage: pipelineStages, ...ownerColumns, cursorKey: cursorKey(deals.createdAt), risk: dealRisk })
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .leftJoin(user, eq(user.id, deals.ownerId))
    .leftJoin(dealRisk, and(eq(dealRisk.orgId, deals.orgId), eq(dealRisk.dealId, deals.id)));

/** Presents rows with their contact ids, fetched in one query. */
export async function presentDeals(tx: Tx, rows: Row[]): Promise<Deal[]> {
  if (rows.length === 0) return [];
  const links = await tx
    .select({ dealId: dealContacts.dealId, contactId: dealContacts.contactId })
    .from(dealContacts)
    .where(and(eq(dealContacts.orgId, rows[0]!.deal.orgId), inArray(dealContacts.dealId, rows.map((r) => r.deal.id))));
  return rows.map((r) => presentDeal(r, links.filter((l) => l.dealId === r.deal.id).map((l) => l.contactId)));
}

/** Reps see only their own deals; everyone else sees all of the organization's. */
const visibleTo = (actor: Actor) => (seesAllDealsAndActivities(actor) ? undefined : eq(deals.ownerId, actor.userId));

export async function listDeals(tx: Tx, actor: Actor, q: DealListQuery) {
  const rows = await selectDeals(tx)
    .where(
      and(
        eq(deals.orgId, actor.orgId),
        visibleTo(actor),
        deletedFilter(actor, deals.deletedAt, q.deleted),
        afterCursor(deals.createdAt, deals.id, q.cursor),
        q.stage ? eq(deals.stageId, q.stage) : undefined,
        q.pipelineId ? eq(deals.pipelineId, q.pipelineId) : undefined,
        q.ownerId ? eq(deals.ownerId, q.ownerId) : undefined,
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
  return { data: await presentDeals(tx, page.data), nextCursor: page.nextCursor };
}

/**
 * Open deals of some contacts or companies (context lookups, email logging). With an actor, only
 * the deals that actor may see. Two index lookups joined by UNION, rather than an OR the planner
 * would answer by scanning the organization's deals.
 */
export async function openDealsFor(tx: Tx, orgId: string, viewer: Actor | null, contactIds: string[], companyIds: string[]) {
  const sources = [
    contactIds.length
      ? sql`select ${dealContacts.dealId} from ${dealContacts} where ${dealContacts.orgId} = ${orgId} and ${inArray(dealContacts.contactId, contactIds)}`
      : undefined,
    companyIds.length ? sql`select ${deals.id} from ${deals} where ${deals.orgId} = ${orgId} and ${inArray(deals.companyId, companyIds)}` : undefined,
  ].filter((s): s is SQL => s !== undefined);
  if (sources.length === 0) return [];
  return selectDeals(tx)
    .where(and(sql`${deals.id} in (${sql.join(sources, sql` union `)})`, isNull(deals.deletedAt), isNull(deals.outcome), viewer ? visibleTo(viewer) : undefined))
    .orderBy(asc(deals.expectedCloseDate), asc(deals.createdAt))
    .limit(50);
}

async function findDeal(tx: Tx, actor: Actor, id: string, includeDeleted = false): Promise<Row> {
  const [row] = await selectDeals(tx).where(and(eq(deals.id, id), includeDeleted ? undefined : isNull(deals.deletedAt)));
  // A deal the actor may not see is as absent as one that does not exist.
  if (!row || !canReadOwned(actor, row.deal.ownerId)) throw notFound('Deal');
  return row;
}

export async function getDeal(tx: Tx, actor: Actor, id: string) {
  const [deal] = await presentDeals(tx, [await findDeal(tx, actor, id)]);
  return deal!;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Outcome fields that follow from entering a stage. */
function closingFields(stage: StageRow, current: Pick<DealRow, 'actualCloseDate' | 'lostReason'> | null, patch: { lostReason?: string | null }) {
  if (stage.isWon) return { outcome: 'won' as const, actualCloseDate: current?.actualCloseDate ?? today(), lostReason: null };
  if (stage.isLost) return { outcome: 'lost' as const, actualCloseDate: current?.actualCloseDate ?? today(), lostReason: patch.lostReason ?? current?.lostReason ?? null };
  return { outcome: null, actualCloseDate: null, lostReason: null };
}

async function resolveStage(tx: Tx, pipelineId: string, stageId: string | undefined): Promise<StageRow> {
  if (!stageId) {
    const [first] = await stagesOf(tx, pipelineId);
    if (!first) throw new AppError('CONFLICT', 'The pipeline has no stages');
    return first;
  }
  const stage = await stageById(tx, stageId);
  if (!stage || stage.pipelineId !== pipelineId) {
    throw new AppError('INVALID_REFERENCE', 'stage: not a stage of this deal\'s pipeline', [{ path: 'stage', message: 'not a stage of the pipeline' }]);
  }
  return stage;
}

export async function createDeal(tx: Tx, actor: Actor, input: DealCreate) {
  if (!canWrite(actor)) throw forbidden('Read-only members cannot create deals');
  const ownerId = input.ownerId ?? actor.userId;
  if (!canWriteOwned(actor, ownerId)) throw forbidden('Reps can only create deals they own');
  if (input.ownerId) await assertMember(tx, input.ownerId);
  if (input.companyId) await assertCompaniesExist(tx, [input.companyId]);
  const contactIds = [...new Set(input.contactIds ?? [])];
  await assertContactsExist(tx, contactIds);
  if (input.pipelineId) {
    const exists = await stagesOf(tx, input.pipelineId);
    if (exists.length === 0) throw new AppError('INVALID_REFERENCE', 'pipelineId: no such pipeline', [{ path: 'pipelineId', message: 'no such pipeline' }]);
  }
  const pipelineId = input.pipelineId ?? (await defaultPipelineId(tx));
  const stage = await resolveStage(tx, pipelineId, input.stage);
  const values = {
    orgId: actor.orgId,
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
    ...closingFields(stage, null, input),
  };
  const [created] = await tx.insert(deals).values(values).returning();
  const id = created!.id;
  if (contactIds.length) await tx.insert(dealContacts).values(contactIds.map((contactId) => ({ orgId: actor.orgId, dealId: id, contactId })));
  await tx.insert(dealStageHistory).values({ orgId: actor.orgId, dealId: id, fromStageId: null, toStageId: stage.id, changedBy: actor.userId });
  await recordAudit(tx, actor, 'create', 'deal', id, fieldChanges({}, { ...values, contactIds }));
  await dealsChanged(tx, actor.orgId, [id], { closed: values.outcome !== null });
  return getDeal(tx, actor, id);
}

export async function updateDeal(tx: Tx, actor: Actor, id: string, patch: DealUpdate) {
  const current = await findDeal(tx, actor, id);
  const deal = current.deal;
  if (!canWriteOwned(actor, deal.ownerId)) throw forbidden(actor.role === 'readonly' ? 'Read-only members cannot change deals' : 'Only the deal\'s owner, a manager or an admin can change it');
  if (patch.ownerId !== undefined && patch.ownerId !== deal.ownerId) {
    if (!canWriteOwned(actor, patch.ownerId)) throw forbidden('Reps cannot give their deals to someone else');
    await assertMember(tx, patch.ownerId);
  }
  if (patch.companyId) await assertCompaniesExist(tx, [patch.companyId]);
  const contactIds = patch.contactIds ? [...new Set(patch.contactIds)] : undefined;
  if (contactIds) await assertContactsExist(tx, contactIds);

  const { stage: stageId, contactIds: _contacts, ...fields } = patch;
  const set: Partial<DealRow> = { ...fields };
  const moving = stageId !== undefined && stageId !== deal.stageId;
  if (moving) {
    const stage = await resolveStage(tx, deal.pipelineId, stageId);
    Object.assign(set, { stageId: stage.id, stageChangedAt: new Date(), probability: patch.probability ?? stage.defaultProbability }, closingFields(stage, null, patch));
    await tx.insert(dealStageHistory).values({ orgId: actor.orgId, dealId: id, fromStageId: deal.stageId, toStageId: stage.id, changedBy: actor.userId });
  } else if (patch.lostReason !== undefined && deal.outcome !== 'lost') {
    delete set.lostReason; // a lost reason only means something on a lost deal
  }

  const previousContacts = (await presentDeals(tx, [current]))[0]!.contactIds;
  const changes = fieldChanges({ ...deal, contactIds: previousContacts }, { ...set, ...(contactIds ? { contactIds } : {}) });
  delete changes.stageChangedAt;
  if (Object.keys(set).length > 0) await tx.update(deals).set({ ...set, updatedAt: new Date() }).where(eq(deals.id, id));
  if (contactIds) {
    await tx.delete(dealContacts).where(eq(dealContacts.dealId, id));
    if (contactIds.length) await tx.insert(dealContacts).values(contactIds.map((contactId) => ({ orgId: actor.orgId, dealId: id, contactId })));
  }
  if (Object.keys(changes).length > 0) await recordAudit(tx, actor, 'update', 'deal', id, changes);
  // Closing or reopening a deal changes the org's history of won and lost deals.
  await dealsChanged(tx, actor.orgId, [id], { closed: moving && (set.outcome != null || deal.outcome !== null) });
  return getDeal(tx, actor, id);
}

export async function deleteDeal(tx: Tx, actor: Actor, id: string) {
  const current = await findDeal(tx, actor, id);
  if (!canWriteOwned(actor, current.deal.ownerId)) throw forbidden('Only the deal\'s owner, a manager or an admin can delete it');
  await tx.update(deals).set({ deletedAt: new Date() }).where(eq(deals.id, id));
  await recordAudit(tx, actor, 'delete', 'deal', id);
  await dealsChanged(tx, actor.orgId, [id], { closed: current.deal.outcome !== null });
}

export async function restoreDeal(tx: Tx, actor: Actor, id: string) {
  const current = await findDeal(tx, actor, id, true).catch(async (err: unknown) => {
    await goneIfPurged(tx, actor, ['deal'], id, 'This deal');
    throw err;
  });
  if (!isAdmin(actor)) throw forbidden('Only admins can restore deleted records');
  assertRestorable(current.deal.deletedAt, 'This deal');
  await tx.update(deals).set({ deletedAt: null, updatedAt: new Date() }).where(eq(deals.id, id));
  await recordAudit(tx, actor, 'restore', 'deal', id);
  await dealsChanged(tx, actor.orgId, [id], { closed: current.deal.outcome !== null });
  return getDeal(tx, actor, id);
}

export async function dealHistory(tx: Tx, actor: Actor, id: string) {
  await findDeal(tx, actor, id);
  const rows = await tx.select().from(dealStageHistory).where(eq(dealStageHistory.dealId, id)).orderBy(asc(dealStageHistory.changedAt));
  return rows.map((h) => ({ fromStage: h.fromStageId, toStage: h.toStageId, changedAt: iso(h.changedAt), changedBy: h.changedBy }));
}

