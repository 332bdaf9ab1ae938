// Invitations to join the organization. The link carries a random token (only its hash is stored);
// whoever holds it received it at the invited address, which is what accepting relies on
// (accounts.service.ts acceptInvitation). The link is mailed to the address (and, as before,
// answered to the admin who invited, to pass on another way if need be).
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { isAdmin, type Role } from '../../../core/roles.ts';
import { invitations, memberships, organizations, user } from '../../../db/schema/index.ts';
import { queueMail } from '../mail/mail-outbox.service.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recordAudit } from '../records/audit.ts';
import { iso, isoOrNull } from '../records/records.ts';

export const INVITATION_DAYS = 7;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const presentInvitation = (i: typeof invitations.$inferSelect) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  expiresAt: iso(i.expiresAt),
  acceptedAt: isoOrNull(i.acceptedAt),
});

export async function createInvitation(s: Scope, input: { email: string; role: Role }, publicUrl: string) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can invite members');
  const email = input.email.toLowerCase();
  const [member] = await s.db
    .select({ userId: memberships.userId, deactivatedAt: memberships.deactivatedAt })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(sql`lower(${user.email}) = ${email}`);
  if (member) throw new AppError('CONFLICT', member.deactivatedAt ? `${input.email} is a deactivated member: reactivate them instead` : `${input.email} is already a member`);
  const token = randomBytes(24).toString('base64url');
  const [row] = await s.db
    .insert(invitations)
    .values({
      orgId: s.orgId,
      email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: s.actor.userId,
      expiresAt: new Date(s.now().getTime() + INVITATION_DAYS * 86_400_000),
      createdAt: s.now(),
    })
    .returning();
  const changes = { email: { old: null, new: email }, role: { old: null, new: input.role } };
  await recordAudit(s, 'create', 'invitation', row!.id, changes);
  // The token stays out of the event: consumers (webhooks, Slack) must not be able to accept it.
  await s.emit({ type: 'invitation.created', recordId: row!.id, changes, data: { invitation: presentInvitation(row!), invitedBy: s.actor.userId } });
  await mailInvitation(s, row!, token);
  return { ...presentInvitation(row!), inviteUrl: inviteUrlOf(publicUrl, token) };
}

/**
 * A fresh link for an open invitation (only a hash of the old token was kept, so it cannot be shown
 * again): the old link stops working and the invitation gets a new week.
 */
export async function renewInvitationLink(s: Scope, id: string, publicUrl: string) {
  const [open] = await s.db.select().from(invitations).where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)));
  if (!open) throw notFound('Open invitation');
  if (!isAdmin(s.actor)) throw forbidden('Only admins can renew invitation links');
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(s.now().getTime() + INVITATION_DAYS * 86_400_000);
  const [row] = await s.db.update(invitations).set({ tokenHash: hashToken(token), expiresAt }).where(eq(invitations.id, id)).returning();
  const changes = { expiresAt: { old: iso(open.expiresAt), new: iso(expiresAt) } };
  await recordAudit(s, 'update', 'invitation', id, changes);
  await s.emit({ type: 'invitation.renewed', recordId: id, changes, data: { invitation: presentInvitation(row!) } });
  await mailInvitation(s, row!, token);
  return { ...presentInvitation(row!), inviteUrl: inviteUrlOf(publicUrl, token) };
}

/** The invitation mail, queued in the invitation's transaction (one per link). */
async function mailInvitation(s: Scope, invitation: typeof invitations.$inferSelect, token: string) {
  const [org] = await s.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, s.orgId));
  const [inviter] = s.actor.userId ? await s.db.select({ name: user.name }).from(user).where(eq(user.id, s.actor.userId)) : [];
  await queueMail(s, {
    to: invitation.email,
    userId: null,
    template: 'invitation',
    data: {
      organizationName: org?.name ?? 'your team',
      inviterName: inviter?.name ?? 'An admin',
      role: invitation.role,
      url: inviteUrlOf('', token),
      expiresAt: invitation.expiresAt.toUTCString().replace(/:\d\d GMT$/, ' UTC'),
    },
    dedupeKey: `invitation:${invitation.id}:${hashToken(token)}`,
  });
}

/** Where an invitation link leads: the web app's page that accepts it. */
export const inviteUrlOf = (publicUrl: string, token: string) => `${publicUrl}/invite?token=${token}`;

export async function listInvitations(s: Scope) {
  if (!isAdmin(s.actor)) throw forbidden('Only admins can see invitations');
  const rows = await s.db.select().from(invitations).orderBy(asc(invitations.createdAt));
  return rows.map(presentInvitation);
}

export async function revokeInvitation(s: Scope, id: string) {
  const [open] = await s.db.select().from(invitations).where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)));
  if (!open) throw notFound('Open invitation');
  if (!isAdmin(s.actor)) throw forbidden('Only admins can revoke invitations');
  await s.db.delete(invitations).where(eq(invitations.id, id));
  await recordAudit(s, 'delete', 'invitation', id, { email: { old: open.email, new: null } });
  await s.emit({ type: 'invitation.revoked', recordId: id, data: { invitation: presentInvitation(open) } });
}
