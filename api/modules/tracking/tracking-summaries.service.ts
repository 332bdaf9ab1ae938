// What the sidebar and the sent list read back: per-message summaries (counted opens, clicks per
// link, machine hits apart) and per-thread states. Read from the rolled-up counts, which outlive the
// raw hits. The sender sees their own messages; managers, admins and read-only members see everyone's.
import { and, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { seesAllDealsAndActivities, type Actor } from '../../../core/roles.ts';
import type { TrackedMessageSummary, TrackedThreadState } from '../../../core/schemas/tracking.ts';
import { trackedMessages, trackingCounts, trackingHits } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

const MAX_MESSAGES = 100;
const machineClasses = ['image_proxy', 'apple_mpp', 'scanner', 'sender_self', 'unknown'] as const;
type MachineClass = (typeof machineClasses)[number];

export interface TrackedMessageFilter {
  ids?: string[];
  /** Host message ids. */
  messageIds?: string[];
  threadIds?: string[];
}

// A rep sees the messages they sent; the system (userId null) sees everything, like an admin.
const visibleTo = (actor: Actor) => (seesAllDealsAndActivities(actor) || actor.userId === null ? undefined : eq(trackedMessages.senderId, actor.userId));

/**
 * Summaries of the tracked messages matching any of the filters, newest first. Without a filter,
 * the latest ones the actor may see.
 */
export async function trackedSummaries(s: Scope, filter: TrackedMessageFilter): Promise<TrackedMessageSummary[]> {
  const conditions: SQL[] = [];
  if (filter.ids?.length) conditions.push(inArray(trackedMessages.id, filter.ids));
  if (filter.messageIds?.length) conditions.push(inArray(trackedMessages.messageId, filter.messageIds));
  if (filter.threadIds?.length) conditions.push(inArray(trackedMessages.threadId, filter.threadIds));
  const filtered = filter.ids !== undefined || filter.messageIds !== undefined || filter.threadIds !== undefined;
  if (filtered && conditions.length === 0) return [];
  const messages = await s.db
    .select()
    .from(trackedMessages)
    .where(and(visibleTo(s.actor), conditions.length ? or(...conditions) : undefined))
    .orderBy(desc(trackedMessages.sentAt), desc(trackedMessages.id))
    .limit(MAX_MESSAGES);
  if (messages.length === 0) return [];
  const ids = messages.map((m) => m.id);

  const counts = await s.db
    .select({
      messageId: trackingCounts.trackedMessageId,
      kind: trackingCounts.kind,
      linkIndex: trackingCounts.linkIndex,
      class: trackingCounts.class,
      counts: trackingCounts.counts,
      hits: sql<number>`sum(${trackingCounts.hits})::int`,
      first: sql<Date>`min(${trackingCounts.firstAt})`.mapWith(trackingCounts.firstAt),
      last: sql<Date>`max(${trackingCounts.lastAt})`.mapWith(trackingCounts.lastAt),
    })
    .from(trackingCounts)
    .where(inArray(trackingCounts.trackedMessageId, ids))
    .groupBy(trackingCounts.trackedMessageId, trackingCounts.kind, trackingCounts.linkIndex, trackingCounts.class, trackingCounts.counts);
  const pending = await s.db
    .select({ messageId: trackingHits.trackedMessageId, n: sql<number>`count(*)::int` })
    .from(trackingHits)
    .where(and(isNull(trackingHits.classifiedAt), eq(trackingHits.kind, 'click'), inArray(trackingHits.trackedMessageId, ids)))
    .groupBy(trackingHits.trackedMessageId);

  return messages.map((m) => {
    const own = counts.filter((c) => c.messageId === m.id);
    const opens = own.filter((c) => c.counts && c.kind === 'open');
    const machineHits = Object.fromEntries(machineClasses.map((cls) => [cls, 0])) as Record<MachineClass, number>;
    for (const c of own) if (!c.counts && (machineClasses as readonly string[]).includes(c.class)) machineHits[c.class as MachineClass] += Number(c.hits);
    return {
      id: m.id,
      messageId: m.messageId,
      threadId: m.threadId,
      subject: m.subject,
      sentAt: m.sentAt.toISOString(),
      recipientCount: m.recipientCount,
      attribution: m.storeIdentity && m.recipientCount === 1 && m.recipientEmail ? { kind: 'recipient', email: m.recipientEmail } : { kind: 'a_recipient' },
      precision: m.storeExactTime ? 'exact' : 'day',
      opens: {
        count: opens.reduce((n, c) => n + Number(c.hits), 0),
        first: isoOf(earliest(opens.map((c) => c.first))),
        last: isoOf(latest(opens.map((c) => c.last))),
      },
      clicks: m.links.flatMap((link) => {
        const clicks = own.filter((c) => c.counts && c.kind === 'click' && c.linkIndex === link.index);
        if (clicks.length === 0) return [];
        return [{
          linkIndex: link.index,
          url: link.url,
          count: clicks.reduce((n, c) => n + Number(c.hits), 0),
          first: earliest(clicks.map((c) => c.first))!.toISOString(),
          last: latest(clicks.map((c) => c.last))!.toISOString(),
        }];
      }),
      machineHits,
      pendingClicks: pending.find((p) => p.messageId === m.id)?.n ?? 0,
    } satisfies TrackedMessageSummary;
  });
}

/** Per thread (of those given that hold tracked messages the actor may see): opened or not yet. */
export async function trackedThreadStates(s: Scope, threadIds: string[]): Promise<TrackedThreadState[]> {
  const counted = and(eq(trackingCounts.counts, true), eq(trackingCounts.kind, 'open'));
  const rows = await s.db
    .select({
      threadId: trackedMessages.threadId,
      opens: sql<number>`coalesce(sum(${trackingCounts.hits}) filter (where ${counted}), 0)::int`,
      lastOpenAt: sql<Date | null>`max(${trackingCounts.lastAt}) filter (where ${counted})`.mapWith(trackingCounts.lastAt),
    })
    .from(trackedMessages)
    .leftJoin(trackingCounts, and(eq(trackingCounts.orgId, trackedMessages.orgId), eq(trackingCounts.trackedMessageId, trackedMessages.id)))
    .where(and(visibleTo(s.actor), inArray(trackedMessages.threadId, threadIds)))
    .groupBy(trackedMessages.threadId);
  return rows.map((r) => ({
    threadId: r.threadId!,
    state: r.opens > 0 ? 'opened' : 'not_opened',
    opens: r.opens,
    lastOpenAt: r.lastOpenAt ? r.lastOpenAt.toISOString() : null,
  }));
}

const earliest = (dates: Date[]) => (dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null);
const latest = (dates: Date[]) => (dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null);
const isoOf = (d: Date | null) => d?.toISOString() ?? null;
