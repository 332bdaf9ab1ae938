// Reading the audit log (admins): who changed what and when, newest first, filtered by person,
// record and time, with each record's current name where it still has one.
import { alias } from 'drizzle-orm/pg-core';
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { forbidden } from '../../../core/errors.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { AuditEntry, AuditQuery } from '../../../core/schemas/admin.ts';
import { activities, auditLog, companies, contacts, deals, invitations, pipelines, pipelineStages, teams, user } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { iso } from './records.ts';

const actorUser = alias(user, 'actor_user');
const subjectUser = alias(user, 'subject_user');
const is = (type: string) => sql`${auditLog.entityType} = ${type}`;

export async function listAuditLog(s: Scope, q: AuditQuery): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can read the audit log');
  const rows = await s.db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      changes: auditLog.changes,
      actorId: auditLog.actorId,
      actorName: actorUser.name,
      actorEmail: actorUser.email,
      names: {
        deal: deals.name,
        company: companies.name,
        contact: sql<string | null>`coalesce(nullif(trim(concat_ws(' ', ${contacts.firstName}, ${contacts.lastName})), ''), ${contacts.email})`,
        activity: sql<string | null>`coalesce(${activities.subject}, ${activities.type})`,
        member: subjectUser.name,
        team: teams.name,
        pipeline: pipelines.name,
        stage: pipelineStages.name,
        invitation: invitations.email,
      },
    })
    .from(auditLog)
    .leftJoin(actorUser, eq(actorUser.id, auditLog.actorId))
    .leftJoin(deals, and(is('deal'), eq(deals.id, auditLog.entityId)))
    .leftJoin(companies, and(is('company'), eq(companies.id, auditLog.entityId)))
    .leftJoin(contacts, and(is('contact'), eq(contacts.id, auditLog.entityId)))
    .leftJoin(activities, and(sql`${auditLog.entityType} in ('activity', 'task')`, eq(activities.id, auditLog.entityId)))
    .leftJoin(subjectUser, and(is('membership'), eq(subjectUser.id, auditLog.entityId)))
    .leftJoin(teams, and(is('team'), eq(teams.id, auditLog.entityId)))
    .leftJoin(pipelines, and(is('pipeline'), eq(pipelines.id, auditLog.entityId)))
    .leftJoin(pipelineStages, and(is('stage'), eq(pipelineStages.id, auditLog.entityId)))
    .leftJoin(invitations, and(is('invitation'), eq(invitations.id, auditLog.entityId)))
    .where(
      and(
        q.actorId ? eq(auditLog.actorId, q.actorId) : undefined,
        q.entityType ? eq(auditLog.entityType, q.entityType) : undefined,
        q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
        q.from ? gte(auditLog.at, new Date(q.from)) : undefined,
        q.to ? lt(auditLog.at, new Date(q.to)) : undefined,
        q.cursor ? lt(auditLog.id, Number(q.cursor)) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) => ({
      id: r.id,
      at: iso(r.at),
      actor: r.actorId && r.actorName !== null ? { id: r.actorId, name: r.actorName, email: r.actorEmail ?? '' } : null,
      action: r.action as AuditEntry['action'],
      entityType: r.entityType,
      entityId: r.entityId,
      entityName: Object.values(r.names).find((name) => name !== null) ?? null,
      changes: r.changes,
    })),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
  };
}
