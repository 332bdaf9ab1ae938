// Replaying domain events of a time range: they are marked undispatched, so the running
// dispatcher hands them to their consumers again. A consumer that already handled an event skips it
// (its delivery is on record), so by default a replay reaches only the consumers that never
// finished with it (e.g. after a bug was fixed). Naming consumers forgets their deliveries in the
// range first, so those consumers handle every event again (e.g. a rebuilt projection); their own
// dedupe keys still keep a person from being notified twice.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { domainEvents, eventDeliveries } from '../../../db/schema/index.ts';

export interface ReplayRange {
  from: Date;
  to: Date;
  /** Only this organization's events; all organizations' when absent. */
  orgId?: string;
  /** Consumers to run again on every event of the range, even those they handled. */
  consumers?: string[];
}

/** Platform code, as the owner role: a replay may span organizations. Returns the events replayed. */
export async function replayEvents(db: Db, range: ReplayRange): Promise<{ events: number; forgottenDeliveries: number }> {
  if (!(range.from < range.to)) throw new Error('The range must start before it ends');
  return db.transaction(async (tx) => {
    const where = and(
      gte(domainEvents.occurredAt, range.from),
      lt(domainEvents.occurredAt, range.to),
      range.orgId ? eq(domainEvents.orgId, range.orgId) : undefined,
    );
    let forgottenDeliveries = 0;
    if (range.consumers?.length) {
      const forgotten = await tx
        .delete(eventDeliveries)
        .where(and(inArray(eventDeliveries.consumer, range.consumers), inArray(eventDeliveries.eventId, tx.select({ id: domainEvents.id }).from(domainEvents).where(where))))
        .returning({ eventId: eventDeliveries.eventId });
      forgottenDeliveries = forgotten.length;
    }
    const replayed = await tx.update(domainEvents).set({ dispatchedAt: sql`null` }).where(where).returning({ id: domainEvents.id });
    return { events: replayed.length, forgottenDeliveries };
  });
}
