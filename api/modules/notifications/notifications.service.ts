// In-app notifications. Two events: a deal entered the high risk band, which notifies its owner and
// their manager (the managers of the owner's team, or the org's managers when the owner has no team
// or the team has no manager); and a tracked email's first human open, which notifies its sender.
// Slack, email and webhooks will reuse these events.
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { notFound } from '../../../core/errors.ts';
import type { RiskScore } from '../../../core/risk/score.ts';
import type { Actor } from '../../../core/roles.ts';
import type { NotificationListQuery, Notification } from '../../../core/schemas/notifications.ts';
import type { Tx } from '../../../db/client.ts';
import { memberships, notifications } from '../../../db/schema/index.ts';

type NotificationRow = typeof notifications.$inferSelect;

export async function notifyDealEnteredHighRisk(
  tx: Tx,
  orgId: string,
  deal: { id: string; name: string; ownerId: string | null },
  risk: RiskScore,
  now: Date,
) {
  await notifyDealsEnteredHighRisk(tx, orgId, [{ deal, risk }], now);
}

/** The same for many deals at once (a recompute can move thousands): one membership read, chunked inserts. */
export async function notifyDealsEnteredHighRisk(
  tx: Tx,
  orgId: string,
  entries: readonly { deal: { id: string; name: string; ownerId: string | null }; risk: RiskScore }[],
  now: Date,
) {
  if (entries.length === 0) return;
  const members = await tx.select({ userId: memberships.userId, role: memberships.role, teamId: memberships.teamId }).from(memberships).where(eq(memberships.orgId, orgId));
  const teamOf = new Map(members.map((m) => [m.userId, m.teamId]));
  const managers = members.filter((m) => m.role === 'manager');
  // The owner's managers: their team's managers, else every manager of the org.
  const managersFor = (ownerId: string | null) => {
    const teamId = ownerId ? teamOf.get(ownerId) : null;
    const team = teamId ? managers.filter((m) => m.teamId === teamId) : [];
    return (team.length ? team : managers).map((m) => m.userId);
  };
  const rows = entries.flatMap(({ deal, risk }) => {
    const top = risk.reasons[0];
    return [...new Set([...(deal.ownerId ? [deal.ownerId] : []), ...managersFor(deal.ownerId)])].map((userId) => ({
      user_id: userId,
      deal_id: deal.id,
      title: `${deal.name} is at high risk (${Math.round(risk.score * 100)}%)`,
      body: top ? `${top.sentence}. ${risk.nextAction.sentence}` : risk.nextAction.sentence,
      data: { score: risk.score, band: risk.band, reasonCodes: risk.reasons.map((r) => r.code), nextAction: risk.nextAction.code },
      // One row per person per transition: a re-run of the same recompute adds nothing.
      dedupe_key: `deal_high_risk:${deal.id}:${now.toISOString()}`,
    }));
  });
  // Thousands at once (the first scoring of an imported pipeline): one JSON parameter per chunk.
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(rows.slice(i, i + 5000));
    await tx.execute(sql`
      insert into notifications (org_id, user_id, kind, deal_id, title, body, data, dedupe_key)
      select ${orgId}::uuid, x.user_id, 'deal_high_risk', x.deal_id, x.title, x.body, x.data, x.dedupe_key
      from jsonb_to_recordset(${json}::jsonb) as x(user_id uuid, deal_id uuid, title text, body text, data jsonb, dedupe_key text)
      on conflict do nothing`);
  }
}

/** The first human open of a tracked email: its sender is told once (the dedupe key is per message). */
export async function notifyEmailOpened(
  tx: Tx,
  orgId: string,
  senderId: string,
  notification: { title: string; body: string; data: Record<string, unknown>; dedupeKey: string },
) {
  await tx
    .insert(notifications)
    .values({ orgId, userId: senderId, kind: 'email_opened', ...notification })
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
