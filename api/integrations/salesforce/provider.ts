// Salesforce behind the CrmProvider interface: OAuth 2 web-server flow with PKCE, refresh, and a
// cheap call (GET /limits) that proves a token works and reads the day's API usage.
import type { CrmProvider, TokenGrant } from '../provider.ts';
import { salesforceConnection, salesforceOAuth, SALESFORCE_SCOPES } from './client.ts';
import { parseSalesforceError } from './errors.ts';
import { salesforceFields, salesforceObjectOf } from './mappers.ts';
import { salesforcePuller } from './pull.ts';

interface SalesforceTokenResponse {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  /** https://login.salesforce.com/id/<org id>/<user id> */
  id: string;
  scope?: string;
}

function grant(res: SalesforceTokenResponse): TokenGrant {
  const parts = res.id?.split('/') ?? [];
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token ?? null,
    // Salesforce says nothing about expiry: a refused call triggers the refresh.
    expiresAt: null,
    instanceUrl: res.instance_url.replace(/\/+$/, ''),
    externalAccountId: parts.length >= 2 ? parts[parts.length - 2]! : null,
    scopes: res.scope ? res.scope.split(' ') : [],
  };
}

export function salesforceProvider(apiVersion: string): CrmProvider {
  return {
    id: 'salesforce',
    label: 'Salesforce',
    usesPkce: true,
    directTokenNeedsInstanceUrl: true,
    authorizationUrl(endpoints, { redirectUri, state, codeVerifier }) {
      return salesforceOAuth(endpoints.salesforce, redirectUri, codeVerifier).getAuthorizationUrl({ scope: SALESFORCE_SCOPES.join(' '), state });
    },
    async exchangeCode(endpoints, { code, redirectUri, codeVerifier }) {
      const res = (await salesforceOAuth(endpoints.salesforce, redirectUri, codeVerifier).requestToken(code)) as unknown as SalesforceTokenResponse;
      return grant(res);
    },
    async refresh(endpoints, refreshToken) {
      // The redirect URI plays no part in a refresh.
      const res = (await salesforceOAuth(endpoints.salesforce, 'urn:refresh').refreshToken(refreshToken)) as unknown as SalesforceTokenResponse;
      return grant(res);
    },
    async verify(_endpoints, access) {
      const conn = salesforceConnection(access, { version: apiVersion });
      const limits = (await conn.limits()) as { DailyApiRequests?: { Max: number; Remaining: number } };
      const daily = limits.DailyApiRequests;
      return { apiUsage: daily ? { used: daily.Max - daily.Remaining, limit: daily.Max } : null };
    },
    async listFields(_endpoints, access, recordType) {
      const describe = await salesforceConnection(access, { version: apiVersion }).describe(salesforceObjectOf[recordType]);
      return salesforceFields(describe as never);
    },
    parseError: parseSalesforceError,
    puller: salesforcePuller(apiVersion),
  };
}
