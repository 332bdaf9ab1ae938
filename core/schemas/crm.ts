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
