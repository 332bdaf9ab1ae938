// The organization's members and teams: who belongs, with which role and team.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { fieldChanges } from '../../../core/diff.ts';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { isAdmin, type Role } from '../../../core/roles.ts';
import { apiKeys, memberships, teams, user } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recordAudit } from '../records/audit.ts';
import { iso, isoOrNull } from '../records/records.ts';

const memberColumns = {
  userId: memberships.userId,
  name: user.name,
  email: user.email,
  role: memberships.role,
  teamId: memberships.teamId,
  joinedAt: memberships.createdAt,
  deactivatedAt: memberships.deactivatedAt,
};
const presentMember = <R extends { joinedAt: Date; deactivatedAt: Date | null }>(r: R) => ({ ...r, joinedAt: iso(r.joinedAt), deactivatedAt: isoOrNull(r.deactivatedAt) });

export async function listMembers(s: Scope) {
  const rows = await s.db.select(memberColumns).from(memberships).innerJoin(user, eq(user.id, memberships.userId)).orderBy(asc(user.name));
  return rows.map(presentMember);
}

/** One member as listMembers shows them: the snapshot member events carry. */
export async function memberSnapshot(s: Scope, userId: string) {
  const [row] = await s.db.select(memberColumns).from(memberships).innerJoin(user, eq(user.id, memberships.userId)).where(eq(memberships.userId, userId));
  if (!row) throw notFound('Member');
  return presentMember(row);
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

/** An organization keeps at least one active admin: the last one cannot be demoted, removed or deactivated. */
async function assertAnotherAdmin(s: Scope, userId: string) {
  const [row] = await s.db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.role, 'admin'), isNull(memberships.deactivatedAt), sql`${memberships.userId} <> ${userId}`));
  if (!row || row.n === 0) throw new AppError('CONFLICT', 'An organization needs at least one active admin: make someone else an admin first');
}

/**
 * Deactivates (or reactivates) a member: while deactivated they cannot sign in to this organization
 * and their API keys here do not work; their deals, contacts and activities stay theirs.
 */
export async function setMemberActive(s: Scope, userId: string, active: boolean) {
  const [current] = await s.db.select().from(memberships).where(eq(memberships.userId, userId));
  if (!current) throw notFound('Member');
  if (!isAdmin(s.actor)) throw forbidden('Only admins can deactivate or reactivate members');
  if ((current.deactivatedAt === null) === active) return memberSnapshot(s, userId);
  if (!active) {
    if (userId === s.actor.userId) throw new AppError('CONFLICT', 'You cannot deactivate yourself');
    if (current.role === 'admin') await assertAnotherAdmin(s, userId);
  }
  const deactivatedAt = active ? null : s.now();
  await s.db.update(memberships).set({ deactivatedAt }).where(eq(memberships.userId, userId));
  const changes = { deactivatedAt: { old: isoOrNull(current.deactivatedAt), new: isoOrNull(deactivatedAt) } };
  await recordAudit(s, 'update', 'membership', userId, changes);
  const member = await memberSnapshot(s, userId);
  await s.emit({ type: 'member.updated', recordId: userId, changes, data: { member } });
  return member;
}

export async function listTeams(s: Scope) {
  return s.db
    .select({ id: teams.id, name: teams.name, members: sql<number>`(select count(*)::int from memberships m where m.org_id = ${s.orgId} and m.team_id = ${teams.id} and m.deactivated_at is null)` })
    .from(teams)
    .orderBy(asc(teams.name));
}

async function teamSnapshot(s: Scope, id: string) {
  const team = (await listTeams(s)).find((t) => t.id === id);
  if (!team) throw notFound('Team');
  return team;
}

async function assertTeamNameFree(s: Scope, name: string, exceptId?: string) {
  const [existing] = await s.db.select({ id: teams.id }).from(teams).where(and(eq(teams.name, name), exceptId ? sql`${teams.id} <> ${exceptId}` : undefined));
  if (existing) throw new AppError('CONFLICT', `A team named ${name} already exists`);
}

export async function createTeam(s: Scope, name: string) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can create teams');
  await assertTeamNameFree(s, name);
  const [team] = await s.db.insert(teams).values({ orgId: s.orgId, name }).returning({ id: teams.id, name: teams.name });
  await recordAudit(s, 'create', 'team', team!.id, { name: { old: null, new: name } });
  await s.emit({ type: 'team.created', recordId: team!.id, changes: { name: { old: null, new: name } }, data: { team: team! } });
  return { ...team!, members: 0 };
}

export async function renameTeam(s: Scope, id: string, name: string) {
  const before = await teamSnapshot(s, id);
  if (!isAdmin(s.actor)) throw forbidden('Only admins can rename teams');
  if (before.name === name) return before;
  await assertTeamNameFree(s, name, id);
  await s.db.update(teams).set({ name }).where(eq(teams.id, id));
  const changes = { name: { old: before.name, new: name } };
  await recordAudit(s, 'update', 'team', id, changes);
  const team = await teamSnapshot(s, id);
  await s.emit({ type: 'team.updated', recordId: id, changes, data: { team } });
  return team;
}

/** Deletes a team; its members stay in the organization, without a team. */
export async function deleteTeam(s: Scope, id: string) {
  const before = await teamSnapshot(s, id);
  if (!isAdmin(s.actor)) throw forbidden('Only admins can delete teams');
  await s.db.update(memberships).set({ teamId: null }).where(eq(memberships.teamId, id));
  await s.db.delete(teams).where(eq(teams.id, id));
  await recordAudit(s, 'delete', 'team', id, { name: { old: before.name, new: null } });
  await s.emit({ type: 'team.deleted', recordId: id, data: { team: before } });
}
