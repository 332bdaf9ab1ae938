// The organization's members and teams: who belongs, with which role and team.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { isAdmin, type Role } from '../../../core/roles.ts';
import { apiKeys, memberships, teams, user } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recordAudit } from '../records/audit.ts';
import { iso } from '../records/records.ts';

export async function listMembers(s: Scope) {
  const rows = await s.db
    .select({ userId: memberships.userId, name: user.name, email: user.email, role: memberships.role, teamId: memberships.teamId, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .orderBy(asc(user.name));
  return rows.map((r) => ({ ...r, joinedAt: iso(r.joinedAt) }));
}

/** One member as listMembers shows them: the snapshot member events carry. */
export async function memberSnapshot(s: Scope, userId: string) {
  const [row] = await s.db
    .select({ userId: memberships.userId, name: user.name, email: user.email, role: memberships.role, teamId: memberships.teamId, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(eq(memberships.userId, userId));
  if (!row) throw notFound('Member');
  return { ...row, joinedAt: iso(row.joinedAt) };
}

export async function updateMember(s: Scope, userId: string, patch: { role?: Role; teamId?: string | null }) {
  const [current] = await s.db.select().from(memberships).where(eq(memberships.userId, userId));
  if (!current) throw notFound('Member');
  if (!isAdmin(s.actor)) throw forbidden('Only admins can change members');
  if (patch.teamId) {
    const [team] = await s.db.select().from(teams).where(eq(teams.id, patch.teamId));
    if (!team) throw new AppError('INVALID_REFERENCE', 'teamId: no such team', [{ path: 'teamId', message: 'no such team' }]);
  }
  if (patch.role && patch.role !== 'admin' && current.role === 'admin') await assertAnotherAdmin(s, userId);
  const changes = fieldChanges(current, patch);
  if (Object.keys(changes).length > 0) {
    await s.db.update(memberships).set(patch).where(eq(memberships.userId, userId));
    await recordAudit(s, 'update', 'membership', userId, changes);
    await s.emit({ type: 'member.updated', recordId: userId, changes, data: { member: await memberSnapshot(s, userId) } });
  }
  return memberSnapshot(s, userId);
}

/** Removes a member; their API keys in this organization stop working at once. */
export async function removeMember(s: Scope, userId: string) {
  const [current] = await s.db.select().from(memberships).where(eq(memberships.userId, userId));
  if (!current) throw notFound('Member');
  if (!isAdmin(s.actor)) throw forbidden('Only admins can remove members');
  if (current.role === 'admin') await assertAnotherAdmin(s, userId);
  const member = await memberSnapshot(s, userId);
  await s.db.delete(memberships).where(eq(memberships.userId, userId));
  const revoked = await s.db
    .update(apiKeys)
    .set({ revokedAt: s.now() })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
  await recordAudit(s, 'delete', 'membership', userId, { role: { old: current.role, new: null } });
  await s.emit(
    { type: 'member.removed', recordId: userId, changes: { role: { old: current.role, new: null } }, data: { member } },
    ...revoked.map((k) => ({ type: 'api_key.revoked' as const, recordId: k.id, data: { apiKey: { ...k, userId }, reason: 'member_removed' } })),
  );
}

async function assertAnotherAdmin(s: Scope, userId: string) {
  const [row] = await s.db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.role, 'admin'), sql`${memberships.userId} <> ${userId}`));
  if (!row || row.n === 0) throw new AppError('CONFLICT', 'An organization needs at least one admin');
}

export async function listTeams(s: Scope) {
  return s.db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name));
}

export async function createTeam(s: Scope, name: string) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can create teams');
  const [existing] = await s.db.select().from(teams).where(eq(teams.name, name));
  if (existing) throw new AppError('CONFLICT', `A team named ${name} already exists`);
  const [team] = await s.db.insert(teams).values({ orgId: s.orgId, name }).returning({ id: teams.id, name: teams.name });
  await recordAudit(s, 'create', 'team', team!.id, { name: { old: null, new: name } });
  await s.emit({ type: 'team.created', recordId: team!.id, changes: { name: { old: null, new: name } }, data: { team: team! } });
  return team!;
}
