// Pieces every record service shares: keyset pages, soft-delete windows, reference checks.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { decodeCursor, encodeCursor } from '../../../core/cursor.ts';
import { AppError } from '../../../core/errors.ts';
import { auditLog, companies, contacts, deals, memberships, user } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

export const RESTORE_WINDOW_DAYS = 30;

/** Rows strictly after the cursor in (createdAt desc, id desc) order. */
export function afterCursor(createdAt: PgColumn, id: PgColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const position = decodeCursor(cursor);
  if (!position) throw new AppError('VALIDATION_FAILED', 'cursor: not a cursor this API produced', [{ path: 'cursor', message: 'invalid cursor' }]);
  return sql`(${createdAt}, ${id}) < (${position.createdAt}::timestamptz, ${position.id}::uuid)`;
}

/** The cursor column to select alongside a row: its creation time as Postgres prints it. */
export const cursorKey = (createdAt: PgColumn) => sql<string>`${createdAt}::text`;

/** Cuts the extra row fetched to learn whether there is a next page. */
export function toPage<R extends { cursorKey: string; id: string }, T>(rows: R[], limit: number, present: (row: R) => T) {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    data: kept.map(present),
    nextCursor: more && last ? encodeCursor({ createdAt: last.cursorKey, id: last.id }) : null,
  };
}

/** Which rows a list shows: live ones, or (admins only) those deleted within the restore window. */
export function deletedFilter(s: Scope, deletedAt: PgColumn, wantDeleted: boolean | undefined): SQL {
  if (!wantDeleted) return isNull(deletedAt);
  if (s.actor.role !== 'admin') throw new AppError('FORBIDDEN', 'Only admins can see deleted records');
  return sql`${deletedAt} > ${new Date(s.now().getTime() - RESTORE_WINDOW_DAYS * 86_400_000).toISOString()}::timestamptz`;
}

/** Throws GONE unless a deleted record is still inside the restore window. */
export function assertRestorable(deletedAt: Date | null, what: string, now: Date) {
  if (!deletedAt) throw new AppError('CONFLICT', `${what} is not deleted`);
  if (now.getTime() - deletedAt.getTime() > RESTORE_WINDOW_DAYS * 86_400_000) {
    throw new AppError('GONE', `${what} was deleted more than ${RESTORE_WINDOW_DAYS} days ago and can no longer be restored`);
  }
}

/**
 * Restore of a record that is no longer there: if the audit log shows it was deleted, the purge job
 * removed it after the restore window, and an admin gets the same 410 as just before the purge.
 * Anything else (never existed, another org's, not an admin) stays a 404. Call it, then rethrow.
 */
export async function goneIfPurged(s: Scope, entityTypes: string[], id: string, what: string) {
  if (s.actor.role !== 'admin') return;
  const [deleted] = await s.db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, s.actor.orgId), inArray(auditLog.entityType, entityTypes), eq(auditLog.entityId, id), eq(auditLog.action, 'delete')))
    .limit(1);
  if (deleted) throw new AppError('GONE', `${what} was deleted more than ${RESTORE_WINDOW_DAYS} days ago and can no longer be restored`);
}

const invalidReference = (field: string, message: string) =>
  new AppError('INVALID_REFERENCE', `${field}: ${message}`, [{ path: field, message }]);

export async function assertMember(s: Scope, userId: string, field = 'ownerId') {
  const [row] = await s.db.select({ userId: memberships.userId, deactivatedAt: memberships.deactivatedAt }).from(memberships).where(eq(memberships.userId, userId));
  if (!row) throw invalidReference(field, 'no such member of this organization');
  if (row.deactivatedAt) throw invalidReference(field, 'this member is deactivated');
}

export async function assertCompaniesExist(s: Scope, ids: string[], field = 'companyId') {
  if (ids.length === 0) return;
  const found = await s.db.select({ id: companies.id }).from(companies).where(and(inArray(companies.id, ids), isNull(companies.deletedAt)));
  if (found.length !== new Set(ids).size) throw invalidReference(field, 'no such company');
}

export async function assertContactsExist(s: Scope, ids: string[], field = 'contactIds') {
  if (ids.length === 0) return;
  const found = await s.db.select({ id: contacts.id }).from(contacts).where(and(inArray(contacts.id, ids), isNull(contacts.deletedAt)));
  if (found.length !== new Set(ids).size) throw invalidReference(field, 'no such contact');
}

/** Deals an actor may attach things to: live, and visible to them. */
export async function assertDealsVisible(s: Scope, ids: string[], field = 'dealIds') {
  if (ids.length === 0) return;
  const found = await s.db
    .select({ id: deals.id, ownerId: deals.ownerId })
    .from(deals)
    .where(and(inArray(deals.id, ids), isNull(deals.deletedAt)));
  const visible = found.filter((d) => s.actor.role !== 'rep' || d.ownerId === s.actor.userId);
  if (visible.length !== new Set(ids).size) throw invalidReference(field, 'no such deal');
}

export const ownerColumns = { ownerName: user.name, ownerEmail: user.email };

export function ownerRef(ownerId: string | null, name: string | null, email: string | null) {
  return ownerId && name !== null ? { id: ownerId, name, email: email ?? '' } : null;
}

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
