// Onboarding: per organization, the steps its admins marked done or skipped and whether they put
// the checklist away; and the sample records it loaded, each with its updated_at at seeding time,
// so removing the sample deletes exactly those rows nobody has edited since.
import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { orgId } from './tenancy.ts';

export const onboarding = pgTable('onboarding', {
  orgId: orgId().primaryKey(),
  /** Step id → 'done' | 'skipped' (core/onboarding/steps.ts); steps not in it are still to do. */
  steps: jsonb('steps').$type<Record<string, 'done' | 'skipped'>>().notNull().default({}),
  dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
  sampleLoadedAt: timestamp('sample_loaded_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const onboardingSampleRecords = pgTable(
  'onboarding_sample_records',
  {
    orgId: orgId(),
    entityType: text('entity_type', { enum: ['company', 'contact', 'deal', 'activity'] }).notNull(),
    entityId: uuid('entity_id').notNull(),
    seededUpdatedAt: timestamp('seeded_updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.entityType, t.entityId] })],
);
