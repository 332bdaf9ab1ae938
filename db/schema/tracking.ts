// Email open and click tracking (core/tracking, api/modules/tracking).
import { sql } from 'drizzle-orm';
import type { TrackedLink } from '../../core/tracking/decorate-html.ts';
import type { TrackingPolicy } from '../../core/tracking/consent.ts';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './auth.ts';
import { createdAt, id, updatedAt } from './columns.ts';
import { activities, contacts } from './records.ts';
import { orgId } from './tenancy.ts';

// Per organization: its consent policy (null: the default, see tracking-settings.service.ts) and how
// long raw hits are kept (null: TRACKING_RETENTION_DAYS).
export const trackingSettings = pgTable('tracking_settings', {
  orgId: orgId().primaryKey(),
  policy: jsonb('policy').$type<TrackingPolicy>(),
  retentionDays: integer('retention_days'),
  updatedAt: updatedAt(),
});

// A message registered for tracking before it was sent. message_id/thread_id are the host's ids,
// known once the sender's client reports the send; sent_at is the registration time until then.
export const trackedMessages = pgTable(
  'tracked_messages',
  {
    id: id(),
    orgId: orgId(),
    senderId: uuid('sender_id').references(() => user.id, { onDelete: 'set null' }),
    subject: text('subject'),
    messageId: text('message_id'),
    threadId: text('thread_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    recipientCount: integer('recipient_count').notNull(),
    // What the consent decision allowed when it was registered.
    storeIdentity: boolean('store_identity').notNull(),
    storeExactTime: boolean('store_exact_time').notNull(),
    // Only for a one-recipient message whose recipient may be named.
    recipientEmail: text('recipient_email'),
    links: jsonb('links').$type<TrackedLink[]>().notNull().default([]),
    // The logged email (activities.message_id = message_id), once there is one.
    activityId: uuid('activity_id').references(() => activities.id, { onDelete: 'set null' }),
    // Set once, by whichever settle pass counts the first human open: the sender is notified once.
    firstHumanOpenAt: timestamp('first_human_open_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('tracked_messages_org_message_idx').on(t.orgId, t.messageId).where(sql`message_id is not null`),
    index('tracked_messages_org_thread_idx').on(t.orgId, t.threadId).where(sql`thread_id is not null`),
    index('tracked_messages_org_sender_idx').on(t.orgId, t.senderId, t.createdAt),
  ],
);

// Who a tracked message went to. The id is the opaque recipient id inside tokens (never the address).
export const trackingRecipients = pgTable(
  'tracking_recipients',
  {
    id: id(),
    orgId: orgId(),
    trackedMessageId: uuid('tracked_message_id')
      .notNull()
      .references(() => trackedMessages.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('tracking_recipients_message_email_uq').on(t.orgId, t.trackedMessageId, t.email)],
);

// Raw pixel and click hits, purged after the retention period (tracking_counts keeps the counts).
// No address and no raw User-Agent: the /24 (/48) prefix, the known network and the agent family.
// A hit is written unclassified (classified_at null) and classified by the settle pass; in
// aggregate mode `at` stays exact only until then (cut_to_day), and is then cut to the day.
export const trackingHits = pgTable(
  'tracking_hits',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: orgId(),
    trackedMessageId: uuid('tracked_message_id')
      .notNull()
      .references(() => trackedMessages.id, { onDelete: 'cascade' }),
    recipientId: uuid('recipient_id').references(() => trackingRecipients.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['open', 'click'] }).notNull(),
    linkIndex: integer('link_index'),
    honeypot: boolean('honeypot').notNull().default(false),
    at: timestamp('at', { withTimezone: true }).notNull(),
    method: text('method').notNull(),
    agentFamily: text('agent_family').notNull(),
    agentVendor: text('agent_vendor'),
    ipPrefix: text('ip_prefix'),
    network: text('network'),
    class: text('class'),
    counts: boolean('counts'),
    confidence: text('confidence'),
    reason: text('reason'),
    classifiedAt: timestamp('classified_at', { withTimezone: true }),
    cutToDay: boolean('cut_to_day').notNull().default(false),
  },
  (t) => [
    index('tracking_hits_message_idx').on(t.orgId, t.trackedMessageId, t.at),
    index('tracking_hits_org_at_idx').on(t.orgId, t.at),
    index('tracking_hits_unclassified_idx').on(t.at).where(sql`classified_at is null`),
    index('tracking_hits_cut_to_day_idx').on(t.at).where(sql`cut_to_day`),
  ],
);

// Classified hits rolled up per message, UTC day, kind, link and class: what summaries, thread
// labels and risk engagement read, and what stays after raw hits are purged. link_index is -1 for
// opens and the honeypot.
export const trackingCounts = pgTable(
  'tracking_counts',
  {
    orgId: orgId(),
    trackedMessageId: uuid('tracked_message_id')
      .notNull()
      .references(() => trackedMessages.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: ['open', 'click'] }).notNull(),
    linkIndex: integer('link_index').notNull(),
    class: text('class').notNull(),
    counts: boolean('counts').notNull(),
    hits: integer('hits').notNull(),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.trackedMessageId, t.day, t.kind, t.linkIndex, t.class, t.counts] })],
);

// The timeline entries tracking keeps up to date: one per message for its opens (link_index -1),
// one per link for its clicks.
export const trackingActivities = pgTable(
  'tracking_activities',
  {
    orgId: orgId(),
    trackedMessageId: uuid('tracked_message_id')
      .notNull()
      .references(() => trackedMessages.id, { onDelete: 'cascade' }),
    linkIndex: integer('link_index').notNull(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.trackedMessageId, t.linkIndex] }), index('tracking_activities_activity_idx').on(t.orgId, t.activityId)],
);

// The sender's extension reporting the sender looking at their own sent message: hits around
// these times are the sender's (Gmail's proxy carries no cookie that could tell).
export const senderViews = pgTable(
  'sender_views',
  {
    id: id(),
    orgId: orgId(),
    trackedMessageId: uuid('tracked_message_id')
      .notNull()
      .references(() => trackedMessages.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sender_views_message_idx').on(t.orgId, t.trackedMessageId, t.at)],
);

// Recipients who asked not to be tracked (email lower-cased). Never tracked again by this org.
export const trackingOptOuts = pgTable(
  'tracking_opt_outs',
  {
    orgId: orgId(),
    email: text('email').notNull(),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }).notNull().defaultNow(),
    // The message whose link they used.
    trackedMessageId: uuid('tracked_message_id').references(() => trackedMessages.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.email] })],
);

// Recorded consent to tracking, for the `consented` mode (email lower-cased).
export const trackingConsents = pgTable(
  'tracking_consents',
  {
    orgId: orgId(),
    email: text('email').notNull(),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid('recorded_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.email] })],
);
