// Loading what the live stream sends about a batch of committed events: each event with the facts
// its listeners are judged by (core/live/visibility.ts) and, for deals, the card as it is now (so a
// board shows the current state, whichever order changes arrive in). One batch is a few queries,
// however many events and listeners: the hub loads each batch once per organization.
import { and, eq, gt, gte, inArray, or, sql } from 'drizzle-orm';
import type { EventType } from '../../../core/events.ts';
import type { LiveEventFacts } from '../../../core/live/visibility.ts';
import type { BoardDeal } from '../../../core/schemas/board.ts';
import type { LiveChange } from '../../../core/schemas/live.ts';
import { activities, activityLinks, deals, domainEvents } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { boardCards } from '../records/deal-board.service.ts';

export interface LoadedLiveEvent {
  /** What is sent, without the deal card (added per listener: null for one it left). */
  change: Omit<LiveChange, 'deal'>;
  facts: LiveEventFacts;
  /** Deal events: the deal's card now; null when it is deleted. */
  card?: BoardDeal | null;
}

type EventRow = Pick<typeof domainEvents.$inferSelect, 'id' | 'seq' | 'type' | 'recordType' | 'recordId' | 'actorId' | 'occurredAt' | 'changes' | 'data'>;

const activityKinds = new Set(['activity', 'task']);
const isTrackedEngagement = (type: string) => type === 'email.opened' || type === 'email.clicked';

/** The events with these ids (the scope must be the system's: the listeners are sorted out after). */
export async function loadEventsById(s: Scope, ids: string[]): Promise<LoadedLiveEvent[]> {
  if (ids.length === 0) return [];
  const rows = await s.db.select(eventColumns).from(domainEvents).where(inArray(domainEvents.id, ids)).orderBy(domainEvents.seq);
  return describeEvents(s, rows);
}

/**
 * Events after `afterSeq` for a reconnecting listener, oldest first, at most `limit` (one more is
 * read to tell whether there were more). Also events of the minute before the last one the
 * listener saw: seq is assigned at insert and a slower transaction may commit a lower one later;
 * sending one twice is harmless (a card is the deal's state now).
 */
export async function loadEventsAfter(s: Scope, afterSeq: number, limit: number): Promise<{ events: LoadedLiveEvent[]; more: boolean; gap: boolean }> {
  const [last] = await s.db.select({ at: domainEvents.occurredAt }).from(domainEvents).where(eq(domainEvents.seq, afterSeq));
  const [first] = last ? [] : await s.db.select({ seq: domainEvents.seq }).from(domainEvents).orderBy(domainEvents.seq).limit(1);
  // The listener's last event is gone and nothing older is left: retention removed events it had
  // not seen yet, and what it missed is unknown.
  const gap = first !== undefined && first.seq > afterSeq;
  const rows = await s.db
    .select(eventColumns)
    .from(domainEvents)
    // Typed operators, not raw sql: the Date must be bound through the column (postgres-js will not take a bare Date).
    .where(last ? or(gt(domainEvents.seq, afterSeq), gte(domainEvents.occurredAt, new Date(last.at.getTime() - 60_000))) : gt(domainEvents.seq, afterSeq))
    .orderBy(domainEvents.seq)
    .limit(limit + 1);
  return { events: await describeEvents(s, rows.slice(0, limit)), more: rows.length > limit, gap };
}

/** The organization's latest event, where a new listener starts. */
export async function latestSeq(s: Scope): Promise<number | null> {
  const [row] = await s.db.select({ seq: domainEvents.seq }).from(domainEvents).orderBy(sql`${domainEvents.seq} desc`).limit(1);
  return row?.seq ?? null;
}

const eventColumns = {
  id: domainEvents.id,
  seq: domainEvents.seq,
  type: domainEvents.type,
  recordType: domainEvents.recordType,
  recordId: domainEvents.recordId,
  actorId: domainEvents.actorId,
  occurredAt: domainEvents.occurredAt,
  changes: domainEvents.changes,
  data: domainEvents.data,
};

async function describeEvents(s: Scope, rows: EventRow[]): Promise<LoadedLiveEvent[]> {
  if (rows.length === 0) return [];
  const dealIds = [...new Set(rows.filter((r) => r.recordType === 'deal').map((r) => r.recordId))];
  const activityIds = [...new Set(rows.filter((r) => activityKinds.has(r.recordType) || r.type === 'email.logged').map((r) => r.recordId))];
  const [cards, dealOwners, activityOwners, links] = [
    new Map((await boardCards(s, dealIds)).map((c) => [c.id, c])),
    // Deleted deals have no card but still an owner, whom the deletion concerns.
    new Map(dealIds.length ? (await s.db.select({ id: deals.id, ownerId: deals.ownerId }).from(deals).where(inArray(deals.id, dealIds))).map((d) => [d.id, d.ownerId]) : []),
    new Map(activityIds.length ? (await s.db.select({ id: activities.id, ownerId: activities.ownerId }).from(activities).where(inArray(activities.id, activityIds))).map((a) => [a.id, a.ownerId]) : []),
    activityIds.length
      ? await s.db.select({ activityId: activityLinks.activityId, dealId: activityLinks.dealId }).from(activityLinks).where(and(inArray(activityLinks.activityId, activityIds), sql`${activityLinks.dealId} is not null`))
      : [],
  ];
  const dealsOfActivity = new Map<string, string[]>();
  for (const l of links) dealsOfActivity.set(l.activityId, [...(dealsOfActivity.get(l.activityId) ?? []), l.dealId!]);

  return rows.map((r) => {
    const type = r.type as EventType;
    const change: LoadedLiveEvent['change'] = {
      seq: r.seq,
      type,
      recordType: r.recordType,
      recordId: r.recordId,
      actorId: r.actorId,
      occurredAt: r.occurredAt.toISOString(),
    };
    if (r.recordType === 'deal') {
      const ownerChange = r.changes.ownerId as { old: unknown } | undefined;
      return {
        change,
        card: cards.get(r.recordId) ?? null,
        facts: { type, ownerId: dealOwners.get(r.recordId) ?? null, previousOwnerId: typeof ownerChange?.old === 'string' ? ownerChange.old : null },
      };
    }
    if (isTrackedEngagement(r.type)) {
      const data = r.data as { senderId?: string; dealIds?: string[] };
      return { change: { ...change, dealIds: data.dealIds ?? [] }, facts: { type, ownerId: data.senderId ?? null } };
    }
    if (activityIds.includes(r.recordId)) {
      return { change: { ...change, dealIds: dealsOfActivity.get(r.recordId) ?? [] }, facts: { type, ownerId: activityOwners.get(r.recordId) ?? null } };
    }
    if (r.recordType === 'api_key') {
      const data = r.data as { apiKey?: { userId?: string } };
      return { change, facts: { type, keyOwnerId: data.apiKey?.userId ?? null } };
    }
    return { change, facts: { type } };
  });
}
