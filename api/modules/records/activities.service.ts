// Activities (emails, calls, meetings, notes, tasks) and their links to contacts, companies and
// deals. Tasks are activities of type "task" with their own simpler surface at /tasks.
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { forbidden, notFound } from '../../../core/errors.ts';
import { canReadOwned, canWrite, canWriteOwned, isAdmin, seesAllDealsAndActivities, type Actor } from '../../../core/roles.ts';
import { isPersonActivityType, type Activity, type ActivityCreate, type ActivityListQuery, type ActivityUpdate, type TaskCreate, type TaskListQuery, type TaskUpdate } from '../../../core/schemas/activities.ts';
import type { Tx } from '../../../db/client.ts';
import { activities, activityLinks, user } from '../../../db/schema/index.ts';
import { recordAudit } from './audit.ts';
import { dealsChanged } from '../risk/risk.service.ts';
import {
  afterCursor,
  assertCompaniesExist,
  assertContactsExist,
  assertDealsVisible,
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

type ActivityRow = typeof activities.$inferSelect;
type Row = { activity: ActivityRow; ownerName: string | null; ownerEmail: string | null; cursorKey: string };
export interface Links {
  contactIds: string[];
  companyIds: string[];
  dealIds: string[];
}

function presentActivity(row: Row, links: Links): Activity {
  const a = row.activity;
  return {
    id: a.id,
    type: a.type,
    subject: a.subject,
    body: a.body,
    direction: a.direction,
    occurredAt: iso(a.occurredAt),
    dueAt: isoOrNull(a.dueAt),
    completedAt: isoOrNull(a.completedAt),
    ownerId: a.ownerId,
    owner: ownerRef(a.ownerId, row.ownerName, row.ownerEmail),
    messageId: a.messageId,
    threadId: a.threadId,
    from: a.fromAddress,
    to: a.toAddresses,
    cc: a.ccAddresses,
    ...links,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    deletedAt: isoOrNull(a.deletedAt),
  };
}

export const selectActivities = (tx: Tx) =>
  tx
    .select({ activity: activities, ...ownerColumns, cursorKey: cursorKey(activities.createdAt) })
    .from(activities)
    .leftJoin(user, eq(user.id, activities.ownerId));

export async function presentActivities(tx: Tx, rows: Row[]): Promise<Activity[]> {
  if (rows.length === 0) return [];
  const links = await tx
    .select()
    .from(activityLinks)
    .where(and(eq(activityLinks.orgId, rows[0]!.activity.orgId), inArray(activityLinks.activityId, rows.map((r) => r.activity.id))));
  return rows.map((r) => {
    const mine = links.filter((l) => l.activityId === r.activity.id);
    return presentActivity(r, {
      contactIds: mine.flatMap((l) => (l.contactId ? [l.contactId] : [])),
      companyIds: mine.flatMap((l) => (l.companyId ? [l.companyId] : [])),
      dealIds: mine.flatMap((l) => (l.dealId ? [l.dealId] : [])),
    });
  });
}

export const activitiesVisibleTo = (actor: Actor) => (seesAllDealsAndActivities(actor) ? undefined : eq(activities.ownerId, actor.userId));

const linkedTo = (column: 'contact_id' | 'company_id' | 'deal_id', id: string) =>
  sql`exists (select 1 from ${activityLinks} l where l.activity_id = ${activities.id} and l.org_id = ${activities.orgId} and l.${sql.raw(column)} = ${id})`;

function linkFilters(q: { contactId?: string; companyId?: string; dealId?: string }): (SQL | undefined)[] {
  return [
    q.contactId ? linkedTo('contact_id', q.contactId) : undefined,
    q.companyId ? linkedTo('company_id', q.companyId) : undefined,
    q.dealId ? linkedTo('deal_id', q.dealId) : undefined,
  ];
}

export async function listActivities(tx: Tx, actor: Actor, q: ActivityListQuery) {
  const rows = await selectActivities(tx)
    .where(
      and(
        eq(activities.orgId, actor.orgId),
        activitiesVisibleTo(actor),
        deletedFilter(actor, activities.deletedAt, q.deleted),
        afterCursor(activities.createdAt, activities.id, q.cursor),
        q.type ? eq(activities.type, q.type) : undefined,
        q.ownerId ? eq(activities.ownerId, q.ownerId) : undefined,
        ...linkFilters(q),
      ),
    )
    .orderBy(desc(activities.createdAt), desc(activities.id))
    .limit(q.limit + 1);
  const page = toPage(rows.map((r) => ({ ...r, id: r.activity.id })), q.limit, (r) => r);
  return { data: await presentActivities(tx, page.data), nextCursor: page.nextCursor };
}

export async function listTasks(tx: Tx, actor: Actor, q: TaskListQuery) {
  const rows = await selectActivities(tx)
    .where(
      and(
        eq(activities.orgId, actor.orgId),
        eq(activities.type, 'task'),
        activitiesVisibleTo(actor),
        deletedFilter(actor, activities.deletedAt, q.deleted),
        afterCursor(activities.createdAt, activities.id, q.cursor),
        q.status === 'open' ? isNull(activities.completedAt) : q.status === 'completed' ? sql`${activities.completedAt} is not null` : undefined,
        q.ownerId ? eq(activities.ownerId, q.ownerId) : undefined,
        q.dueBefore ? sql`${activities.dueAt} < ${q.dueBefore}::timestamptz` : undefined,
        ...linkFilters(q),
      ),
    )
    .orderBy(desc(activities.createdAt), desc(activities.id))
    .limit(q.limit + 1);
  const page = toPage(rows.map((r) => ({ ...r, id: r.activity.id })), q.limit, (r) => r);
  return { data: await presentActivities(tx, page.data), nextCursor: page.nextCursor };
}

async function findActivity(tx: Tx, actor: Actor, id: string, options: { includeDeleted?: boolean; type?: 'task' } = {}) {
  const [row] = await selectActivities(tx).where(
    and(eq(activities.id, id), options.includeDeleted ? undefined : isNull(activities.deletedAt), options.type ? eq(activities.type, options.type) : undefined),
  );
  if (!row || !canReadOwned(actor, row.activity.ownerId)) throw notFound(options.type === 'task' ? 'Task' : 'Activity');
  return row;
}

export async function getActivity(tx: Tx, actor: Actor, id: string, type?: 'task') {
  const [activity] = await presentActivities(tx, [await findActivity(tx, actor, id, { type })]);
  return activity!;
}

async function assertLinks(tx: Tx, actor: Actor, links: Partial<Links>) {
  await assertContactsExist(tx, links.contactIds ?? []);
  await assertCompaniesExist(tx, links.companyIds ?? [], 'companyIds');
  await assertDealsVisible(tx, actor, links.dealIds ?? []);
}

export async function writeLinks(tx: Tx, orgId: string, activity: { id: string; occurredAt: Date; type: ActivityRow['type'] }, links: Links) {
  const rows = [
    ...[...new Set(links.contactIds)].map((contactId) => ({ contactId })),
    ...[...new Set(links.companyIds)].map((companyId) => ({ companyId })),
    ...[...new Set(links.dealIds)].map((dealId) => ({ dealId })),
  ].map((link) => ({ orgId, activityId: activity.id, occurredAt: activity.occurredAt, type: activity.type, ...link }));
  if (rows.length) await tx.insert(activityLinks).values(rows);
}

async function linkedDealIds(tx: Tx, activityId: string): Promise<string[]> {
  const rows = await tx.select({ dealId: activityLinks.dealId }).from(activityLinks).where(and(eq(activityLinks.activityId, activityId), sql`${activityLinks.dealId} is not null`));
  return rows.map((r) => r.dealId!);
}

export async function createActivity(tx: Tx, actor: Actor, input: ActivityCreate, type?: 'task') {
  if (!canWrite(actor)) throw forbidden('Read-only members cannot add activities');
  const ownerId = input.ownerId ?? actor.userId;
  if (!canWriteOwned(actor, ownerId)) throw forbidden('Reps can only add activities they own');
  if (input.ownerId) await assertMember(tx, input.ownerId);
  const links = { contactIds: input.contactIds ?? [], companyIds: input.companyIds ?? [], dealIds: input.dealIds ?? [] };
  await assertLinks(tx, actor, links);
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
  const values = {
    orgId: actor.orgId,
    type: input.type,
    subject: input.subject ?? null,
    body: input.body ?? null,
    direction: input.direction ?? null,
    occurredAt,
    dueAt: input.dueAt ? new Date(input.dueAt) : null,
    completedAt: input.completedAt ? new Date(input.completedAt) : null,
    ownerId,
  };
  const [created] = await tx.insert(activities).values(values).returning();
  await writeLinks(tx, actor.orgId, created!, links);
  await recordAudit(tx, actor, 'create', type ?? 'activity', created!.id, fieldChanges({}, { ...values, ...links }));
  await dealsChanged(tx, actor.orgId, links.dealIds);
  return getActivity(tx, actor, created!.id, type);
}

export async function updateActivity(tx: Tx, actor: Actor, id: string, patch: ActivityUpdate, type?: 'task') {
  const current = await findActivity(tx, actor, id, { type });
  const a = current.activity;
  if (!canWriteOwned(actor, a.ownerId)) throw forbidden(actor.role === 'readonly' ? 'Read-only members cannot change activities' : 'Only the owner, a manager or an admin can change this');
  // Email tracking keeps these up to date; an edit would be overwritten by the next open or click.
  if (!isPersonActivityType(a.type)) throw forbidden('Opens and clicks are recorded by email tracking and cannot be edited');
  if (patch.ownerId !== undefined && patch.ownerId !== a.ownerId) {
    if (!canWriteOwned(actor, patch.ownerId)) throw forbidden('Reps cannot give their activities to someone else');
    await assertMember(tx, patch.ownerId);
  }
  const { contactIds, companyIds, dealIds, occurredAt, dueAt, completedAt, ...fields } = patch;
  const linksChanged = contactIds !== undefined || companyIds !== undefined || dealIds !== undefined;
  const [before] = await presentActivities(tx, [current]);
  const links = {
    contactIds: contactIds ?? before!.contactIds,
    companyIds: companyIds ?? before!.companyIds,
    dealIds: dealIds ?? before!.dealIds,
  };
  if (linksChanged) await assertLinks(tx, actor, { contactIds, companyIds, dealIds });
  const set: Partial<ActivityRow> = {
    ...fields,
    ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt) } : {}),
    ...(dueAt !== undefined ? { dueAt: dueAt ? new Date(dueAt) : null } : {}),
    ...(completedAt !== undefined ? { completedAt: completedAt ? new Date(completedAt) : null } : {}),
  };
  const changes = fieldChanges({ ...a, ...before }, { ...set, ...(linksChanged ? links : {}) });
  if (Object.keys(set).length) await tx.update(activities).set({ ...set, updatedAt: new Date() }).where(eq(activities.id, id));
  if (linksChanged || set.occurredAt || set.type) {
    await tx.delete(activityLinks).where(eq(activityLinks.activityId, id));
    await writeLinks(tx, actor.orgId, { id, occurredAt: set.occurredAt ?? a.occurredAt, type: set.type ?? a.type }, links);
  }
  if (Object.keys(changes).length) await recordAudit(tx, actor, 'update', type ?? 'activity', id, changes);
  await dealsChanged(tx, actor.orgId, [...before!.dealIds, ...links.dealIds]);
  return getActivity(tx, actor, id, type);
}

export async function deleteActivity(tx: Tx, actor: Actor, id: string, type?: 'task') {
  const current = await findActivity(tx, actor, id, { type });
  if (!canWriteOwned(actor, current.activity.ownerId)) throw forbidden('Only the owner, a manager or an admin can delete this');
  await tx.update(activities).set({ deletedAt: new Date() }).where(eq(activities.id, id));
  await recordAudit(tx, actor, 'delete', type ?? 'activity', id);
  await dealsChanged(tx, actor.orgId, await linkedDealIds(tx, id));
}

export async function restoreActivity(tx: Tx, actor: Actor, id: string, type?: 'task') {
  const current = await findActivity(tx, actor, id, { includeDeleted: true, type }).catch(async (err: unknown) => {
    await goneIfPurged(tx, actor, type ? [type] : ['activity', 'task'], id, 'This record');
    throw err;
  });
  if (!isAdmin(actor)) throw forbidden('Only admins can restore deleted records');
  assertRestorable(current.activity.deletedAt, 'This record');
  await tx.update(activities).set({ deletedAt: null, updatedAt: new Date() }).where(eq(activities.id, id));
  await recordAudit(tx, actor, 'restore', type ?? 'activity', id);
  await dealsChanged(tx, actor.orgId, await linkedDealIds(tx, id));
  return getActivity(tx, actor, id, type);
}

// ---- tasks ----

export function createTask(tx: Tx, actor: Actor, input: TaskCreate) {
  return createActivity(tx, actor, { ...input, type: 'task' }, 'task');
}

export function updateTask(tx: Tx, actor: Actor, id: string, patch: TaskUpdate) {
  const { completed, ...rest } = patch;
  const completedAt = completed === undefined ? undefined : completed ? new Date().toISOString() : null;
  return updateActivity(tx, actor, id, { ...rest, ...(completedAt !== undefined ? { completedAt } : {}) }, 'task');
}
