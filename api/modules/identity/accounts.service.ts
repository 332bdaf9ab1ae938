// Accounts: signing up, signing in, accepting an invitation, and resolving a credential to an actor.
//
// All of this runs before a tenant is known (a sign-up creates it; an API key, a session or an
// invitation token is what names it), and the credential tables (user, account, session) are never
// granted to app_user, so these functions query as the owner role, in their own transactions. Each
// does its credential work first and then enters the organization's scope (inTenant) in the same
// transaction: the account and its membership exist together or not at all.
//
// Email ownership. Anyone can sign up with any address; the account stays unverified until its
// owner follows the verification link (written to the log until a mailer exists, and returned by
// the sign-up answer outside production). An unverified account is never attached to an
// organization someone else runs: the admin command refuses it, and an invitation (whose token was
// sent to that address, so holding it proves the address) lets the real owner take it over.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../../core/errors.ts';
import type { Actor, Role } from '../../../core/roles.ts';
import type { Db, Tx } from '../../../db/client.ts';
import { account, apiKeys, invitations, memberships, organizations, session, user } from '../../../db/schema/index.ts';
import type { Logger } from '../../log.ts';
import { isUniqueViolation } from '../../platform/http/errors.ts';
import { inTenant, type Clock } from '../../platform/tenancy/scope.ts';
import { API_KEY_PREFIX, hashApiKey } from './api-keys.service.ts';
import { queueAccountMail } from '../mail/mail-outbox.service.ts';
import { verificationLink, type Auth } from './auth.ts';
import { hashToken } from './invitations.service.ts';
import { addMember, createOrganization } from './organizations.service.ts';

export { API_KEY_PREFIX };

export interface AccountDeps {
  db: Db;
  auth: Auth;
  clock: Clock;
  log: Logger;
}

type UserRow = typeof user.$inferSelect;

// ---- resolving credentials ----

/** The actor an API key acts as, and the key's id (its request budget), or null. */
export async function actorForApiKey(db: Db, key: string, now: Date): Promise<{ actor: Actor; keyId: string } | null> {
  const [row] = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId, userId: apiKeys.userId, role: memberships.role, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(memberships, and(eq(memberships.orgId, apiKeys.orgId), eq(memberships.userId, apiKeys.userId), isNull(memberships.deactivatedAt)))
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  // Record use at most once a minute, so a busy key does not write on every request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { actor: { orgId: row.orgId, userId: row.userId, role: row.role }, keyId: row.id };
}

/** The user's active membership in `orgId`, or in their first organization. */
export async function actorForUser(db: Db, userId: string, orgId?: string): Promise<Actor | null> {
  const rows = await db
    .select({ orgId: memberships.orgId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)))
    .orderBy(asc(memberships.createdAt));
  const chosen = orgId ? rows.find((r) => r.orgId === orgId) : rows[0];
  return chosen ? { orgId: chosen.orgId, userId, role: chosen.role } : null;
}

/** The caller and every organization they belong to (across tenants, by design: it is their own list). */
export async function describeMe(db: Db, userId: string, orgId: string) {
  const rows = await db
    .select({ orgId: organizations.id, orgName: organizations.name, role: memberships.role, name: user.name, email: user.email, emailVerified: user.emailVerified })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)))
    .orderBy(asc(memberships.createdAt));
  const current = rows.find((r) => r.orgId === orgId);
  if (!current) throw notFound('Membership');
  return {
    user: { id: userId, name: current.name, email: current.email },
    organization: { id: current.orgId, name: current.orgName },
    role: current.role,
    organizations: rows.map((r) => ({ id: r.orgId, name: r.orgName, role: r.role })),
    emailVerified: current.emailVerified,
  };
}

/** A new email verification link for the caller (mailed; answered outside production). */
export async function resendVerification(deps: Pick<AccountDeps, 'db' | 'auth' | 'log'>, userId: string, options: { revealVerificationUrl: boolean }) {
  const [row] = await deps.db.select({ email: user.email, name: user.name, verified: user.emailVerified }).from(user).where(eq(user.id, userId));
  if (!row) throw notFound('User');
  if (row.verified) return { sent: false };
  const verificationUrl = await verificationLink(deps.auth, userId, row.email);
  await queueAccountMail(deps.db, { to: row.email, userId, template: 'email_verification', data: { name: row.name, url: verificationUrl }, dedupeKey: `verify:${verificationUrl}` });
  deps.log.info('email verification mail queued', { userId });
  return options.revealVerificationUrl ? { sent: true, verificationUrl } : { sent: true };
}

// ---- accounts with a password ----

const findUserByEmail = async (db: Db | Tx, email: string): Promise<UserRow | undefined> =>
  (await db.select().from(user).where(sql`lower(${user.email}) = ${email.toLowerCase()}`))[0];

async function passwordHashOf(db: Db | Tx, userId: string): Promise<string | null> {
  const [row] = await db.select({ password: account.password }).from(account).where(and(eq(account.userId, userId), eq(account.providerId, 'credential')));
  return row?.password ?? null;
}

async function passwordMatches(auth: Auth, hash: string | null, password: string): Promise<boolean> {
  if (!hash) return false;
  return (await auth.$context).password.verify({ hash, password });
}

/** Hashes outside the transaction: scrypt takes tens of milliseconds that no lock should wait for. */
const hashPassword = async (auth: Auth, password: string) => (await auth.$context).password.hash(password);

/** A user with a password, as better-auth stores one (the `credential` account), in the caller's transaction. */
async function insertPasswordUser(tx: Tx, input: { email: string; name: string; passwordHash: string; verified: boolean; now: Date }): Promise<string> {
  const [created] = await tx
    .insert(user)
    .values({ email: input.email.toLowerCase(), name: input.name, emailVerified: input.verified, createdAt: input.now, updatedAt: input.now })
    .returning({ id: user.id });
  const userId = created!.id;
  await tx.insert(account).values({ userId, accountId: userId, providerId: 'credential', password: input.passwordHash, createdAt: input.now, updatedAt: input.now });
  return userId;
}

/** A session for a user whose account was just committed; its token is the bearer token. */
async function startSession(auth: Auth, userId: string): Promise<string> {
  const created = await (await auth.$context).internalAdapter.createSession(userId);
  if (!created) throw new Error('better-auth did not create a session');
  return created.token;
}

async function sessionBody(db: Db, token: string, userId: string, orgId: string) {
  const { emailVerified: _verified, ...me } = await describeMe(db, userId, orgId);
  return { token, user: me.user, organization: me.organization, role: me.role };
}

const conflictOnRace = (err: unknown, message: string): never => {
  if (isUniqueViolation(err)) throw new AppError('CONFLICT', message);
  throw err;
};

/**
 * Creates a person who can sign in with a password, for the demo seed and the admin command: the
 * operator vouches for the address, so it counts as verified.
 */
export async function createPasswordUser(deps: Pick<AccountDeps, 'db' | 'auth' | 'clock'>, input: { email: string; name: string; password: string }) {
  const passwordHash = await hashPassword(deps.auth, input.password);
  const userId = await deps.db
    .transaction((tx) => insertPasswordUser(tx, { ...input, passwordHash, verified: true, now: deps.clock() }))
    .catch((err: unknown) => conflictOnRace(err, 'An account with this email already exists'));
  return { userId };
}

// ---- sign up ----

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
  organizationName: string;
}

/**
 * A new account and its organization, in one transaction: a failure anywhere leaves nothing behind,
 * and two sign-ups racing for one address give one account and a 409. An account left without an
 * organization by an older, non-atomic sign-up is completed when its owner signs up again with its
 * password. The answer carries a session; the email verification link goes to the log (and, outside
 * production, into the answer as `verificationUrl`).
 */
export async function signUp(deps: AccountDeps, input: SignUpInput, options: { revealVerificationUrl: boolean }) {
  const { db, auth, clock, log } = deps;
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(auth, input.password);
  const existing = await findUserByEmail(db, email);
  let userId: string;
  if (existing) {
    const stranded = (await actorForUser(db, existing.id)) === null && (await passwordMatches(auth, await passwordHashOf(db, existing.id), input.password));
    if (!stranded) throw new AppError('CONFLICT', 'An account with this email already exists; sign in instead');
    const adminUserId = (userId = existing.id);
    await db.transaction((tx) => createOrganization(tx, clock, { name: input.organizationName, adminUserId, via: 'signup' }));
  } else {
    userId = await db
      .transaction(async (tx) => {
        const id = await insertPasswordUser(tx, { email, name: input.name, passwordHash, verified: false, now: clock() });
        await createOrganization(tx, clock, { name: input.organizationName, adminUserId: id, via: 'signup' });
        return id;
      })
      .catch((err: unknown) => conflictOnRace(err, 'An account with this email already exists; sign in instead'));
  }
  const [membership] = await db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId)).orderBy(asc(memberships.createdAt));
  const body = await sessionBody(db, await startSession(auth, userId), userId, membership!.orgId);
  if (existing?.emailVerified) return body;
  const verificationUrl = await verificationLink(auth, userId, email);
  await queueAccountMail(db, { to: email, userId, template: 'email_verification', data: { name: existing?.name ?? input.name, url: verificationUrl }, dedupeKey: `verify:${verificationUrl}` });
  log.info('email verification mail queued', { userId });
  return options.revealVerificationUrl ? { ...body, verificationUrl } : body;
}

// ---- sign in ----

export async function signIn(db: Db, auth: Auth, email: string, password: string) {
  let result;
  try {
    result = await auth.api.signInEmail({ body: { email, password } });
  } catch {
    throw new AppError('UNAUTHENTICATED', 'Wrong email or password');
  }
  const actor = await actorForUser(db, result.user.id);
  if (!actor) {
    const [deactivated] = await db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, result.user.id)).limit(1);
    throw new AppError('FORBIDDEN', deactivated ? 'Your access was deactivated by an admin of your organization' : 'You are not a member of any organization yet');
  }
  return sessionBody(db, result.token, result.user.id, actor.orgId);
}

// ---- invitations ----

export interface AcceptInput {
  token: string;
  name?: string;
  password?: string;
}

/**
 * Joins the invitation's organization. The token was sent to the invited address, so holding it
 * proves the address:
 * - no account yet: name and password create one, verified;
 * - a verified account: its password proves it is theirs;
 * - an unverified account: with its password, it is theirs (and now verified); with a name and a new
 *   password instead, it was registered by someone who does not own the address, and the owner takes
 *   the address over: that account loses the address, its password, its sessions and its API keys,
 *   and the owner gets a fresh account of their own (nothing of the other account comes along).
 * Accepting twice at the same moment: one joins, the other gets 409.
 */
export async function acceptInvitation(deps: AccountDeps, input: AcceptInput) {
  const { db, auth, clock, log } = deps;
  const [invitation] = await db.select().from(invitations).where(eq(invitations.tokenHash, hashToken(input.token)));
  if (!invitation || invitation.acceptedAt) throw notFound('Invitation');
  if (invitation.expiresAt.getTime() < clock().getTime()) throw new AppError('GONE', 'This invitation has expired; ask your admin for a new one');
  if (!input.password) throw new AppError('VALIDATION_FAILED', 'password: required', [{ path: 'password', message: 'required' }]);
  const password = input.password;

  const existing = await findUserByEmail(db, invitation.email);
  const ownPassword = existing ? await passwordMatches(auth, await passwordHashOf(db, existing.id), password) : false;
  let plan: { kind: 'existing'; userId: string; verify: boolean } | { kind: 'new'; name: string; passwordHash: string; displace: UserRow | null };
  if (existing && ownPassword) {
    plan = { kind: 'existing', userId: existing.id, verify: !existing.emailVerified };
  } else if (existing && (existing.emailVerified || !input.name)) {
    throw new AppError(
      'UNAUTHENTICATED',
      existing.emailVerified
        ? 'Wrong password for the existing account'
        : 'Wrong password for the existing account. If you never created that account, accept with your name and a new password: this invitation proves the address is yours',
    );
  } else {
    if (!input.name) throw new AppError('VALIDATION_FAILED', 'name: required for a new account', [{ path: 'name', message: 'required' }]);
    plan = { kind: 'new', name: input.name, passwordHash: await hashPassword(auth, password), displace: existing ?? null };
  }

  const userId = await db
    .transaction(async (tx) => {
      let id: string;
      if (plan.kind === 'existing') {
        id = plan.userId;
        if (plan.verify) await tx.update(user).set({ emailVerified: true, updatedAt: clock() }).where(eq(user.id, id));
      } else {
        if (plan.displace) await displaceUnverifiedAccount(tx, plan.displace, clock());
        id = await insertPasswordUser(tx, { email: invitation.email, name: plan.name, passwordHash: plan.passwordHash, verified: true, now: clock() });
      }
      await inTenant(tx, clock, { orgId: invitation.orgId, userId: id, role: invitation.role }, async (s) => {
        const claimed = await s.db
          .update(invitations)
          .set({ acceptedAt: s.now() })
          .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
          .returning({ id: invitations.id });
        if (claimed.length === 0) throw new AppError('CONFLICT', 'This invitation was accepted at the same moment; sign in instead');
        await addMember(s, id, invitation.role as Role, 'invitation');
      });
      return id;
    })
    .catch((err: unknown) => conflictOnRace(err, 'This invitation was accepted at the same moment; sign in instead'));
  if (plan.kind === 'new' && plan.displace) {
    log.warn('invitation accepted for an address held by an unverified account: the address was taken over', { displacedUserId: plan.displace.id, userId, orgId: invitation.orgId });
  }
  return sessionBody(db, await startSession(auth, userId), userId, invitation.orgId);
}

/**
 * The unverified account registered with an address that turned out not to be its registrant's: it
 * keeps its id (and whatever it created) under an address that cannot be anyone's, and nobody can
 * use it again: no password, no sessions, no API keys.
 */
async function displaceUnverifiedAccount(tx: Tx, stranger: UserRow, now: Date) {
  await tx.update(user).set({ email: `displaced-${stranger.id}-${randomUUID()}@account.invalid`, updatedAt: now }).where(eq(user.id, stranger.id));
  await tx.delete(account).where(eq(account.userId, stranger.id));
  await tx.delete(session).where(eq(session.userId, stranger.id));
  await tx.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.userId, stranger.id), isNull(apiKeys.revokedAt)));
}
