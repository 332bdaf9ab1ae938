// Moves committed events from the outbox into each interested consumer's pg-boss queue, in one
// transaction per batch (the queue rows and the "dispatched" mark commit together), oldest first,
// skipping rows another process is dispatching. Woken by the event stream as soon as an event
// commits, and by a timer as a fallback. A crash before the commit leaves the events undispatched,
// so they are queued again on the next pass: delivery is at least once, and consumers record
// deliveries to stay idempotent (delivery.ts).
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { EventType } from '../../../core/events.ts';
import type { Database } from '../../../db/client.ts';
import { domainEvents } from '../../../db/schema/index.ts';
import type { Logger } from '../../log.ts';
import type { Clock } from '../tenancy/scope.ts';
import { consumerQueue, type EventConsumer } from './consumer.ts';
import { deliverEvent } from './delivery.ts';
import type { EventStream } from './stream.ts';

const BATCH = 200;

export interface Dispatcher {
  /** Dispatches everything pending now; resolves with the number of events dispatched. */
  dispatchNow(): Promise<number>;
  stop(): Promise<void>;
}

export interface DispatcherOptions {
  boss: PgBoss;
  database: Database;
  consumers: readonly EventConsumer[];
  log: Logger;
  clock: Clock;
  stream?: EventStream;
  pollingIntervalSeconds: number;
}

export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const { boss, database, consumers, log, clock } = options;
  const { db } = database;

  // Each consumer's pg-boss worker, woken right after its jobs commit instead of at its next poll
  // (pg-boss polls every 0.5 s at best); the poll stays as the safety net (and serves the jobs
  // another process queued).
  const workerIds = new Map<EventConsumer, string>();
  const wakeWorkers = (fed: Set<EventConsumer>) => {
    for (const consumer of fed) {
      const id = workerIds.get(consumer);
      if (id) boss.notifyWorker(id);
    }
  };

  const dispatchBatch = async () => {
    const fed = new Set<EventConsumer>();
    const n = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: domainEvents.id, orgId: domainEvents.orgId, type: domainEvents.type })
        .from(domainEvents)
        .where(isNull(domainEvents.dispatchedAt))
        .orderBy(asc(domainEvents.seq))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
      const queued = fromDrizzle(tx as never, sql);
      for (const consumer of consumers) {
        const wanted = rows.filter((r) => consumer.types.includes(r.type as EventType));
        if (wanted.length) {
          await boss.insert(consumerQueue(consumer), wanted.map((r) => ({ data: { orgId: r.orgId, eventId: r.id } })), { db: queued });
          fed.add(consumer);
        }
      }
      await tx.update(domainEvents).set({ dispatchedAt: clock() }).where(inArray(domainEvents.id, rows.map((r) => r.id)));
      return rows.length;
    });
    wakeWorkers(fed);
    return n;
  };

  let running: Promise<number> | null = null;
  let again = false;
  const dispatchNow = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          for (;;) {
            const n = await dispatchBatch();
            total += n;
            if (n < BATCH) break;
          }
        } while (again);
      } catch (err) {
        log.error('event dispatch failed', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  };

  for (const consumer of consumers) {
    const workerId = await boss.work<{ orgId: string; eventId: string }>(
      consumerQueue(consumer),
      { pollingIntervalSeconds: options.pollingIntervalSeconds, batchSize: 20 },
      async (jobs) => {
        // One transaction per event: one that fails is retried alone (pg-boss fails the batch, and
        // the deliveries already recorded make the others no-ops on the retry).
        for (const job of jobs) {
          try {
            await deliverEvent(db, clock, consumer, job.data.orgId, job.data.eventId);
          } catch (err) {
            log.error('event consumer failed', { consumer: consumer.name, eventId: job.data.eventId, error: err instanceof Error ? err.message : String(err) });
            throw err;
          }
        }
      },
    );
    workerIds.set(consumer, workerId);
  }

  const unsubscribe = options.stream?.subscribe(() => void dispatchNow());
  const timer = setInterval(() => void dispatchNow(), Math.max(options.pollingIntervalSeconds, 0.5) * 1000);
  timer.unref();
  void dispatchNow();

  return {
    dispatchNow,
    async stop() {
      clearInterval(timer);
      unsubscribe?.();
      await running;
    },
  };
}
