// The CRM connection API's contract (/api/v1/crm). Tokens go in, never out.
import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

export const CrmProviderName = z.enum(['salesforce', 'hubspot']).meta({ id: 'CrmProvider' });

export const CrmConnection = z
  .object({
    id: Id,
    provider: CrmProviderName,
    status: z.enum(['active', 'needs_reconnecting', 'paused', 'disconnected']).meta({
      description: 'needs_reconnecting: the CRM no longer accepts the grant; the sync is paused until an admin connects again. disconnected: the tokens were removed.',
    }),
    authKind: z.enum(['oauth', 'direct_token']),
    sandbox: z.boolean().meta({ description: 'A development stand-in (never offered in production)' }),
    instanceUrl: z.string().nullable(),
    externalAccountId: z.string().nullable().meta({ description: 'The CRM account: Salesforce org id (OAuth), HubSpot portal id (OAuth); null for direct tokens' }),
    scopes: z.array(z.string()),
    statusReason: z.string().nullable(),
    lastError: z.object({ code: z.string(), message: z.string(), at: Timestamp }).nullable(),
    apiUsage: z.object({ used: z.number().int(), limit: z.number().int(), at: Timestamp }).nullable().meta({ description: 'The CRM\'s own count of API calls today, as it last reported it' }),
    canRefresh: z.boolean().meta({ description: 'A refresh token is stored: expired access tokens are renewed without the admin' }),
    accessTokenExpiresAt: Timestamp.nullable(),
    connectedAt: Timestamp.nullable(),
    connectedBy: Id.nullable(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'CrmConnection' });

export const CrmConnectionList = z.object({ data: z.array(CrmConnection) }).meta({ id: 'CrmConnectionList' });

export const CrmConnectOptions = z
  .object({
    data: z.array(
      z.object({
        provider: CrmProviderName,
        label: z.string(),
        oauth: z.boolean().meta({ description: 'The OAuth app is configured on this server' }),
        directToken: z.boolean(),
        directTokenNeedsInstanceUrl: z.boolean(),
        sandbox: z.boolean().meta({ description: 'Development only: the local stand-in can be connected' }),
      }),
    ),
  })
  .meta({ id: 'CrmConnectOptions' });

const token = z.string().trim().min(8).max(4096);

export const CrmDirectConnect = z
  .discriminatedUnion('provider', [
    z.object({ provider: z.literal('hubspot'), accessToken: token.meta({ description: 'A private app token (pat-…)' }), sandbox: z.boolean().default(false) }).strict(),
    z.object({
      provider: z.literal('salesforce'),
      accessToken: token,
      instanceUrl: z.url().max(300).meta({ description: 'https://<your domain>.my.salesforce.com' }),
      sandbox: z.boolean().default(false),
    }).strict(),
  ])
  .meta({ id: 'CrmDirectConnect' });

export const CrmOAuthStart = z.object({ provider: CrmProviderName, sandbox: z.boolean().default(false) }).strict().meta({ id: 'CrmOAuthStart' });

export const CrmOAuthStarted = z
  .object({ authorizationUrl: z.string(), expiresAt: Timestamp })
  .meta({ id: 'CrmOAuthStarted', description: 'Send the browser to authorizationUrl; the CRM sends it back to /api/v1/crm/oauth/callback' });

export const CrmOAuthCallbackQuery = z
  .object({
    state: z.string().min(1).max(200),
    code: z.string().min(1).max(2000).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
  })
  .meta({ id: 'CrmOAuthCallbackQuery' });

export const CrmFieldsQuery = z.object({ recordType: z.enum(['company', 'contact', 'deal']).default('contact') }).strict();

export const CrmFieldList = z
  .object({
    data: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        kind: z.enum(['text', 'number', 'date', 'datetime', 'boolean', 'picklist', 'multipicklist', 'reference', 'other']),
        updateable: z.boolean().meta({ description: 'The connected CRM user may write it' }),
        options: z.array(z.string()).optional().meta({ description: 'Picklists: the active values' }),
      }),
    ),
  })
  .meta({ id: 'CrmFieldList', description: 'The CRM\'s own fields for a kind of record (Salesforce describe, HubSpot properties), as mapping chooses from them' });

export type CrmConnection = z.infer<typeof CrmConnection>;
export type CrmDirectConnect = z.infer<typeof CrmDirectConnect>;

// ---- Sync: run log, sync now / dry run, conflict journal

const RunCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  skipped: z.number().int(),
  conflicts: z.number().int(),
  errors: z.number().int(),
});

export const CrmSyncPlanEntry = z.object({
  action: z.enum(['create', 'update', 'delete', 'conflict']),
  recordType: z.enum(['company', 'contact', 'deal']),
  externalObject: z.string(),
  externalId: z.string(),
  localId: Id.nullable(),
  changes: z.record(z.string(), z.unknown()).meta({ description: 'Field → the value the sync would write in the app (conflicts: both values)' }),
});

export const CrmSyncRun = z
  .object({
    id: Id,
    connectionId: Id,
    kind: z.enum(['initial', 'incremental', 'push', 'dry_run']),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'paused']),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    durationMs: z.number().int().nullable(),
    counts: RunCounts,
    objectCounts: z.record(z.string(), RunCounts).meta({ description: 'The counts per CRM object (Account, contacts, …)' }),
    apiCalls: z.number().int(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    plan: z.array(CrmSyncPlanEntry).nullable().meta({ description: 'A dry run: what would be created, updated, deleted or journaled (nothing was written)' }),
  })
  .meta({ id: 'CrmSyncRun' });

export const CrmSyncRunList = z.object({ data: z.array(CrmSyncRun) }).meta({ id: 'CrmSyncRunList' });

export const CrmSyncRequest = z
  .object({ dryRun: z.boolean().default(false).meta({ description: 'Read the CRM and answer what would change, writing nothing (at most five pages of each object)' }) })
  .strict()
  .meta({ id: 'CrmSyncRequest' });

export const CrmConflict = z
  .object({
    id: Id,
    connectionId: Id,
    recordType: z.enum(['company', 'contact', 'deal', 'activity']),
    localId: Id,
    externalObject: z.string(),
    externalId: z.string(),
    field: z.string(),
    inboxValue: z.unknown(),
    crmValue: z.unknown(),
    reason: z.string(),
    status: z.enum(['open', 'resolved']),
    resolution: z.enum(['keep_crm', 'keep_inbox', 'edited']).nullable(),
    resolvedBy: Id.nullable(),
    resolvedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'CrmConflict' });

export const CrmConflictList = z.object({ data: z.array(CrmConflict) }).meta({ id: 'CrmConflictList' });

export const CrmConflictsQuery = z.object({ status: z.enum(['open', 'resolved']).default('open') }).strict();

export const CrmConflictParams = z.object({ id: Id, conflictId: Id });

export const CrmConflictResolve = z
  .object({ resolution: z.enum(['keep_crm', 'keep_inbox']).meta({ description: 'keep_crm: the CRM\'s value is written in the app; keep_inbox: the app\'s value stays (and is the one to send to the CRM)' }) })
  .strict()
  .meta({ id: 'CrmConflictResolve' });

export type CrmSyncRun = z.infer<typeof CrmSyncRun>;
export type CrmConflict = z.infer<typeof CrmConflict>;
