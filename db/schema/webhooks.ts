// Outbound deliveries to other systems: customers' webhook endpoints and Slack incoming webhooks.
// Both are "endpoints" (kind webhook | slack) with the events they receive; a domain-event consumer
// writes one delivery per subscribed endpoint, a sender posts it and logs every attempt
// (api/modules/webhooks).
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { orgId } from './tenancy.ts';

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    orgId: orgId(),
    kind: text('kind', { enum: ['webhook', 'slack'] }).notNull(),
    /** What the admin calls it (a Slack connection: the channel). */
    name: text('name').notNull(),
    url: text('url').notNull(),
    eventTypes: jsonb('event_types').$type<string[]>().notNull().default([]),
    /** Standard Webhooks signing secret (whsec_…); null for Slack. */
    secret: text('secret'),
    /** During a rotation's overlap, the old secret also signs, until `previousSecretExpiresAt`. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    /** Paused by the admin, or disabled after persistent failure (then `disabledReason` says why). */
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    /** Since when every attempt has failed; null while it works. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    lastError: text('last_error'),
    lastStatusCode: integer('last_status_code'),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.orgId, t.kind, t.createdAt)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    orgId: orgId(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The domain event it carries (null: a test event). Also the `webhook-id` header, the same on every retry. */
    eventId: uuid('event_id'),
    /** The event's position in the outbox: deliveries about one record go out in this order. */
    eventSeq: bigint('event_seq', { mode: 'number' }),
    recordId: uuid('record_id'),
    type: text('type').notNull(),
    /** The exact body sent, fixed at fan-out: every retry sends the same bytes. */
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** A sender holds it until then; a crashed sender's claim runs out and another takes it. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    firstAttemptAt: timestamp('first_attempt_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_uq').on(t.orgId, t.endpointId, t.eventId, t.type),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_deliveries_order_idx').on(t.orgId, t.endpointId, t.recordId, t.eventSeq).where(sql`status = 'pending'`),
    index('webhook_deliveries_log_idx').on(t.orgId, t.endpointId, t.createdAt),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    orgId: orgId(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    /** Null: no answer (refused address, connection error, timeout). */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    /** The first bytes of the answer, to help the admin see what the receiver said. */
    responseBody: text('response_body'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.orgId, t.deliveryId, t.attemptedAt)],
);
