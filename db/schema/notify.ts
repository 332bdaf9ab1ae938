import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { PreferenceOverrides } from '../../core/notify/preferences.ts';
import { user } from './auth.ts';
import { createdAt, id, updatedAt } from './columns.ts';
import { organizations, orgId } from './tenancy.ts';

// Mail waiting to be sent, and sent mail until it is purged: written in the transaction of its
// cause (an invitation, an event consumer, a job), sent by the mail worker with retries, so a
// stopped SMTP server delays mail and loses none. Account mail (verification, password reset)
// belongs to no organization: org_id is null and only the owner role sees it.
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: id(),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
    toAddress: text('to_address').notNull(),
    template: text('template').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    // The notification kind of non-essential mail (it carries an unsubscribe link); null: essential.
    kind: text('kind'),
    // One mail per cause, whatever retries or redeliveries happen upstream.
    dedupeKey: text('dedupe_key').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('mail_outbox_dedupe_uq').on(t.dedupeKey),
    index('mail_outbox_due_idx').on(t.nextAttemptAt).where(sql`sent_at is null and failed_at is null`),
  ],
);

// A member's own notification choices (only what they changed from the organization's defaults).
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    overrides: jsonb('overrides').$type<PreferenceOverrides>().notNull().default({}),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] })],
);

// The organization's defaults, as the admins changed them from the product's (core/notify/preferences.ts).
export const notificationDefaults = pgTable('notification_defaults', {
  orgId: orgId().primaryKey(),
  overrides: jsonb('overrides').$type<PreferenceOverrides>().notNull().default({}),
  updatedAt: updatedAt(),
});
