// In-app notifications. Written by event consumers (notifications.consumers.ts): a deal that
// entered the high risk band notifies its owner and their manager (the managers of the owner's
// team, or the org's managers when the owner has no team or the team has no manager); a tracked
// email's first human open notifies its sender. The consumers build a notice and the dispatcher
// (notify.service.ts) hands it to every channel (this bell, email, Slack) by the preferences.
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { notFound } from '../../../core/errors.ts';
import type { NotificationListQuery, Notification } from '../../../core/schemas/notifications.ts';
import { dealRisk, deals, memberships, notifications, user } from '../../../db/schema/index.ts';
import { riskPoints } from '../risk/risk.service.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import type { Notice, NoticeRecipient, NotificationChannel } from './channel.ts';

type NotificationRow = typeof notifications.$inferSelect;

/** The organization's active admins: who hears about its connections and its bills. */
export async function activeAdmins(s: Scope): Promise<{ userId: string; email: string }[]> {
  return s.db
    .select({ userId: user.id, email: user.email })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(and(eq(memberships.role, 'admin'), isNull(memberships.deactivatedAt)));
}

type AdminNoticeKind = Extract<NotificationRow['kind'], 'crm_needs_reconnecting' | 'webhook_disabled' | 'large_export'>;

/** An in-app notice to every active admin about something only an admin can mend; once per dedupe key. */
export async function notifyAdmins(s: Scope, notice: { kind: AdminNoticeKind; title: string; body: string; data: Record<string, unknown>; dedupeKey: string }): Promise<void> {
  const admins = await activeAdmins(s);
  if (admins.length === 0) return;
  await s.db
    .insert(notifications)
    .values(admins.map((a) => ({ orgId: s.orgId, userId: a.userId, kind: notice.kind, title: notice.title, body: notice.body, data: notice.data, dedupeKey: notice.dedupeKey, createdAt: s.now() })))
    .onConflictDoNothing();
}

/**
 * Who hears that a deal entered high risk: its owner and the owner's managers (their team's
 * managers, else every manager of the organization).
 */
export async function highRiskRecipients(s: Scope, ownerId: string | null): Promise<string[]> {
  const members = await s.db.select({ userId: memberships.userId, role: memberships.role, teamId: memberships.teamId }).from(memberships);
  const teamId = ownerId ? members.find((m) => m.userId === ownerId)?.teamId : null;
  const managers = members.filter((m) => m.role === 'manager');
  const team = teamId ? managers.filter((m) => m.teamId === teamId) : [];
  return [...new Set([...(ownerId ? [ownerId] : []), ...(team.length ? team : managers).map((m) => m.userId)])];
}

/** The in-app channel: a row per recipient in the bell, once per notice (the dedupe key). */
export async function writeInAppNotifications(s: Scope, notice: Notice, recipients: readonly NoticeRecipient[]) {
  if (notice.kind !== 'deal_high_risk' && notice.kind !== 'email_opened') return;
  await s.db
    .insert(notifications)
    .values(
      recipients.map((r) => ({
        orgId: s.orgId,
        userId: r.userId,
        kind: notice.kind as 'deal_high_risk' | 'email_opened',
        dealId: notice.deal?.id ?? null,
        title: notice.title,
        body: notice.body,
        // browser: whether the extension may show it as a desktop notification (the member's choice).
        data: { ...notice.data, browser: r.browser },
        dedupeKey: notice.dedupeKey,
        createdAt: s.now(),
      })),
    )
    .onConflictDoNothing();
}

export const inAppChannel: NotificationChannel = { id: 'in_app', audience: 'member', deliver: writeInAppNotifications };

type CurrentRisk = Notification['currentRisk'];

/**
 * The deals' risk as it is now, for their high-risk notifications: the text says what was true
 * when the deal entered the band, and a reply logged since may have brought it down. Open deals
 * with a stored score only (a closed or deleted deal has none).
 */
async function currentRisks(s: Scope, rows: NotificationRow[]): Promise<Map<string, NonNullable<CurrentRisk>>> {
  const dealIds = [...new Set(rows.flatMap((r) => (r.kind === 'deal_high_risk' && r.dealId ? [r.dealId] : [])))];
  if (dealIds.length === 0) return new Map();
  const found = await s.db
    .select({ dealId: dealRisk.dealId, score: dealRisk.score, band: dealRisk.band })
    .from(dealRisk)
    .innerJoin(deals, and(eq(deals.orgId, dealRisk.orgId), eq(deals.id, dealRisk.dealId)))
    .where(and(inArray(dealRisk.dealId, dealIds), isNull(deals.deletedAt), isNull(deals.outcome)));
  return new Map(found.map((r) => [r.dealId, { score: riskPoints(r.score), band: r.band }]));
}

function present(row: NotificationRow, current: Map<string, NonNullable<CurrentRisk>>): Notification {
  return {
    id: row.id,
    kind: row.kind,
    dealId: row.dealId,
    title: row.title,
    body: row.body,
    data: row.data,
    currentRisk: row.kind === 'deal_high_risk' && row.dealId ? (current.get(row.dealId) ?? null) : null,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The actor's own notifications, newest first. */
export async function listNotifications(s: Scope, q: NotificationListQuery) {
  const mine = eq(notifications.userId, s.actor.userId ?? sql`null`);
  const rows = await s.db
    .select()
    .from(notifications)
    .where(and(mine, q.unread ? isNull(notifications.readAt) : undefined, q.before ? lt(notifications.createdAt, new Date(q.before)) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.limit);
  const [unread] = await s.db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(mine, isNull(notifications.readAt)));
  const current = await currentRisks(s, rows);
  return { data: rows.map((r) => present(r, current)), unread: Number(unread?.n ?? 0) };
}

export async function markNotificationRead(s: Scope, id: string) {
  const [row] = await s.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${s.now().toISOString()}::timestamptz)` })
    .where(and(eq(notifications.userId, s.actor.userId ?? sql`null`), eq(notifications.id, id)))
    .returning();
  // Someone else's notification is as absent as one that does not exist.
  if (!row) throw notFound('Notification');
  return present(row, await currentRisks(s, [row]));
}
