// Organizations, members, invitations, API keys and sessions. Some of this runs before a tenant
// is known (signing in, resolving an API key), so it queries as the owner role, never as app_user.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { isAdmin, type Actor, type Role } from '../../../core/roles.ts';
import type { Db, DbOrTx, Tx } from '../../../db/client.ts';
import { apiKeys, invitations, memberships, organizations, pipelines, pipelineStages, teams, user } from '../../../db/schema/index.ts';
import { withTenant } from '../../../db/tenant.ts';
import type { Auth } from './auth.ts';
import { recordAudit } from '../records/audit.ts';
import { iso, isoOrNull } from '../records/records.ts';

export const API_KEY_PREFIX = 'crm_';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const INVITATION_DAYS = 7;

export async function actorForApiKey(db: Db, key: string): Promise<Actor | null> {
  const [row] = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId, userId: apiKeys.userId, role: memberships.role, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(memberships, and(eq(memberships.orgId, apiKeys.orgId), eq(memberships.userId, apiKeys.userId)))
    .where(and(eq(apiKeys.keyHash, sha256(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  // Record use at most once a minute, so a busy key does not write on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  }
  return { orgId: row.orgId, userId: row.userId, role: row.role };
}

export async function actorForUser(db: Db, userId: string, orgId?: string): Promise<Actor | null> {
  const rows = await db
    .select({ orgId: memberships.orgId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  const chosen = orgId ? rows.find((r) => r.orgId === orgId) : rows[0];
  return chosen ? { orgId: chosen.orgId, userId, role: chosen.role } : null;
}

export async function createApiKey(tx: Tx, actor: Actor, name: string, forUserId = actor.userId) {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const [row] = await tx
    .insert(apiKeys)
    .values({ orgId: actor.orgId, userId: forUserId, name, keyHash: sha256(key), prefix: key.slice(0, 10) })
    .returning();
  return { ...presentApiKey(row!), key };
}

const presentApiKey = (k: typeof apiKeys.$inferSelect) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: iso(k.createdAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
  revokedAt: isoOrNull(k.revokedAt),
});

export async function listApiKeys(tx: Tx, actor: Actor) {
  const rows = await tx.select().from(apiKeys).where(eq(apiKeys.userId, actor.userId)).orderBy(asc(apiKeys.createdAt));
  return rows.map(presentApiKey);
}

export async function revokeApiKey(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx.select().from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.userId, actor.userId)));
  if (!row) throw notFound('API key');
  if (!row.revokedAt) await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
}

export const defaultStages = [
  { name: 'Discovery', defaultProbability: 10 },
  { name: 'Qualification', defaultProbability: 25 },
  { name: 'Proposal', defaultProbability: 50 },
  { name: 'Negotiation', defaultProbability: 75 },
  { name: 'Closed Won', defaultProbability: 100, isWon: true },
  { name: 'Closed Lost', defaultProbability: 0, isLost: true },
];

/** A new organization with its first admin and a default sales pipeline. */
export async function createOrganization(db: DbOrTx, name: string, adminUserId: string) {
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name }).returning();
    const orgId = org!.id;
    return withTenant(tx, orgId, async (t) => {
      await t.insert(memberships).values({ orgId, userId: adminUserId, role: 'admin' });
      const [pipeline] = await t.insert(pipelines).values({ orgId, name: 'Sales', isDefault: true }).returning();
      await t.insert(pipelineStages).values(
        defaultStages.map((s, position) => ({ orgId, pipelineId: pipeline!.id, position, isWon: false, isLost: false, ...s })),
      );
      return org!;
    });
  });
}

/** Creates a person who can sign in with a password (better-auth hashes and stores it). */
export async function createPasswordUser(auth: Auth, input: { email: string; name: string; password: string }) {
  try {
    const result = await auth.api.signUpEmail({ body: input });
    return { userId: result.user.id, token: result.token };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/exist/i.test(message)) throw new AppError('CONFLICT', 'An account with this email already exists; sign in instead');
    if (/password/i.test(message)) throw new AppError('VALIDATION_FAILED', message, [{ path: 'password', message }]);
    throw err;
  }
}

export async function signUp(db: Db, auth: Auth, input: { name: string; email: string; password: string; organizationName: string }) {
  const { userId, token } = await createPasswordUser(auth, { email: input.email, name: input.name, password: input.password });
  const org = await createOrganization(db, input.organizationName, userId);
  return sessionBody(db, token!, userId, org.id);
}

export async function signIn(db: Db, auth: Auth, email: string, password: string) {
  let result;
  try {
    result = await auth.api.signInEmail({ body: { email, password } });
  } catch {
    throw new AppError('UNAUTHENTICATED', 'Wrong email or password');
  }
  const actor = await actorForUser(db, result.user.id);
  if (!actor) throw new AppError('FORBIDDEN', 'You are not a member of any organization yet');
  return sessionBody(db, result.token, result.user.id, actor.orgId);
}

async function sessionBody(db: Db, token: string, userId: string, orgId: string) {
  const me = await describeMe(db, userId, orgId);
  return { token, user: me.user, organization: me.organization, role: me.role };
}

export async function describeMe(db: Db, userId: string, orgId: string) {
  const rows = await db
    .select({ orgId: organizations.id, orgName: organizations.name, role: memberships.role, name: user.name, email: user.email })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  const current = rows.find((r) => r.orgId === orgId);
  if (!current) throw notFound('Membership');
  return {
    user: { id: userId, name: current.name, email: current.email },
    organization: { id: current.orgId, name: current.orgName },
    role: current.role,
    organizations: rows.map((r) => ({ id: r.orgId, name: r.orgName, role: r.role })),
  };
}

// ---- members and teams ----

export async function listMembers(tx: Tx) {
  const rows = await tx
    .select({ userId: memberships.userId, name: user.name, email: user.email, role: memberships.role, teamId: memberships.teamId, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .orderBy(asc(user.name));
  return rows.map((r) => ({ ...r, joinedAt: iso(r.joinedAt) }));
}

export async function updateMember(tx: Tx, actor: Actor, userId: string, patch: { role?: Role; teamId?: string | null }) {
  const [current] = await tx.select().from(memberships).where(eq(memberships.userId, userId));
  if (!current) throw notFound('Member');
  if (!isAdmin(actor)) throw forbidden('Only admins can change members');
  if (patch.teamId) {
    const [team] = await tx.select().from(teams).where(eq(teams.id, patch.teamId));
    if (!team) throw new AppError('INVALID_REFERENCE', 'teamId: no such team', [{ path: 'teamId', message: 'no such team' }]);
  }
  if (patch.role && patch.role !== 'admin' && current.role === 'admin') await assertAnotherAdmin(tx, userId);
  await tx.update(memberships).set(patch).where(eq(memberships.userId, userId));
  await recordAudit(tx, actor, 'update', 'membership', userId, { role: { old: current.role, new: patch.role ?? current.role } });
  return (await listMembers(tx)).find((m) => m.userId === userId)!;
}

export async function removeMember(tx: Tx, actor: Actor, userId: string) {
  const [current] = await tx.select().from(memberships).where(eq(memberships.userId, userId));
  if (!current) throw notFound('Member');
  if (!isAdmin(actor)) throw forbidden('Only admins can remove members');
  if (current.role === 'admin') await assertAnotherAdmin(tx, userId);
  await tx.delete(memberships).where(eq(memberships.userId, userId));
  await tx.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
  await recordAudit(tx, actor, 'delete', 'membership', userId);
}

async function assertAnotherAdmin(tx: Tx, userId: string) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.role, 'admin'), sql`${memberships.userId} <> ${userId}`));
  if (!row || row.n === 0) throw new AppError('CONFLICT', 'An organization needs at least one admin');
}

export async function listTeams(tx: Tx) {
  return tx.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name));
}

export async function createTeam(tx: Tx, actor: Actor, name: string) {
  if (!isAdmin(actor)) throw forbidden('Only admins can create teams');
  const [existing] = await tx.select().from(teams).where(eq(teams.name, name));
  if (existing) throw new AppError('CONFLICT', `A team named ${name} already exists`);
  const [team] = await tx.insert(teams).values({ orgId: actor.orgId, name }).returning({ id: teams.id, name: teams.name });
  return team!;
}

// ---- invitations ----

const presentInvitation = (i: typeof invitations.$inferSelect) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  expiresAt: iso(i.expiresAt),
  acceptedAt: isoOrNull(i.acceptedAt),
});

export async function createInvitation(tx: Tx, actor: Actor, input: { email: string; role: Role }, publicUrl: string) {
  if (!isAdmin(actor)) throw forbidden('Only admins can invite members');
  const [member] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(sql`lower(${user.email}) = ${input.email.toLowerCase()}`);
  if (member) throw new AppError('CONFLICT', `${input.email} is already a member`);
  const token = randomBytes(24).toString('base64url');
  const [row] = await tx
    .insert(invitations)
    .values({
      orgId: actor.orgId,
      email: input.email.toLowerCase(),
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    })
    .returning();
  await recordAudit(tx, actor, 'create', 'invitation', row!.id, { email: { old: null, new: input.email }, role: { old: null, new: input.role } });
  return { ...presentInvitation(row!), inviteUrl: `${publicUrl}/invite?token=${token}` };
}

export async function listInvitations(tx: Tx, actor: Actor) {
  if (!isAdmin(actor)) throw forbidden('Only admins can see invitations');
  const rows = await tx.select().from(invitations).orderBy(asc(invitations.createdAt));
  return rows.map(presentInvitation);
}

export async function revokeInvitation(tx: Tx, actor: Actor, id: string) {
  const [open] = await tx.select().from(invitations).where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)));
  if (!open) throw notFound('Open invitation');
  if (!isAdmin(actor)) throw forbidden('Only admins can revoke invitations');
  await tx.delete(invitations).where(eq(invitations.id, id));
  await recordAudit(tx, actor, 'delete', 'invitation', id);
}

/**
 * Joins the invitation's organization. A newcomer gives a name and password; someone who already
 * has an account proves it with their password.
 */
export async function acceptInvitation(db: Db, auth: Auth, input: { token: string; name?: string; password?: string }) {
  const [invitation] = await db.select().from(invitations).where(eq(invitations.tokenHash, sha256(input.token)));
  if (!invitation || invitation.acceptedAt) throw notFound('Invitation');
  if (invitation.expiresAt.getTime() < Date.now()) throw new AppError('GONE', 'This invitation has expired; ask your admin for a new one');
  if (!input.password) throw new AppError('VALIDATION_FAILED', 'password: required', [{ path: 'password', message: 'required' }]);

  const [existing] = await db.select({ id: user.id }).from(user).where(sql`lower(${user.email}) = ${invitation.email}`);
  let token: string;
  let userId: string;
  if (existing) {
    try {
      const result = await auth.api.signInEmail({ body: { email: invitation.email, password: input.password } });
      token = result.token;
      userId = result.user.id;
    } catch {
      throw new AppError('UNAUTHENTICATED', 'Wrong password for the existing account');
    }
  } else {
    if (!input.name) throw new AppError('VALIDATION_FAILED', 'name: required for a new account', [{ path: 'name', message: 'required' }]);
    const created = await createPasswordUser(auth, { email: invitation.email, name: input.name, password: input.password });
    token = created.token!;
    userId = created.userId;
  }
  await db.transaction(async (tx) => {
    const claimed = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
      .returning();
    if (claimed.length === 0) throw notFound('Invitation');
    await tx.insert(memberships).values({ orgId: invitation.orgId, userId, role: invitation.role }).onConflictDoNothing();
  });
  return sessionBody(db, token, userId, invitation.orgId);
}
