// Domain events: the transactional outbox every change writes to, in the same transaction as the
// change (api/platform/events). A dispatcher hands each event to its consumers at least once; a
// consumer records what it has handled in event_deliveries, in the same transaction as its effect,
// so a redelivered event is a no-op.
import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgId } from './tenancy.ts';

export const domainEvents = pgTable(
  'domain_events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    // Insertion order across the database: the live stream's resume point (Last-Event-ID).
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    orgId: orgId(),
    type: text('type').notNull(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    // Null: the system (a scheduled job, a consumer, tracking).
    actorId: uuid('actor_id'),
    // Field name → { old, new } for what the change changed.
    changes: jsonb('changes').$type<Record<string, { old: unknown; new: unknown }>>().notNull().default({}),
    // A snapshot of the record after the change and anything the type adds (see core/events).
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    // Set once the dispatcher has queued the event for every consumer.
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('domain_events_seq_uq').on(t.seq),
    index('domain_events_undispatched_idx').on(t.seq).where(sql`dispatched_at is null`),
    index('domain_events_org_time_idx').on(t.orgId, t.occurredAt),
    index('domain_events_record_idx').on(t.orgId, t.recordId, t.seq),
  ],
);

export const eventDeliveries = pgTable(
  'event_deliveries',
  {
    orgId: orgId(),
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => domainEvents.id, { onDelete: 'cascade' }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.consumer, t.eventId] }), index('event_deliveries_event_idx').on(t.eventId)],
);
