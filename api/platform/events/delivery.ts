// Delivering one event to one consumer, exactly once in effect: the delivery row and the
// consumer's writes commit together, and a delivery already recorded is skipped.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DomainEvent, EventType, RecordKind } from '../../../core/events.ts';
import { systemActor } from '../../../core/roles.ts';
import type { Db } from '../../../db/client.ts';
import { domainEvents, eventDeliveries } from '../../../db/schema/index.ts';
import { withTenant } from '../../../db/tenant.ts';
import { scopeOf, type Clock } from '../tenancy/scope.ts';
import type { EventConsumer } from './consumer.ts';

type EventRow = typeof domainEvents.$inferSelect;

export const toDomainEvent = (row: EventRow): DomainEvent => ({
  id: row.id,
  seq: row.seq,
  orgId: row.orgId,
  type: row.type as EventType,
  recordType: row.recordType as RecordKind,
  recordId: row.recordId,
  actorId: row.actorId,
  changes: row.changes,
  data: row.data,
  occurredAt: row.occurredAt,
});

export type DeliveryResult = 'delivered' | 'already-delivered' | 'gone';

export async function deliverEvent(db: Db, clock: Clock, consumer: EventConsumer, orgId: string, eventId: string): Promise<DeliveryResult> {
  return withTenant(db, orgId, async (t) => {
    const [claimed] = await t.insert(eventDeliveries).values({ orgId, consumer: consumer.name, eventId }).onConflictDoNothing().returning();
    if (!claimed) return 'already-delivered';
    const [row] = await t.select().from(domainEvents).where(eq(domainEvents.id, eventId));
    // Removed by retention before it was handled (the delivery row went with it by cascade).
    if (!row) return 'gone';
    await consumer.handle(scopeOf(t, systemActor(orgId), clock), toDomainEvent(row));
    return 'delivered';
  });
}

/** Events not yet handed to the consumers, oldest first (platform code: reads across organizations). */
export async function undispatchedEvents(db: Db, limit: number) {
  return db.select().from(domainEvents).where(isNull(domainEvents.dispatchedAt)).orderBy(asc(domainEvents.seq)).limit(limit);
}

export async function markDispatched(db: Db, ids: string[], at: Date) {
  if (ids.length) await db.update(domainEvents).set({ dispatchedAt: at }).where(and(inArray(domainEvents.id, ids), isNull(domainEvents.dispatchedAt)));
}

/**
 * Hands every pending event to every consumer that wants it, in this process, and marks it
 * dispatched: what the dispatcher does through pg-boss, without the queues. Tests use it to let
 * side effects happen at a point of their choosing; returns how many deliveries happened.
 */
export async function deliverPendingInline(db: Db, clock: Clock, consumers: readonly EventConsumer[]): Promise<number> {
  let delivered = 0;
  for (;;) {
    const rows = await undispatchedEvents(db, 500);
    if (rows.length === 0) return delivered;
    for (const row of rows) {
      for (const consumer of consumers) {
        if (!consumer.types.includes(row.type as EventType)) continue;
        if ((await deliverEvent(db, clock, consumer, row.orgId, row.id)) === 'delivered') delivered++;
      }
    }
    await markDispatched(db, rows.map((r) => r.id), clock());
  }
}

