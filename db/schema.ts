// The whole data model. Tenant tables carry org_id and are protected by row-level security,
// which is enabled in the hand-written migration db/migrations/0001_tenancy.sql (policies,
// the app_user role, grants, the contact search trigger) so it reads as plain SQL.
import { sql } from 'drizzle-orm';
import type { NextAction, RiskReason } from '../core/risk/score.ts';
import type { RiskSettingsPatch } from '../core/risk/settings.ts';
import type { OrgRiskStats } from '../core/risk/types.ts';
import type { TrackedLink } from '../core/tracking/decorate-html.ts';
import type { TrackingPolicy } from '../core/tracking/consent.ts';
import {
  bigint,
  boolean,
  char,
  date,
  doublePrecision,
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

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const deletedAt = () => timestamp('deleted_at', { withTimezone: true });
const orgId = () =>
  uuid('org_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

// ---- better-auth's tables (global: a person can belong to several organizations) ----

export const user = pgTable('user', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const session = pgTable(
  'session',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const account = pgTable(
  'account',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verification = pgTable('verification', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// ---- tenancy ----

export const organizations = pgTable('organizations', {
  id: id(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const teams = pgTable(
  'teams',
  { id: id(), orgId: orgId(), name: text('name').notNull(), createdAt: createdAt() },
  (t) => [uniqueIndex('teams_org_name_uq').on(t.orgId, t.name)],
);

export const memberships = pgTable(
  'memberships',
  {
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['admin', 'manager', 'rep', 'readonly'] }).notNull(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    // The member's default for the compose "track this message" toggle.
    trackByDefault: boolean('track_by_default').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // sha256 of the key: keys are 256-bit random, so a fast hash is enough; the key is shown once.
    keyHash: char('key_hash', { length: 64 }).notNull(),
    prefix: text('prefix').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash), index('api_keys_org_user_idx').on(t.orgId, t.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    orgId: orgId(),
    email: text('email').notNull(),
    role: text('role', { enum: ['admin', 'manager', 'rep', 'readonly'] }).notNull(),
    tokenHash: char('token_hash', { length: 64 }).notNull(),
    invitedBy: uuid('invited_by').references(() => user.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash), index('invitations_org_idx').on(t.orgId)],
);

// ---- CRM records ----

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

// ---- deal intelligence ----

// The stored risk score of each open deal, recomputed when the deal or its activities change (and
// daily for time decay), so lists and the sidebar read it without scoring. Closed deals have none.
export const dealRisk = pgTable(
  'deal_risk',
  {
    orgId: orgId(),
    dealId: uuid('deal_id')
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    score: doublePrecision('score').notNull(),
    band: text('band', { enum: ['low', 'medium', 'high'] }).notNull(),
    reasons: jsonb('reasons').$type<RiskReason[]>().notNull(),
    nextAction: jsonb('next_action').$type<NextAction>().notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    // The deal's value and owner as of its last scoring (every change to them rescores it), so the
    // at-risk lists are read in order from one index: score, then the bigger deal first.
    valueCents: bigint('value_cents', { mode: 'number' }),
    ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.dealId] }), index('deal_risk_org_rank_idx').on(t.orgId, t.score.desc(), t.valueCents.desc(), t.dealId.desc())],
);

// Per organization: its risk settings (only the overrides of the defaults) and the history the
// score compares deals against (computed from closed deals, refreshed when a deal closes).
export const orgRisk = pgTable('org_risk', {
  orgId: orgId().primaryKey(),
  settings: jsonb('settings').$type<RiskSettingsPatch>().notNull().default({}),
  stats: jsonb('stats').$type<OrgRiskStats>(),
  statsComputedAt: timestamp('stats_computed_at', { withTimezone: true }),
});

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
    kind: text('kind', { enum: ['deal_high_risk', 'email_opened'] }).notNull(),
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

// ---- email open and click tracking (core/tracking, api/services/tracking*.ts) ----

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

export const schema = {
  user,
  session,
  account,
  verification,
  organizations,
  teams,
  memberships,
  apiKeys,
  invitations,
  companies,
  contacts,
  contactSearchTerms,
  pipelines,
  pipelineStages,
  deals,
  dealContacts,
  dealStageHistory,
  activities,
  activityLinks,
  auditLog,
  idempotencyKeys,
  dealRisk,
  orgRisk,
  notifications,
  trackingSettings,
  trackedMessages,
  trackingRecipients,
  trackingHits,
  trackingCounts,
  trackingActivities,
  senderViews,
  trackingOptOuts,
  trackingConsents,
};
