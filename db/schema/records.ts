// CRM records: companies, contacts, pipelines, deals, activities, and the audit log.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
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
import { createdAt, deletedAt, id, updatedAt } from './columns.ts';
import { orgId } from './tenancy.ts';

export const companies = pgTable(
  'companies',
  {
    id: id(),
    orgId: orgId(),
    name: text('name').notNull(),
    domain: text('domain'),
    // Lower-cased copies for lookups: lower() is not leakproof, so under RLS an index on the
    // expression would not be used; a plain column compared with = is.
    domainNormalized: text('domain_normalized').generatedAlwaysAs(sql`lower(domain)`),
    industry: text('industry'),
    ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    source: text('source'),
    externalId: text('external_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    uniqueIndex('companies_org_domain_uq').on(t.orgId, t.domainNormalized).where(sql`deleted_at is null`),
    index('companies_org_created_idx').on(t.orgId, t.createdAt, t.id),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    orgId: orgId(),
    email: text('email').notNull(),
    emailNormalized: text('email_normalized').notNull().generatedAlwaysAs(sql`lower(email)`),
    firstName: text('first_name'),
    lastName: text('last_name'),
    title: text('title'),
    phone: text('phone'),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'set null' }),
    ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    source: text('source'),
    externalId: text('external_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    uniqueIndex('contacts_org_email_uq').on(t.orgId, t.emailNormalized).where(sql`deleted_at is null`),
    index('contacts_org_created_idx').on(t.orgId, t.createdAt, t.id),
    index('contacts_org_company_idx').on(t.orgId, t.companyId),
  ],
);

// One row per searchable word of a contact (names, email parts, company name words), kept by a
// trigger. Searching prefix ranges on a "C"-collated btree works under RLS because text_ge/text_lt
// are leakproof, unlike ILIKE or trigram operators, which the planner may not push into an index.
export const contactSearchTerms = pgTable(
  'contact_search_terms',
  {
    orgId: orgId(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    term: text('term').notNull(),
    // The contact's creation time, so matches come out newest first from the index alone and only
    // one page of contacts is read, however many match a short prefix.
    contactCreatedAt: timestamp('contact_created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.term, t.contactCreatedAt, t.contactId] }),
    // Also serves "does this contact match the word?" when the planner walks contacts newest first.
    index('contact_search_terms_contact_idx').on(t.orgId, t.contactId, t.term),
  ],
);

export const pipelines = pgTable('pipelines', {
  id: id(),
  orgId: orgId(),
  name: text('name').notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: createdAt(),
});

export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    id: id(),
    orgId: orgId(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    defaultProbability: integer('default_probability').notNull(),
    isWon: boolean('is_won').notNull().default(false),
    isLost: boolean('is_lost').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('pipeline_stages_pipeline_idx').on(t.orgId, t.pipelineId, t.position)],
);

export const deals = pgTable(
  'deals',
  {
    id: id(),
    orgId: orgId(),
    name: text('name').notNull(),
    valueCents: bigint('value_cents', { mode: 'number' }).notNull().default(0),
    currency: char('currency', { length: 3 }).notNull().default('USD'),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id),
    stageId: uuid('stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    probability: integer('probability').notNull(),
    ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'set null' }),
    expectedCloseDate: date('expected_close_date'),
    actualCloseDate: date('actual_close_date'),
    outcome: text('outcome', { enum: ['won', 'lost'] }),
    lostReason: text('lost_reason'),
    stageChangedAt: timestamp('stage_changed_at', { withTimezone: true }).notNull().defaultNow(),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    source: text('source'),
    externalId: text('external_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    index('deals_org_stage_idx').on(t.orgId, t.stageId),
    index('deals_org_owner_idx').on(t.orgId, t.ownerId),
    index('deals_org_company_idx').on(t.orgId, t.companyId),
    index('deals_org_created_idx').on(t.orgId, t.createdAt, t.id),
    uniqueIndex('deals_org_source_external_uq')
      .on(t.orgId, t.source, t.externalId)
      .where(sql`external_id is not null`),
  ],
);

export const dealContacts = pgTable(
  'deal_contacts',
  {
    orgId: orgId(),
    dealId: uuid('deal_id')
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.dealId, t.contactId] }),
    index('deal_contacts_contact_idx').on(t.orgId, t.contactId),
  ],
);

export const dealStageHistory = pgTable(
  'deal_stage_history',
  {
    id: id(),
    orgId: orgId(),
    dealId: uuid('deal_id')
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    fromStageId: uuid('from_stage_id').references(() => pipelineStages.id),
    toStageId: uuid('to_stage_id')
      .notNull()
      .references(() => pipelineStages.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    changedBy: uuid('changed_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [index('deal_stage_history_deal_idx').on(t.orgId, t.dealId, t.changedAt)],
);

// email_opened / email_clicked are written by tracking only (see core/schemas/activities.ts).
const activityTypeEnum = ['email', 'call', 'meeting', 'note', 'task', 'email_opened', 'email_clicked'] as const;

export const activities = pgTable(
  'activities',
  {
    id: id(),
    orgId: orgId(),
    type: text('type', { enum: activityTypeEnum }).notNull(),
    subject: text('subject'),
    body: text('body'),
    direction: text('direction', { enum: ['inbound', 'outbound'] }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
    // Emails only: the RFC 822 Message-ID, the key that makes logging idempotent.
    messageId: text('message_id'),
    threadId: text('thread_id'),
    fromAddress: text('from_address'),
    toAddresses: text('to_addresses').array(),
    ccAddresses: text('cc_addresses').array(),
    source: text('source'),
    externalId: text('external_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    uniqueIndex('activities_org_message_uq').on(t.orgId, t.messageId).where(sql`message_id is not null`),
    index('activities_org_created_idx').on(t.orgId, t.createdAt, t.id),
    index('activities_org_open_tasks_idx').on(t.orgId, t.ownerId, t.dueAt).where(sql`type = 'task' and completed_at is null`),
  ],
);

// An activity can concern several records (an email to three contacts of one company and its
// deal). occurred_at and type are copied here so timelines and open tasks are read from one index.
export const activityLinks = pgTable(
  'activity_links',
  {
    orgId: orgId(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'cascade' }),
    dealId: uuid('deal_id').references(() => deals.id, { onDelete: 'cascade' }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    // Copied too, so a record's tasks are found without reading all its activities.
    type: text('type', { enum: activityTypeEnum }).notNull(),
  },
  (t) => [
    index('activity_links_activity_idx').on(t.orgId, t.activityId),
    index('activity_links_contact_idx').on(t.orgId, t.contactId, t.occurredAt).where(sql`contact_id is not null`),
    index('activity_links_company_idx').on(t.orgId, t.companyId, t.occurredAt).where(sql`company_id is not null`),
    index('activity_links_deal_idx').on(t.orgId, t.dealId, t.occurredAt).where(sql`deal_id is not null`),
    index('activity_links_contact_tasks_idx').on(t.orgId, t.contactId).where(sql`type = 'task' and contact_id is not null`),
    index('activity_links_company_tasks_idx').on(t.orgId, t.companyId).where(sql`type = 'task' and company_id is not null`),
    index('activity_links_deal_tasks_idx').on(t.orgId, t.dealId).where(sql`type = 'task' and deal_id is not null`),
  ],
);

// Append-only: app_user may only insert and read (see the tenancy migration).
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: orgId(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    changes: jsonb('changes').$type<Record<string, { old: unknown; new: unknown }>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_entity_idx').on(t.orgId, t.entityType, t.entityId, t.at)],
);

// Replays of client retries: a write sent again with the same Idempotency-Key gets the first
// answer instead of being applied twice (the sidebar's offline outbox relies on this).
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    orgId: orgId(),
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    fingerprint: char('fingerprint', { length: 64 }).notNull(),
    statusCode: integer('status_code'),
    responseBody: text('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);
