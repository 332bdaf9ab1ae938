// In-app notifications. Today one event: a deal entered the high risk band, which notifies its
// owner and their manager (the managers of the owner's team, or the org's managers when the owner
// has no team or the team has no manager). Slack, email and webhooks will reuse this event.
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { notFound } from '../../core/errors.ts';
import type { RiskScore } from '../../core/risk/score.ts';
import type { Actor } from '../../core/roles.ts';
import type { NotificationListQuery, Notification } from '../../core/schemas/notifications.ts';
import type { Tx } from '../../db/client.ts';
import { memberships, notifications } from '../../db/schema.ts';

type NotificationRow = typeof notifications.$inferSelect;

/** The owner's managers: their team's managers, else every manager of the org. */
export async function managersOf(tx: Tx, orgId: string, ownerId: string | null): Promise<string[]> {
  const [owner] = ownerId
    ? await tx.select({ teamId: memberships.teamId }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, ownerId)))
    : [];
  const managers = await tx
    .select({ userId: memberships.userId, teamId: memberships.teamId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'manager')));
  const teamManagers = owner?.teamId ? managers.filter((m) => m.teamId === owner.teamId) : [];
  return (teamManagers.length ? teamManagers : managers).map((m) => m.userId);
}

export async function notifyDealEnteredHighRisk(
  tx: Tx,
  orgId: string,
  deal: { id: string; name: string; ownerId: string | null },
  risk: RiskScore,
  now: Date,
) {
  const recipients = [...new Set([...(deal.ownerId ? [deal.ownerId] : []), ...(await managersOf(tx, orgId, deal.ownerId))])];
  if (recipients.length === 0) return;
  const top = risk.reasons[0];
  await tx
    .insert(notifications)
    .values(
      recipients.map((userId) => ({
        orgId,
        userId,
        kind: 'deal_high_risk' as const,
        dealId: deal.id,
        title: `${deal.name} is at high risk (${Math.round(risk.score * 100)}%)`,
        body: top ? `${top.sentence}. ${risk.nextAction.sentence}` : risk.nextAction.sentence,
        data: { score: risk.score, band: risk.band, reasonCodes: risk.reasons.map((r) => r.code), nextAction: risk.nextAction.code },
        // One row per person per transition: a re-run of the same recompute adds nothing.
        dedupeKey: `deal_high_risk:${deal.id}:${now.toISOString()}`,
      })),
    )
    .onConflictDoNothing();
}

function present(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    dealId: row.dealId,
    title: row.title,
    body: row.body,
    data: row.data,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The actor's own notifications, newest first. */
export async function listNotifications(tx: Tx, actor: Actor, q: NotificationListQuery) {
  const rows = await tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, actor.orgId),
        eq(notifications.userId, actor.userId),
        q.unread ? isNull(notifications.readAt) : undefined,
        q.before ? lt(notifications.createdAt, new Date(q.before)) : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.limit);
  const [unread] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.orgId, actor.orgId), eq(notifications.userId, actor.userId), isNull(notifications.readAt)));
  return { data: rows.map(present), unread: Number(unread?.n ?? 0) };
}

export async function markNotificationRead(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.orgId, actor.orgId), eq(notifications.userId, actor.userId), inArray(notifications.id, [id])))
    .returning();
  // Someone else's notification is as absent as one that does not exist.
  if (!row) throw notFound('Notification');
  return present(row);
}
