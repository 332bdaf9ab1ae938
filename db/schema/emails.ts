// The other ids a logged email is known by. An email is one activity per organization, keyed by its
// RFC 822 Message-ID (activities.message_id). A host that could not read the header logs it under its
// own id first (gmail:<hex>); once the Message-ID is known the activity takes it, and the host id stays
// here, so a later log under either id, from any host or rep, finds the same activity
// (api/modules/emails/emails.service.ts).
import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { activities } from './records.ts';
import { orgId } from './tenancy.ts';

export const emailMessageAliases = pgTable(
  'email_message_aliases',
  {
    orgId: orgId(),
    /** A host's own message id (gmail:<hex>), or the id of an activity merged into this one. */
    alias: text('alias').notNull(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.alias] }), index('email_message_aliases_activity_idx').on(t.orgId, t.activityId)],
);
