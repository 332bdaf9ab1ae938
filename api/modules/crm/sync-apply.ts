// Applies one page of pulled CRM records to the organization's companies, contacts and deals, in
// the page's transaction (with its checkpoint, so a crash resumes after the last page written).
// Records are found by their link (crm_external_links); an unlinked contact or company is matched
// by email or domain first (one local record keeps both CRMs' ids), else created. Each linked
// record goes through the ownership rules (core/sync/reconcile.ts): a local edit that should win is
// never overwritten, and what cannot be decided is journaled as a conflict. A dry run decides the
// same and writes nothing, returning the plan instead.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { FieldValues } from '../../../core/sync/changes.ts';
import type { Ownership } from '../../../core/sync/ownership.ts';
import { reconcileRecord } from '../../../core/sync/reconcile.ts';
import type { CrmRunCounts, CrmSyncPlanEntry } from '../../../db/schema/crm.ts';
import { companies, contacts, crmConflicts, crmExternalLinks, dealContacts, deals, dealStageHistory } from '../../../db/schema/index.ts';
import type { CrmRecordType } from '../../integrations/provider.ts';
import { syncedFields, type PulledRecord } from '../../integrations/sync/pull.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

/** What a page is applied with: the connection, and what the run resolved before the first page. */
export interface ApplyContext {
  connectionId: string;
  /** Written as the records' source. */
  provider: string;
  externalObject: string;
  /** The CRM objects of companies and contacts (their links name them). */
  objects: Record<CrmRecordType, string>;
  /** CRM owner id → local member id (matched by email). */
  ownerOf: Map<string, string>;
  /** `pipelineId/stageId` of the CRM → local stage. */
  stageOf: Map<string, LocalStage>;
  localPipelineId: string;
  /** Field → ownership (admin's mapping, else most_recent). */
  ownership: (recordType: CrmRecordType, field: string) => Ownership;
  dryRun: boolean;
}

export interface LocalStage {
  id: string;
  defaultProbability: number;
  isWon: boolean;
  isLost: boolean;
}

export const emptyCounts = (): CrmRunCounts => ({ created: 0, updated: 0, deleted: 0, skipped: 0, conflicts: 0, errors: 0 });

type LinkRow = typeof crmExternalLinks.$inferSelect;

interface LocalRecord {
  id: string;
  values: FieldValues;
  updatedAt: Date;
  deletedAt: Date | null;
}

const isoDate = (d: string | null) => d;

/** The local record's synced fields, as the CRM's mappers produce them. */
function localValues(recordType: CrmRecordType, row: Record<string, unknown>, baseline: FieldValues | null, ctx: ApplyContext): FieldValues {
  switch (recordType) {
    case 'company':
      return { name: row.name, domain: (row.domain as string | null)?.toLowerCase() ?? null, industry: row.industry };
    case 'contact':
      return { email: (row.email as string).toLowerCase(), firstName: row.firstName, lastName: row.lastName, title: row.title, phone: row.phone };
    case 'deal': {
      // The deal's stage is compared as the CRM stage it was synced from, as long as the local stage
      // is still the one that CRM stage maps to; a stage moved locally reads as `local:<stage id>`.
      const syncedStage = baseline?.crmStage as string | null | undefined;
      const stillThere = syncedStage && ctx.stageOf.get(syncedStage)?.id === row.stageId;
      return { name: row.name, valueCents: Number(row.valueCents), expectedCloseDate: isoDate(row.expectedCloseDate as string | null), crmStage: stillThere ? syncedStage : `local:${row.stageId as string}` };
    }
  }
}

async function loadLocal(s: Scope, recordType: CrmRecordType, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const table = recordType === 'company' ? companies : recordType === 'contact' ? contacts : deals;
  const rows = (await s.db.select().from(table).where(inArray(table.id, ids))) as Record<string, unknown>[];
  return new Map(rows.map((r) => [r.id as string, r]));
}

async function linksOf(s: Scope, ctx: ApplyContext, externalObject: string, externalIds: string[]): Promise<Map<string, LinkRow>> {
  if (externalIds.length === 0) return new Map();
  const rows = await s.db
    .select()
    .from(crmExternalLinks)
    .where(and(eq(crmExternalLinks.connectionId, ctx.connectionId), eq(crmExternalLinks.externalObject, externalObject), inArray(crmExternalLinks.externalId, externalIds)));
  return new Map(rows.map((r) => [r.externalId, r]));
}

/** Local ids of linked records of another object (a contact's company, a deal's contacts). */
async function localIdsOf(s: Scope, ctx: ApplyContext, recordType: CrmRecordType, externalIds: string[]): Promise<Map<string, string>> {
  const links = await linksOf(s, ctx, ctx.objects[recordType], [...new Set(externalIds)]);
  return new Map([...links].filter(([, l]) => !l.deletedInCrmAt).map(([id, l]) => [id, l.localId]));
}

/** The local columns a set of synced field values writes. */
export function columnsOf(recordType: CrmRecordType, values: Record<string, unknown>, ctx: ApplyContext, now: Date): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (recordType === 'deal' && field === 'crmStage') {
      const stage = typeof value === 'string' ? ctx.stageOf.get(value) : undefined;
      if (!stage) continue;
      Object.assign(columns, {
        stageId: stage.id,
        probability: stage.defaultProbability,
        outcome: stage.isWon ? 'won' : stage.isLost ? 'lost' : null,
        stageChangedAt: now,
      });
    } else if (recordType === 'deal' && field === 'valueCents') columns.valueCents = Number(value ?? 0);
    else if (recordType === 'company' && field === 'name') columns.name = value ?? 'Unnamed company';
    else if (recordType === 'deal' && field === 'name') columns.name = value ?? 'Unnamed deal';
    else columns[field] = value;
  }
  return columns;
}

export interface PageOutcome {
  counts: CrmRunCounts;
  plan: CrmSyncPlanEntry[];
}

export async function applyPage(s: Scope, ctx: ApplyContext, recordType: CrmRecordType, records: PulledRecord[]): Promise<PageOutcome> {
  const counts = emptyCounts();
  const plan: CrmSyncPlanEntry[] = [];
  const now = s.now();
  const fields = syncedFields[recordType];
  const table = recordType === 'company' ? companies : recordType === 'contact' ? contacts : deals;
  const source = ctx.provider;

  // The same record twice in one page (a HubSpot window restarting at the last stamp): the last wins.
  const unique = [...new Map(records.map((r) => [r.externalId, r])).values()];
  const links = await linksOf(s, ctx, ctx.externalObject, unique.map((r) => r.externalId));
  const local = await loadLocal(s, recordType, [...links.values()].map((l) => l.localId));
  const companyIds = recordType === 'company' ? new Map<string, string>() : await localIdsOf(s, ctx, 'company', unique.flatMap((r) => (r.companyExternalId ? [r.companyExternalId] : [])));
  const contactIds = recordType === 'deal' ? await localIdsOf(s, ctx, 'contact', unique.flatMap((r) => r.contactExternalIds)) : new Map<string, string>();

  // Unlinked records may match a local one (typed in, or from the other CRM): one query per page.
  const matches = await matchesFor(s, recordType, unique.filter((r) => !links.has(r.externalId)).map((r) => r.values));
  // New records are inserted together after the loop; a second CRM record with the same email or
  // domain in the page joins the first one's new local record instead of breaking its uniqueness.
  const creates: { record: PulledRecord; values: Record<string, unknown>; columns: Record<string, unknown>; link: LinkRow | undefined; twins: PulledRecord[] }[] = [];
  const createsByKey = new Map<string, (typeof creates)[number]>();

  for (const record of unique) {
    const link = links.get(record.externalId);
    const row = link ? local.get(link.localId) : undefined;
    const entry = (action: CrmSyncPlanEntry['action'], localId: string | null, changes: Record<string, unknown>) =>
      plan.push({ action, recordType, externalObject: ctx.externalObject, externalId: record.externalId, localId, changes });

    if (record.deleted) {
      if (!link || !row || row.deletedAt || link.deletedInCrmAt) {
        counts.skipped++;
        continue;
      }
      counts.deleted++;
      entry('delete', link.localId, {});
      if (ctx.dryRun) continue;
      // A restorable delete: the record goes to the trash, the link remembers why.
      await s.db.update(table).set({ deletedAt: now, updatedAt: now } as never).where(eq(table.id, link.localId));
      await s.db.update(crmExternalLinks).set({ deletedInCrmAt: now, crmModifiedAt: record.modifiedAt, syncedAt: now }).where(eq(crmExternalLinks.id, link.id));
      continue;
    }

    const refs: Record<string, unknown> = {};
    const ownerId = record.ownerExternalId ? ctx.ownerOf.get(record.ownerExternalId) : undefined;
    if (ownerId) refs.ownerId = ownerId;
    const companyId = record.companyExternalId ? companyIds.get(record.companyExternalId) : undefined;
    if (companyId) refs.companyId = companyId;

    if (recordType === 'contact' && !record.values.email) {
      // The app keys contacts by email: a CRM contact without one has nowhere to go.
      counts.skipped++;
      continue;
    }

    let target = row && !row.deletedAt ? row : undefined;
    let baseline: FieldValues | null = link && target ? link.baseline : null;
    let matched = false;
    if (!target && !link) {
      // Not linked yet: the same person or company may already be here (typed in, or from the other CRM).
      const match = matches.get(matchKey(recordType, record.values) ?? '');
      if (match) {
        target = match;
        matched = true;
        baseline = null;
      }
    }

    if (!target) {
      if (link && row?.deletedAt) {
        // Deleted in the app: the CRM's edit does not bring it back behind the user's back.
        counts.skipped++;
        continue;
      }
      const values = { ...record.values };
      const key = matchKey(recordType, values);
      const twin = key ? createsByKey.get(key) : undefined;
      if (twin) {
        twin.twins.push(record);
        counts.skipped++;
        continue;
      }
      counts.created++;
      entry('create', null, values);
      if (ctx.dryRun) continue;
      const columns: Record<string, unknown> = { ...columnsOf(recordType, values, ctx, now), ...refs, source, externalId: record.externalId, createdAt: now, updatedAt: now };
      if (recordType === 'deal') {
        if (!columns.stageId) {
          counts.created--;
          counts.errors++;
          continue;
        }
        Object.assign(columns, { pipelineId: ctx.localPipelineId });
      }
      const pending = { record, values, columns, link, twins: [] as PulledRecord[] };
      creates.push(pending);
      if (key) createsByKey.set(key, pending);
      continue;
    }

    const localRow = target as Record<string, unknown>;
    const current = localValues(recordType, localRow, baseline, ctx);
    const decided = reconcileRecord({
      fields,
      ownership: (field) => ctx.ownership(recordType, field),
      baseline,
      local: current,
      localChangedAt: localRow.updatedAt as Date,
      crm: record.values,
      crmChangedAt: record.modifiedAt,
    });
    // Emails are unique per organization: a CRM email that another local contact already holds waits.
    if (recordType === 'contact' && typeof decided.toLocal.email === 'string' && !(await emailFree(s, decided.toLocal.email, localRow.id as string))) {
      delete decided.toLocal.email;
      counts.errors++;
    }
    const changedRefs = Object.fromEntries(Object.entries(refs).filter(([k, v]) => localRow[k] !== v && !(matched && localRow[k] !== null)));
    const changes = { ...decided.toLocal, ...changedRefs };
    if (decided.conflicts.length) {
      counts.conflicts += decided.conflicts.length;
      entry('conflict', localRow.id as string, Object.fromEntries(decided.conflicts.map((c) => [c.field, { inbox: c.inboxValue, crm: c.crmValue, reason: c.reason }])));
    }
    if (Object.keys(changes).length) {
      counts.updated++;
      entry('update', localRow.id as string, changes);
    } else if (!decided.conflicts.length) counts.skipped++;
    if (ctx.dryRun) continue;

    if (Object.keys(changes).length) {
      const columns: Record<string, unknown> = { ...columnsOf(recordType, decided.toLocal, ctx, now), ...changedRefs, updatedAt: now };
      await s.db.update(table).set(columns as never).where(eq(table.id, localRow.id as string));
      if (recordType === 'deal' && columns.stageId && columns.stageId !== localRow.stageId) {
        await afterDealWrite(s, localRow.id as string, localRow.stageId as string, columns.stageId as string, record, contactIds, now);
      }
    }
    if (recordType === 'deal') await linkDealContacts(s, localRow.id as string, record, contactIds);
    for (const c of decided.conflicts) await journalConflict(s, ctx, recordType, localRow.id as string, record.externalId, c);
    await writeLink(s, ctx, recordType, localRow.id as string, record, decided.baseline, link);
  }
  if (creates.length) await insertCreated(s, ctx, recordType, creates, contactIds);
  return { counts, plan };
}

/** A page's new records in one insert, then their links (existing links updated one by one: rare). */
async function insertCreated(
  s: Scope,
  ctx: ApplyContext,
  recordType: CrmRecordType,
  creates: { record: PulledRecord; values: Record<string, unknown>; columns: Record<string, unknown>; link: LinkRow | undefined; twins: PulledRecord[] }[],
  contactIds: Map<string, string>,
) {
  const now = s.now();
  const table = recordType === 'company' ? companies : recordType === 'contact' ? contacts : deals;
  const inserted = (await s.db.insert(table).values(creates.map((c) => c.columns) as never).returning({ id: table.id, externalId: table.externalId })) as { id: string; externalId: string }[];
  // By external id, not by position: nothing promises rows come back in the order given.
  const idOf = new Map(inserted.map((r) => [r.externalId, r.id]));
  const created = creates.map((c) => ({ id: idOf.get(c.record.externalId)! }));
  const fresh: (typeof crmExternalLinks.$inferInsert)[] = [];
  for (const [i, c] of creates.entries()) {
    const localId = created[i]!.id;
    for (const record of [c.record, ...c.twins]) {
      const existing = record === c.record ? c.link : undefined;
      if (existing) await writeLink(s, ctx, recordType, localId, record, c.values, existing);
      else fresh.push({ orgId: s.orgId, connectionId: ctx.connectionId, recordType, localId, externalObject: ctx.externalObject, externalId: record.externalId, baseline: c.values, crmModifiedAt: record.modifiedAt, syncedAt: now });
    }
  }
  if (fresh.length) await s.db.insert(crmExternalLinks).values(fresh).onConflictDoNothing();
  if (recordType !== 'deal') return;
  await s.db.insert(dealStageHistory).values(creates.map((c, i) => ({ orgId: s.orgId, dealId: created[i]!.id, fromStageId: null, toStageId: c.columns.stageId as string, changedAt: now, changedBy: null })));
  const pairs = creates.flatMap((c, i) => [...new Set(c.record.contactExternalIds.flatMap((id) => (contactIds.has(id) ? [contactIds.get(id)!] : [])))].map((contactId) => ({ orgId: s.orgId, dealId: created[i]!.id, contactId })));
  if (pairs.length) await s.db.insert(dealContacts).values(pairs).onConflictDoNothing();
}

/** What an unlinked record is matched by: a contact's email, a company's domain. */
function matchKey(recordType: CrmRecordType, values: Record<string, unknown>): string | null {
  if (recordType === 'contact' && typeof values.email === 'string') return values.email.toLowerCase();
  if (recordType === 'company' && typeof values.domain === 'string') return values.domain.toLowerCase();
  return null;
}

async function matchesFor(s: Scope, recordType: CrmRecordType, values: Record<string, unknown>[]): Promise<Map<string, LocalRecord & Record<string, unknown>>> {
  const keys = [...new Set(values.flatMap((v) => matchKey(recordType, v) ?? []))];
  if (keys.length === 0) return new Map();
  if (recordType === 'contact') {
    const rows = await s.db.select().from(contacts).where(and(inArray(contacts.emailNormalized, keys), isNull(contacts.deletedAt)));
    return new Map(rows.map((r) => [r.emailNormalized, r as never]));
  }
  const rows = await s.db.select().from(companies).where(and(inArray(companies.domainNormalized, keys), isNull(companies.deletedAt)));
  return new Map(rows.map((r) => [r.domainNormalized!, r as never]));
}

async function emailFree(s: Scope, email: string, ownId: string): Promise<boolean> {
  const [other] = await s.db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.emailNormalized, email.toLowerCase()), isNull(contacts.deletedAt)));
  return !other || other.id === ownId;
}

async function writeLink(s: Scope, ctx: ApplyContext, recordType: CrmRecordType, localId: string, record: PulledRecord, baseline: Record<string, unknown>, existing: LinkRow | undefined) {
  const now = s.now();
  if (existing) {
    await s.db
      .update(crmExternalLinks)
      .set({ localId, baseline, crmModifiedAt: record.modifiedAt, syncedAt: now, deletedInCrmAt: null })
      .where(eq(crmExternalLinks.id, existing.id));
    return;
  }
  await s.db.insert(crmExternalLinks).values({
    orgId: s.orgId,
    connectionId: ctx.connectionId,
    recordType,
    localId,
    externalObject: ctx.externalObject,
    externalId: record.externalId,
    baseline,
    crmModifiedAt: record.modifiedAt,
    syncedAt: now,
  });
}

async function afterDealWrite(s: Scope, dealId: string, fromStageId: string | null, toStageId: string, record: PulledRecord, contactIds: Map<string, string>, now: Date) {
  await s.db.insert(dealStageHistory).values({ orgId: s.orgId, dealId, fromStageId, toStageId, changedAt: now, changedBy: null });
  await linkDealContacts(s, dealId, record, contactIds);
}

async function linkDealContacts(s: Scope, dealId: string, record: PulledRecord, contactIds: Map<string, string>) {
  const ids = [...new Set(record.contactExternalIds.flatMap((id) => (contactIds.has(id) ? [contactIds.get(id)!] : [])))];
  if (ids.length === 0) return;
  await s.db
    .insert(dealContacts)
    .values(ids.map((contactId) => ({ orgId: s.orgId, dealId, contactId })))
    .onConflictDoNothing();
}

/** One open entry per record and field: a newer CRM value replaces the one an admin has not seen yet. */
async function journalConflict(s: Scope, ctx: ApplyContext, recordType: CrmRecordType, localId: string, externalId: string, c: { field: string; reason: string; inboxValue: unknown; crmValue: unknown }) {
  const [open] = await s.db
    .select({ id: crmConflicts.id })
    .from(crmConflicts)
    .where(and(eq(crmConflicts.connectionId, ctx.connectionId), eq(crmConflicts.localId, localId), eq(crmConflicts.field, c.field), eq(crmConflicts.status, 'open')));
  if (open) {
    await s.db.update(crmConflicts).set({ inboxValue: c.inboxValue, crmValue: c.crmValue, reason: c.reason }).where(eq(crmConflicts.id, open.id));
    return;
  }
  await s.db.insert(crmConflicts).values({
    orgId: s.orgId,
    connectionId: ctx.connectionId,
    recordType,
    localId,
    externalObject: ctx.externalObject,
    externalId,
    field: c.field,
    inboxValue: c.inboxValue,
    crmValue: c.crmValue,
    reason: c.reason,
    createdAt: s.now(),
  });
}
