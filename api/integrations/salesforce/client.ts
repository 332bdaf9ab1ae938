// jsforce set up the one way the sync uses it: a fixed API version and no refresh of its own.
// jsforce's refresh knows only its process and never stores a rotated token, so a refused token
// comes back to credentials.ts, which refreshes once per connection across processes.
import jsforce from 'jsforce';
import type { SalesforceEndpoints } from '../crm-config.ts';
import type { CrmAccess } from '../provider.ts';

export const SALESFORCE_SCOPES = ['api', 'refresh_token'];

export function salesforceOAuth(endpoints: SalesforceEndpoints, redirectUri: string, codeVerifier?: string) {
  if (!endpoints.app) throw new Error('No Salesforce connected app is configured (SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET)');
  const oauth2 = new jsforce.OAuth2({ loginUrl: endpoints.loginUrl, clientId: endpoints.app.clientId, clientSecret: endpoints.app.clientSecret, redirectUri, useVerifier: Boolean(codeVerifier) });
  // Ours, stored with the state, not the random one jsforce made: the callback may reach another process.
  if (codeVerifier) oauth2.codeVerifier = codeVerifier;
  return oauth2;
}

export function salesforceConnection(access: CrmAccess, options: { version: string }) {
  if (!access.instanceUrl) throw new Error('A Salesforce connection needs its instance URL');
  return new jsforce.Connection({ instanceUrl: access.instanceUrl, accessToken: access.accessToken, version: options.version });
}
