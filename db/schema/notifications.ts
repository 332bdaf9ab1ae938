import {
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './auth.ts';
import { createdAt, id } from './columns.ts';
import { deals } from './records.ts';
import { orgId } from './tenancy.ts';

// In-app notifications, one row per recipient. `kind` + `dealId` + `dedupeKey` make an event
// notify each person once (a deal entering the high band: once per transition).
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['deal_high_risk', 'email_opened', 'webhook_disabled', 'crm_needs_reconnecting', 'large_export'] }).notNull(),
    dealId: uuid('deal_id').references(() => deals.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text('dedupe_key').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_uq').on(t.orgId, t.userId, t.dedupeKey),
    index('notifications_user_idx').on(t.orgId, t.userId, t.createdAt),
  ],
);
