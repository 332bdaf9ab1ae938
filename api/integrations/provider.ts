// What the rest of the product needs from a CRM, whichever it is. One implementation per folder
// (salesforce/, hubspot/), looked up through one registry (registry.ts): nothing else switches on
// the provider.
import type { SyncError } from '../../core/sync/errors.ts';
import type { CrmField } from '../../core/sync/fields.ts';
import type { CrmEndpoints } from './crm-config.ts';
import type { CrmPuller } from './sync/pull.ts';

export const crmProviderIds = ['salesforce', 'hubspot'] as const;
export type CrmProviderId = (typeof crmProviderIds)[number];

/** What a token endpoint (or a person pasting a token) gave us. */
export interface TokenGrant {
  accessToken: string;
  /** Null: none given (a direct token), or not rotated (keep the one we have). */
  refreshToken: string | null;
  /** Null: the provider does not say (Salesforce); the token is refreshed when a call is refused. */
  expiresAt: Date | null;
  /** Salesforce: the org's instance URL (every API call goes there). */
  instanceUrl: string | null;
  /** The CRM account (Salesforce org id, HubSpot portal id) when the provider says. */
  externalAccountId: string | null;
  scopes: string[];
}

/** What an API call needs. */
export interface CrmAccess {
  accessToken: string;
  instanceUrl: string | null;
}

/** The inbox records a CRM object syncs with. */
export type CrmRecordType = 'company' | 'contact' | 'deal';

export interface ApiUsage {
  used: number;
  limit: number;
}

export interface CrmProvider {
  readonly id: CrmProviderId;
  readonly label: string;
  /** Salesforce connected apps: PKCE with S256. */
  readonly usesPkce: boolean;
  /** A direct token needs the instance URL too (Salesforce). */
  readonly directTokenNeedsInstanceUrl: boolean;
  /** The consent page to send the admin's browser to. */
  authorizationUrl(endpoints: CrmEndpoints, request: { redirectUri: string; state: string; codeVerifier?: string }): string;
  exchangeCode(endpoints: CrmEndpoints, request: { code: string; redirectUri: string; codeVerifier?: string }, now: Date): Promise<TokenGrant>;
  refresh(endpoints: CrmEndpoints, refreshToken: string, now: Date): Promise<TokenGrant>;
  /** One cheap authenticated call: the token works, and what the account's API usage is. */
  verify(endpoints: CrmEndpoints, access: CrmAccess): Promise<{ apiUsage: ApiUsage | null }>;
  /** The CRM's own field list for a kind of record (Salesforce describe, HubSpot properties): what fields can be mapped to. */
  listFields(endpoints: CrmEndpoints, access: CrmAccess, recordType: CrmRecordType): Promise<CrmField[]>;
  /** Any error its client library threw, as a domain code. */
  parseError(error: unknown): SyncError;
  /** Reading its companies, contacts, deals, owners and pipelines for the sync. */
  readonly puller: CrmPuller;
}
