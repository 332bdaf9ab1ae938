// In-app notifications. Written by event consumers (notifications.consumers.ts): a deal that
// entered the high risk band notifies its owner and their manager (the managers of the owner's
// team, or the org's managers when the owner has no team or the team has no manager); a tracked
// email's first human open notifies its sender. Email, Slack and webhooks will follow the same events.
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { notFound } from '../../../core/errors.ts';
import type { NextAction, RiskReason } from '../../../core/risk/score.ts';
import type { NotificationListQuery, Notification } from '../../../core/schemas/notifications.ts';
import { dealRisk, deals, memberships, notifications } from '../../../db/schema/index.ts';
import { riskPoints } from '../risk/risk.service.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

type NotificationRow = typeof notifications.$inferSelect;

export interface HighRiskEntry {
  deal: { id: string; name: string; ownerId: string | null };
  risk: { score: number; band: string; reasons: RiskReason[]; nextAction: NextAction };
  /** One notification per person per transition: the event that reported it. */
  transitionKey: string;
}

/** Many deals at once (a recompute can move thousands): one membership read, chunked inserts. */
export async function notifyDealsEnteredHighRisk(s: Scope, entries: readonly HighRiskEntry[]) {
  if (entries.length === 0) return;
  const members = await s.db.select({ userId: memberships.userId, role: memberships.role, teamId: memberships.teamId }).from(memberships);
  const teamOf = new Map(members.map((m) => [m.userId, m.teamId]));
  const managers = members.filter((m) => m.role === 'manager');
  // The owner's managers: their team's managers, else every manager of the org.
  const managersFor = (ownerId: string | null) => {
    const teamId = ownerId ? teamOf.get(ownerId) : null;
    const team = teamId ? managers.filter((m) => m.teamId === teamId) : [];
    return (team.length ? team : managers).map((m) => m.userId);
  };
  const rows = entries.flatMap(({ deal, risk, transitionKey }) => {
    const top = risk.reasons[0];
    return [...new Set([...(deal.ownerId ? [deal.ownerId] : []), ...managersFor(deal.ownerId)])].map((userId) => ({
      user_id: userId,
      deal_id: deal.id,
      title: `${deal.name} is at high risk (${riskPoints(risk.score)})`,
      body: top ? `${top.sentence}. ${risk.nextAction.sentence}` : risk.nextAction.sentence,
      data: { score: riskPoints(risk.score), band: risk.band, reasonCodes: risk.reasons.map((r) => r.code), nextAction: risk.nextAction.code },
      dedupe_key: `deal_high_risk:${deal.id}:${transitionKey}`,
    }));
  });
  // Thousands at once (the first scoring of an imported pipeline): one JSON parameter per chunk.
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(rows.slice(i, i + 5000));
    await s.db.execute(sql`
      insert into notifications (org_id, user_id, kind, deal_id, title, body, data, dedupe_key, created_at)
      select ${s.orgId}::uuid, x.user_id, 'deal_high_risk', x.deal_id, x.title, x.body, x.data, x.dedupe_key, ${s.now().toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as x(user_id uuid, deal_id uuid, title text, body text, data jsonb, dedupe_key text)
      on conflict do nothing`);
  }
}

/** The first human open of a tracked email: its sender is told once (the dedupe key is per message). */
export async function notifyEmailOpened(s: Scope, senderId: string, notification: { title: string; body: string | null; data: Record<string, unknown>; dedupeKey: string }) {
  await s.db
    .insert(notifications)
    .values({ orgId: s.orgId, userId: senderId, kind: 'email_opened', createdAt: s.now(), ...notification })
    .onConflictDoNothing();
}

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
