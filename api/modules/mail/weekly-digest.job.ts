// Every Monday at 07:00 UTC, each organization's managers and admins get the week that ended: the
// open pipeline against a week ago, deals won and lost, deals that entered high risk (with their
// reasons as they stand now), and activity per rep. One notice per organization and week; the
// dispatcher applies each recipient's preferences (email by default).
import { and, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { MailTemplates } from '../../../core/notify/templates.ts';
import { activities, dealRisk, deals, domainEvents, memberships, organizations, user } from '../../../db/schema/index.ts';
import { defineJob, OrgPayload } from '../../platform/jobs/job.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import type { NotificationChannel } from '../notifications/channel.ts';
import { dispatchNotice } from '../notifications/notify.service.ts';

const DAY_MS = 86_400_000;
const dayLabel = (d: Date, year = false) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC', ...(year ? { year: 'numeric' } : {}) });

type Digest = Omit<MailTemplates['weekly_digest'], 'name'>;

/** The digest of the 7 days before `now`. Values in the organization's main currency (where most open value is). */
export async function weeklyDigest(s: Scope, now: Date): Promise<Digest> {
  const from = new Date(now.getTime() - 7 * DAY_MS);
  const names = new Map((await s.db.select({ id: user.id, name: user.name }).from(memberships).innerJoin(user, eq(user.id, memberships.userId))).map((u) => [u.id, u.name]));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'a former member') : 'nobody');
  const [org] = await s.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, s.orgId));

  const all = await s.db
    .select({ id: deals.id, name: deals.name, valueCents: deals.valueCents, currency: deals.currency, ownerId: deals.ownerId, outcome: deals.outcome, lostReason: deals.lostReason, closedOn: deals.actualCloseDate, createdAt: deals.createdAt, deletedAt: deals.deletedAt, updatedAt: deals.updatedAt })
    .from(deals)
    .where(or(isNull(deals.deletedAt), gte(deals.deletedAt, from)));
  const totals = new Map<string, number>();
  for (const d of all) if (!d.outcome && !d.deletedAt) totals.set(d.currency, (totals.get(d.currency) ?? 0) + d.valueCents);
  const currency = [...totals.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
  const money = (cents: number) => ({ amount: cents / 100, currency });
  const value = (d: (typeof all)[number]) => ({ amount: d.valueCents / 100, currency: d.currency });
  const fromDay = from.toISOString().slice(0, 10);
  const closedThisWeek = (d: (typeof all)[number]) => d.closedOn !== null && d.closedOn >= fromDay && !d.deletedAt;
  // A week ago: deals that existed then and were still open (closed since, or open now). Today's values.
  const openWeekAgo = all.filter((d) => d.currency === currency && d.createdAt < from && (!d.outcome || closedThisWeek(d)));

  const entered = await s.db
    .select({ dealId: domainEvents.recordId, changes: domainEvents.changes })
    .from(domainEvents)
    .where(and(eq(domainEvents.type, 'deal.risk_changed'), gte(domainEvents.occurredAt, from), lt(domainEvents.occurredAt, now)));
  const newHigh = [...new Set(entered.filter((e) => e.changes.band?.new === 'high' && e.changes.band?.old !== 'high').map((e) => e.dealId))];
  const risks = newHigh.length
    ? await s.db.select({ dealId: dealRisk.dealId, band: dealRisk.band, reasons: dealRisk.reasons }).from(dealRisk).where(inArray(dealRisk.dealId, newHigh))
    : [];
  const byId = new Map(all.map((d) => [d.id, d]));

  const activity = await s.db
    .select({
      ownerId: activities.ownerId,
      emails: sql<number>`count(*) filter (where ${activities.type} = 'email')::int`,
      calls: sql<number>`count(*) filter (where ${activities.type} = 'call')::int`,
      meetings: sql<number>`count(*) filter (where ${activities.type} = 'meeting')::int`,
      tasksDone: sql<number>`count(*) filter (where ${activities.type} = 'task' and ${activities.completedAt} >= ${from.toISOString()}::timestamptz)::int`,
    })
    .from(activities)
    .where(and(isNull(activities.deletedAt), or(gte(activities.occurredAt, from), gte(activities.completedAt, from)), lt(activities.occurredAt, now)))
    .groupBy(activities.ownerId);

  return {
    organizationName: org?.name ?? 'Your organization',
    from: dayLabel(from),
    to: dayLabel(new Date(now.getTime() - DAY_MS), true),
    openPipeline: { now: money(totals.get(currency) ?? 0), weekAgo: money(openWeekAgo.reduce((sum, d) => sum + d.valueCents, 0)) },
    won: all.filter((d) => d.outcome === 'won' && closedThisWeek(d)).map((d) => ({ dealName: d.name, value: value(d), owner: nameOf(d.ownerId) })),
    lost: all.filter((d) => d.outcome === 'lost' && closedThisWeek(d)).map((d) => ({ dealName: d.name, value: value(d), owner: nameOf(d.ownerId), reason: d.lostReason })),
    newAtRisk: risks
      .filter((r) => r.band === 'high' && byId.get(r.dealId) && !byId.get(r.dealId)!.outcome && !byId.get(r.dealId)!.deletedAt)
      .map((r) => ({ dealName: byId.get(r.dealId)!.name, dealId: r.dealId, owner: nameOf(byId.get(r.dealId)!.ownerId), reasons: r.reasons.map((x) => x.sentence) })),
    activity: activity
      .filter((a) => a.ownerId && a.emails + a.calls + a.meetings + a.tasksDone > 0)
      .map((a) => ({ rep: nameOf(a.ownerId), emails: a.emails, calls: a.calls, meetings: a.meetings, tasksDone: a.tasksDone }))
      .sort((a, b) => a.rep.localeCompare(b.rep)),
  };
}

export const weeklyDigestJob = (channels: readonly NotificationChannel[]) =>
  defineJob({
    name: 'weekly-digest',
    payload: OrgPayload,
    cron: '0 7 * * 1',
    cronPayload: (orgId) => ({ orgId }),
    async run({ now, inOrg }) {
      return inOrg(async (s) => {
        const readers = await s.db
          .select({ userId: memberships.userId })
          .from(memberships)
          .where(and(inArray(memberships.role, ['manager', 'admin']), isNull(memberships.deactivatedAt)));
        if (readers.length === 0) return 'nothing-to-do';
        const digest = await weeklyDigest(s, now);
        await dispatchNotice(
          s,
          {
            kind: 'weekly_digest',
            recipients: readers.map((r) => r.userId),
            title: `Weekly digest: ${digest.won.length} won, ${digest.lost.length} lost, ${digest.newAtRisk.length} new at risk`,
            body: null,
            link: '/app/board',
            data: {},
            mail: { template: 'weekly_digest', data: digest },
            dedupeKey: `weekly_digest:${now.toISOString().slice(0, 10)}`,
          },
          channels,
        );
        return { recipients: readers.length, won: digest.won.length, lost: digest.lost.length, newAtRisk: digest.newAtRisk.length };
      });
    },
  });
