// At-least-once delivery through pg-boss, across a restart: events written while no worker runs
// are delivered when one starts; a consumer that dies mid-event (its transaction rolled back) gets
// the event again from a new process, and its effect happens exactly once.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../core/roles.ts';
import type { Database } from '../../../db/client.ts';
import { domainEvents, eventDeliveries, organizations } from '../../../db/schema/index.ts';
import { openTestDatabase } from '../../../test-support/database.ts';
import { silentLogger } from '../../log.ts';
import { startScheduler, type Scheduler } from '../jobs/scheduler.ts';
import { inTenant, systemClock } from '../tenancy/scope.ts';
import type { EventConsumer } from './consumer.ts';
import { openEventStream, type EventStream } from './stream.ts';

let database: Database & { url?: string };
let orgId: string;
let scheduler: Scheduler | null = null;
let stream: EventStream;

beforeAll(async () => {
  database = await openTestDatabase();
  orgId = (await database.db.insert(organizations).values({ name: 'Restarts' }).returning())[0]!.id;
  stream = await openEventStream(database, silentLogger);
});
afterAll(async () => {
  await scheduler?.stop();
  await stream.close();
  await database.close();
});

const start = (consumer: EventConsumer) =>
  startScheduler({ database, databaseUrl: database.url, jobs: [], consumers: [consumer], log: silentLogger, stream, pollingIntervalSeconds: 0.5, eventRetryDelaySeconds: 1 });

/** A change the system makes: one event in the outbox, committed. */
const change = (recordId: string) => inTenant(database.db, systemClock, systemActor(orgId), (s) => s.emit({ type: 'contact.created', recordId }));

const effects = new Map<string, number>();
const attempts = new Map<string, number>();
/** The consumer's effect: counted only when its transaction commits (the delivery row commits with it). */
async function isDelivered(eventId: string) {
  return (await database.db.select().from(eventDeliveries).where(eq(eventDeliveries.eventId, eventId))).length === 1;
}

describe('the events dispatcher on pg-boss', () => {
  it('delivers, after a restart, an event written while no worker ran and one whose consumer died mid-way', async () => {
    const quiet = crypto.randomUUID();
    await change(quiet); // the server is down: the event waits in the outbox
    const [waiting] = await database.db.select().from(domainEvents).where(eq(domainEvents.recordId, quiet));
    expect(waiting!.dispatchedAt).toBeNull();

    // First process: its consumer dies in the middle of every event (the transaction rolls back).
    const dying: EventConsumer = {
      name: 'test-restart',
      types: ['contact.created'],
      async handle(_s, e) {
        attempts.set(e.recordId, (attempts.get(e.recordId) ?? 0) + 1);
        throw new Error('process died');
      },
    };
    scheduler = await start(dying);
    const crashed = crypto.randomUUID();
    await change(crashed);
    await expect.poll(() => (attempts.get(quiet) ?? 0) > 0 && (attempts.get(crashed) ?? 0) > 0, { timeout: 15_000, interval: 200 }).toBe(true);
    await scheduler.stop();
    scheduler = null;
    const [row] = await database.db.select().from(domainEvents).where(eq(domainEvents.recordId, crashed));
    expect(row!.dispatchedAt).not.toBeNull();
    expect(await isDelivered(row!.id)).toBe(false);

    // Second process, same database: pg-boss retries the jobs; each effect happens once.
    const healthy: EventConsumer = {
      name: 'test-restart',
      types: ['contact.created'],
      async handle(_s, e) {
        attempts.set(e.recordId, (attempts.get(e.recordId) ?? 0) + 1);
        effects.set(e.recordId, (effects.get(e.recordId) ?? 0) + 1);
      },
    };
    scheduler = await start(healthy);
    await expect.poll(async () => (await isDelivered(waiting!.id)) && (await isDelivered(row!.id)), { timeout: 20_000, interval: 250 }).toBe(true);
    expect(effects.get(quiet)).toBe(1);
    expect(effects.get(crashed)).toBe(1);

    // Later events go straight through; redelivering a delivered one does nothing.
    const later = crypto.randomUUID();
    await change(later);
    await expect.poll(() => effects.get(later) ?? 0, { timeout: 10_000, interval: 100 }).toBe(1);
    await scheduler.dispatcher.dispatchNow();
    expect(effects.get(later)).toBe(1);
  });
});
