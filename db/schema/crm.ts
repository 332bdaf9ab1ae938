// CRM connections and two-way sync state. Tokens are stored sealed (AES-256-GCM, see
// api/integrations/token-vault.ts), never in clear. A disconnected connection keeps its row (its
// links, runs and conflicts stay readable) but loses its tokens.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth.ts';
import { createdAt, id, updatedAt } from './columns.ts';
import { orgId } from './tenancy.ts';

const crmProviderEnum = ['salesforce', 'hubspot'] as const;
const crmRecordTypeEnum = ['company', 'contact', 'deal', 'activity'] as const;
const crmOwnershipEnum = ['crm_wins', 'inbox_wins', 'most_recent', 'read_only', 'dont_sync'] as const;

export const crmConnections = pgTable(
  'crm_connections',
  {
    id: id(),
    orgId: orgId(),
    provider: text('provider', { enum: crmProviderEnum }).notNull(),
    // needs_reconnecting: the CRM revoked the grant (sync paused until an admin reconnects);
    // paused: an admin or the sync paused it; disconnected: tokens removed.
    status: text('status', { enum: ['active', 'needs_reconnecting', 'paused', 'disconnected'] }).notNull(),
    authKind: text('auth_kind', { enum: ['oauth', 'direct_token'] }).notNull(),
    // A development stand-in (sandbox/), never offered in production.
    sandbox: boolean('sandbox').notNull().default(false),
    instanceUrl: text('instance_url'),
    externalAccountId: text('external_account_id'),
    scopes: jsonb('scopes').$type<string[]>().notNull().default([]),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    tokensRefreshedAt: timestamp('tokens_refreshed_at', { withTimezone: true }),
    statusReason: text('status_reason'),
    lastError: jsonb('last_error').$type<{ code: string; message: string; at: string } | null>(),
    apiUsage: jsonb('api_usage').$type<{ used: number; limit: number; at: string } | null>(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    connectedBy: uuid('connected_by').references(() => user.id, { onDelete: 'set null' }),
    connectedAt: timestamp('connected_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('crm_connections_org_provider_uq').on(t.orgId, t.provider)],
);

// An OAuth authorization in progress: the state sent to the CRM (stored hashed) and, for PKCE, the
// code verifier (sealed). Used once, within minutes.
export const crmOauthStates = pgTable(
  'crm_oauth_states',
  {
    id: id(),
    orgId: orgId(),
    provider: text('provider', { enum: crmProviderEnum }).notNull(),
    sandbox: boolean('sandbox').notNull().default(false),
    stateHash: text('state_hash').notNull(),
    codeVerifier: text('code_verifier'),
    redirectUri: text('redirect_uri').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('crm_oauth_states_hash_uq').on(t.stateHash), index('crm_oauth_states_org_idx').on(t.orgId, t.createdAt)],
);

const connectionId = () =>
  uuid('connection_id')
    .notNull()
    .references(() => crmConnections.id, { onDelete: 'cascade' });

// A local record and its CRM twin, with the values both sides agreed on at the last sync (the
// baseline change detection compares against).
export const crmExternalLinks = pgTable(
  'crm_external_links',
  {
    id: id(),
    orgId: orgId(),
    connectionId: connectionId(),
    recordType: text('record_type', { enum: crmRecordTypeEnum }).notNull(),
    localId: uuid('local_id').notNull(),
    externalObject: text('external_object').notNull(),
    externalId: text('external_id').notNull(),
    baseline: jsonb('baseline').$type<Record<string, unknown>>().notNull().default({}),
    crmModifiedAt: timestamp('crm_modified_at', { withTimezone: true }),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
    deletedInCrmAt: timestamp('deleted_in_crm_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('crm_external_links_external_uq').on(t.orgId, t.connectionId, t.externalObject, t.externalId),
    index('crm_external_links_local_idx').on(t.orgId, t.recordType, t.localId),
  ],
);

// Where a pull stopped, per CRM object: written after every page, so a crash resumes there.
export const crmSyncCheckpoints = pgTable(
  'crm_sync_checkpoints',
  {
    orgId: orgId(),
    connectionId: connectionId(),
    externalObject: text('external_object').notNull(),
    phase: text('phase', { enum: ['initial', 'incremental'] }).notNull(),
    cursor: jsonb('cursor').$type<Record<string, unknown> | null>(),
    modifiedUpTo: timestamp('modified_up_to', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.connectionId, t.externalObject] })],
);

// A mapped field and who owns it. The CRM field as it was when mapped is kept, so drift (deleted,
// retyped, picklist values removed) is noticed and pauses that field instead of losing data.
export const crmFieldMappings = pgTable(
  'crm_field_mappings',
  {
    id: id(),
    orgId: orgId(),
    connectionId: connectionId(),
    recordType: text('record_type', { enum: crmRecordTypeEnum }).notNull(),
    localField: text('local_field').notNull(),
    crmField: text('crm_field').notNull(),
    ownership: text('ownership', { enum: crmOwnershipEnum }).notNull(),
    crmFieldSnapshot: jsonb('crm_field_snapshot').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['active', 'paused'] }).notNull().default('active'),
    pausedReason: text('paused_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('crm_field_mappings_field_uq').on(t.orgId, t.connectionId, t.recordType, t.localField)],
);

// What the rules could not decide: both values, for an admin to resolve. Never overwritten silently.
export const crmConflicts = pgTable(
  'crm_conflicts',
  {
    id: id(),
    orgId: orgId(),
    connectionId: connectionId(),
    recordType: text('record_type', { enum: crmRecordTypeEnum }).notNull(),
    localId: uuid('local_id').notNull(),
    externalObject: text('external_object').notNull(),
    externalId: text('external_id').notNull(),
    field: text('field').notNull(),
    inboxValue: jsonb('inbox_value'),
    crmValue: jsonb('crm_value'),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['open', 'resolved'] }).notNull().default('open'),
    resolution: text('resolution', { enum: ['keep_crm', 'keep_inbox', 'edited'] }),
    resolvedValue: jsonb('resolved_value'),
    resolvedBy: uuid('resolved_by').references(() => user.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('crm_conflicts_open_idx').on(t.orgId, t.connectionId, t.status, t.createdAt)],
);

export interface CrmSyncPlanEntry {
  action: 'create' | 'update' | 'delete' | 'conflict';
  recordType: 'company' | 'contact' | 'deal';
  externalObject: string;
  externalId: string;
  localId: string | null;
  /** Field → value the sync would write locally (conflicts: both values). */
  changes: Record<string, unknown>;
}

export interface CrmRunCounts {
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
  conflicts: number;
  errors: number;
}

// Every sync run with its counts, calls and duration, for the admin.
export const crmSyncRuns = pgTable(
  'crm_sync_runs',
  {
    id: id(),
    orgId: orgId(),
    connectionId: connectionId(),
    kind: text('kind', { enum: ['initial', 'incremental', 'push', 'dry_run'] }).notNull(),
    // queued: "sync now" asked for it; at most one queued or running per connection (a unique index).
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed', 'paused'] }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    counts: jsonb('counts').$type<CrmRunCounts>().notNull().default({ created: 0, updated: 0, deleted: 0, skipped: 0, conflicts: 0, errors: 0 }),
    apiCalls: integer('api_calls').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    log: jsonb('log').$type<{ at: string; message: string }[]>().notNull().default([]),
    /** The same counts per CRM object (Account, contacts, …). */
    objectCounts: jsonb('object_counts').$type<Record<string, CrmRunCounts>>().notNull().default({}),
    /** A dry run: what would be created, updated and deleted, record by record (nothing was written). */
    plan: jsonb('plan').$type<CrmSyncPlanEntry[] | null>(),
  },
  (t) => [
    index('crm_sync_runs_connection_idx').on(t.orgId, t.connectionId, t.startedAt),
    uniqueIndex('crm_sync_runs_one_active_uq').on(t.orgId, t.connectionId).where(sql`status in ('queued', 'running')`),
  ],
);
