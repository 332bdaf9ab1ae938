// Activities (emails, calls, meetings, notes, tasks) and their links to contacts, companies and
// deals. Tasks are activities of type "task" with their own simpler surface at /tasks.
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { fieldChanges, type FieldChanges } from '../../../core/diff.ts';
import type { EventType } from '../../../core/events.ts';
import { forbidden, notFound } from '../../../core/errors.ts';
import { canReadOwned, canWrite, canWriteOwned, isAdmin, seesAllDealsAndActivities, type Actor } from '../../../core/roles.ts';
import { isPersonActivityType, type Activity, type ActivityCreate, type ActivityListQuery, type ActivityUpdate, type TaskCreate, type TaskListQuery, type TaskUpdate } from '../../../core/schemas/activities.ts';
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
import type { Scope } from '../../platform/tenancy/scope.ts';

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

export const selectActivities = (s: Scope) =>
  s.db
    .select({ activity: activities, ...ownerColumns, cursorKey: cursorKey(activities.createdAt) })
    .from(activities)
    .leftJoin(user, eq(user.id, activities.ownerId));

export async function presentActivities(s: Scope, rows: Row[]): Promise<Activity[]> {
  if (rows.length === 0) return [];
  const links = await s.db
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

export const activitiesVisibleTo = (actor: Actor) => (seesAllDealsAndActivities(actor) ? undefined : eq(activities.ownerId, actor.userId ?? sql`null`));

const linkedTo = (column: 'contact_id' | 'company_id' | 'deal_id', id: string) =>
  sql`exists (select 1 from ${activityLinks} l where l.activity_id = ${activities.id} and l.org_id = ${activities.orgId} and l.${sql.raw(column)} = ${id})`;

function linkFilters(q: { contactId?: string; companyId?: string; dealId?: string }): (SQL | undefined)[] {
  return [
    q.contactId ? linkedTo('contact_id', q.contactId) : undefined,
    q.companyId ? linkedTo('company_id', q.companyId) : undefined,
    q.dealId ? linkedTo('deal_id', q.dealId) : undefined,
  ];
}

export async function listActivities(s: Scope, q: ActivityListQuery) {
  const rows = await selectActivities(s)
    .where(
      and(
        eq(activities.orgId, s.actor.orgId),
        activitiesVisibleTo(s.actor),
        deletedFilter(s, activities.deletedAt, q.deleted),
        afterCursor(activities.createdAt, activities.id, q.cursor),
        q.type ? eq(activities.type, q.type) : undefined,
        q.ownerId ? eq(activities.ownerId, q.ownerId) : undefined,
        ...linkFilters(q),
      ),
    )
    .orderBy(desc(activities.createdAt), desc(activities.id))
    .limit(q.limit + 1);
  const page = toPage(rows.map((r) => ({ ...r, id: r.activity.id })), q.limit, (r) => r);
  return { data: await presentActivities(s, page.data), nextCursor: page.nextCursor };
}

export async function listTasks(s: Scope, q: TaskListQuery) {
  const rows = await selectActivities(s)
    .where(
      and(
        eq(activities.orgId, s.actor.orgId),
        eq(activities.type, 'task'),
        activitiesVisibleTo(s.actor),
        deletedFilter(s, activities.deletedAt, q.deleted),
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
  return { data: await presentActivities(s, page.data), nextCursor: page.nextCursor };
}

async function findActivity(s: Scope, id: string, options: { includeDeleted?: boolean; type?: 'task' } = {}) {
  const [row] = await selectActivities(s).where(
    and(eq(activities.id, id), options.includeDeleted ? undefined : isNull(activities.deletedAt), options.type ? eq(activities.type, options.type) : undefined),
  );
  if (!row || !canReadOwned(s.actor, row.activity.ownerId)) throw notFound(options.type === 'task' ? 'Task' : 'Activity');
  return row;
}

export async function getActivity(s: Scope, id: string, type?: 'task') {
  const [activity] = await presentActivities(s, [await findActivity(s, id, { type })]);
  return activity!;
}

async function assertLinks(s: Scope, links: Partial<Links>) {
  await assertContactsExist(s, links.contactIds ?? []);
  await assertCompaniesExist(s, links.companyIds ?? [], 'companyIds');
  await assertDealsVisible(s, links.dealIds ?? []);
}

export async function writeLinks(s: Scope, activity: { id: string; occurredAt: Date; type: ActivityRow['type'] }, links: Links) {
  const rows = [
    ...[...new Set(links.contactIds)].map((contactId) => ({ contactId })),
    ...[...new Set(links.companyIds)].map((companyId) => ({ companyId })),
    ...[...new Set(links.dealIds)].map((dealId) => ({ dealId })),
  ].map((link) => ({ orgId: s.orgId, activityId: activity.id, occurredAt: activity.occurredAt, type: activity.type, ...link }));
  if (rows.length) await s.db.insert(activityLinks).values(rows);
}

async function linkedDealIds(s: Scope, activityId: string): Promise<string[]> {
  const rows = await s.db.select({ dealId: activityLinks.dealId }).from(activityLinks).where(and(eq(activityLinks.activityId, activityId), sql`${activityLinks.dealId} is not null`));
  return rows.map((r) => r.dealId!);
}

export async function createActivity(s: Scope, input: ActivityCreate, type?: 'task') {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot add activities');
  const ownerId = input.ownerId ?? s.actor.userId;
  if (!canWriteOwned(s.actor, ownerId)) throw forbidden('Reps can only add activities they own');
  if (input.ownerId) await assertMember(s, input.ownerId);
  const links = { contactIds: input.contactIds ?? [], companyIds: input.companyIds ?? [], dealIds: input.dealIds ?? [] };
  await assertLinks(s, links);
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : s.now();
  const values = {
    orgId: s.actor.orgId,
    type: input.type,
    subject: input.subject ?? null,
    body: input.body ?? null,
    direction: input.direction ?? null,
    occurredAt,
    dueAt: input.dueAt ? new Date(input.dueAt) : null,
    completedAt: input.completedAt ? new Date(input.completedAt) : null,
    ownerId,
  };
  const [created] = await s.db.insert(activities).values(values).returning();
  await writeLinks(s, created!, links);
  const changes = fieldChanges({}, { ...values, ...links });
  await recordAudit(s, 'create', type ?? 'activity', created!.id, changes);
  await dealsChanged(s, links.dealIds);
  const activity = await getActivity(s, created!.id, type);
  await s.emit({ type: input.type === 'task' ? 'task.created' : 'activity.created', recordId: activity.id, changes, data: { activity } });
  return activity;
}

export async function updateActivity(s: Scope, id: string, patch: ActivityUpdate, type?: 'task') {
  const current = await findActivity(s, id, { type });
  const a = current.activity;
  if (!canWriteOwned(s.actor, a.ownerId)) throw forbidden(s.actor.role === 'readonly' ? 'Read-only members cannot change activities' : 'Only the owner, a manager or an admin can change this');
  // Email tracking keeps these up to date; an edit would be overwritten by the next open or click.
  if (!isPersonActivityType(a.type)) throw forbidden('Opens and clicks are recorded by email tracking and cannot be edited');
  if (patch.ownerId !== undefined && patch.ownerId !== a.ownerId) {
    if (!canWriteOwned(s.actor, patch.ownerId)) throw forbidden('Reps cannot give their activities to someone else');
    await assertMember(s, patch.ownerId);
  }
  const { contactIds, companyIds, dealIds, occurredAt, dueAt, completedAt, ...fields } = patch;
  const linksChanged = contactIds !== undefined || companyIds !== undefined || dealIds !== undefined;
  const [before] = await presentActivities(s, [current]);
  const links = {
    contactIds: contactIds ?? before!.contactIds,
    companyIds: companyIds ?? before!.companyIds,
    dealIds: dealIds ?? before!.dealIds,
  };
  if (linksChanged) await assertLinks(s, { contactIds, companyIds, dealIds });
  const set: Partial<ActivityRow> = {
    ...fields,
    ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt) } : {}),
    ...(dueAt !== undefined ? { dueAt: dueAt ? new Date(dueAt) : null } : {}),
    ...(completedAt !== undefined ? { completedAt: completedAt ? new Date(completedAt) : null } : {}),
  };
  const changes = fieldChanges({ ...a, ...before }, { ...set, ...(linksChanged ? links : {}) });
  if (Object.keys(set).length) await s.db.update(activities).set({ ...set, updatedAt: s.now() }).where(eq(activities.id, id));
  if (linksChanged || set.occurredAt || set.type) {
    await s.db.delete(activityLinks).where(eq(activityLinks.activityId, id));
    await writeLinks(s, { id, occurredAt: set.occurredAt ?? a.occurredAt, type: set.type ?? a.type }, links);
  }
  if (Object.keys(changes).length === 0) return before!;
  await recordAudit(s, 'update', type ?? 'activity', id, changes);
  await dealsChanged(s, [...before!.dealIds, ...links.dealIds]);
  const activity = await getActivity(s, id, type);
  await s.emit(...activityUpdateEvents(a.type, changes).map((eventType) => ({ type: eventType, recordId: id, changes, data: { activity } })));
  return activity;
}

export async function deleteActivity(s: Scope, id: string, type?: 'task') {
  const current = await findActivity(s, id, { type });
  if (!canWriteOwned(s.actor, current.activity.ownerId)) throw forbidden('Only the owner, a manager or an admin can delete this');
  await s.db.update(activities).set({ deletedAt: s.now() }).where(eq(activities.id, id));
  await recordAudit(s, 'delete', type ?? 'activity', id);
  const dealIds = await linkedDealIds(s, id);
  await dealsChanged(s, dealIds);
  await s.emit({ type: 'activity.deleted', recordId: id, data: { type: current.activity.type, dealIds } });
}

export async function restoreActivity(s: Scope, id: string, type?: 'task') {
  const current = await findActivity(s, id, { includeDeleted: true, type }).catch(async (err: unknown) => {
    await goneIfPurged(s, type ? [type] : ['activity', 'task'], id, 'This record');
    throw err;
  });
  if (!isAdmin(s.actor)) throw forbidden('Only admins can restore deleted records');
  assertRestorable(current.activity.deletedAt, 'This record', s.now());
  await s.db.update(activities).set({ deletedAt: null, updatedAt: s.now() }).where(eq(activities.id, id));
  await recordAudit(s, 'restore', type ?? 'activity', id);
  await dealsChanged(s, await linkedDealIds(s, id));
  const activity = await getActivity(s, id, type);
  await s.emit({ type: 'activity.restored', recordId: id, data: { activity } });
  return activity;
}

/** A task's update also says whether it was completed or reopened; other activities just changed. */
function activityUpdateEvents(type: ActivityRow['type'], changes: FieldChanges): EventType[] {
  if (type !== 'task') return ['activity.updated'];
  const completion = changes.completedAt;
  if (!completion) return ['task.updated'];
  return ['task.updated', completion.new ? 'task.completed' : 'task.reopened'];
}

// ---- tasks ----

export function createTask(s: Scope, input: TaskCreate) {
  return createActivity(s, { ...input, type: 'task' }, 'task');
}

export function updateTask(s: Scope, id: string, patch: TaskUpdate) {
  const { completed, ...rest } = patch;
  const completedAt = completed === undefined ? undefined : completed ? s.now().toISOString() : null;
  return updateActivity(s, id, { ...rest, ...(completedAt !== undefined ? { completedAt } : {}) }, 'task');
}
