// HubSpot behind the CrmProvider interface: OAuth 2 authorization code (tokens expire, refreshed
// ahead of expiry) or a private app token, and a cheap call that proves a token works and reads
// the account's rate-limit headers.
import type { CrmProvider, TokenGrant } from '../provider.ts';
import { hubSpotClient, HUBSPOT_SCOPES } from './client.ts';
import { parseHubSpotError } from './errors.ts';
import { hubSpotFields, hubSpotObjectOf } from './mappers.ts';
import { hubSpotPuller } from './pull.ts';

function grant(res: { accessToken: string; refreshToken?: string; expiresIn?: number }, now: Date): TokenGrant {
  return {
    accessToken: res.accessToken,
    refreshToken: res.refreshToken ?? null,
    expiresAt: res.expiresIn ? new Date(now.getTime() + res.expiresIn * 1000) : null,
    instanceUrl: null,
    externalAccountId: null,
    scopes: HUBSPOT_SCOPES,
  };
}

export function hubSpotProvider(): CrmProvider {
  return {
    id: 'hubspot',
    label: 'HubSpot',
    usesPkce: false,
    directTokenNeedsInstanceUrl: false,
    authorizationUrl(endpoints, { redirectUri, state }) {
      const { authorizeUrl, app } = endpoints.hubspot;
      if (!app) throw new Error('No HubSpot app is configured (HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET)');
      const query = new URLSearchParams({ client_id: app.clientId, redirect_uri: redirectUri, scope: HUBSPOT_SCOPES.join(' '), state });
      return `${authorizeUrl}?${query}`;
    },
    async exchangeCode(endpoints, { code, redirectUri }, now) {
      const { app } = endpoints.hubspot;
      if (!app) throw new Error('No HubSpot app is configured');
      const client = hubSpotClient(endpoints.hubspot);
      const tokens = grant(await client.oauth.tokensApi.create('authorization_code', code, redirectUri, app.clientId, app.clientSecret), now);
      // The token's own description says which HubSpot account (portal) granted it.
      const info = await client.oauth.accessTokensApi.get(tokens.accessToken);
      return { ...tokens, externalAccountId: String(info.hubId) };
    },
    async refresh(endpoints, refreshToken, now) {
      const { app } = endpoints.hubspot;
      if (!app) throw new Error('No HubSpot app is configured');
      return grant(await hubSpotClient(endpoints.hubspot).oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, refreshToken), now);
    },
    async verify(endpoints, access) {
      const res = await hubSpotClient(endpoints.hubspot, access.accessToken).crm.objects.basicApi.getPageWithHttpInfo('contacts', 1);
      const headers = res.headers as Record<string, string>;
      const daily = Number(headers['x-hubspot-ratelimit-daily']);
      const left = Number(headers['x-hubspot-ratelimit-daily-remaining']);
      return { apiUsage: Number.isFinite(daily) && Number.isFinite(left) && daily > 0 ? { used: daily - left, limit: daily } : null };
    },
    async listFields(endpoints, access, recordType) {
      const properties = await hubSpotClient(endpoints.hubspot, access.accessToken).crm.properties.coreApi.getAll(hubSpotObjectOf[recordType]);
      return hubSpotFields(properties.results as never);
    },
    parseError: parseHubSpotError,
    puller: hubSpotPuller,
  };
}
