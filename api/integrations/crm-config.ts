// The CRM settings, built by api/config.ts from the environment (which only it reads): the token
// keyring, each provider's endpoints and OAuth app, and, outside production, the local stand-ins
// offered as "sandbox" connections.
import { createHmac } from 'node:crypto';
import { CrmTokenKeyring } from './token-vault.ts';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

export interface SalesforceEndpoints {
  /** OAuth (authorize, token, revoke): https://login.salesforce.com, test.salesforce.com, My Domain, or a stand-in. */
  loginUrl: string;
  app: OAuthApp | null;
}

export interface HubSpotEndpoints {
  /** The API and the token endpoint: https://api.hubapi.com or a stand-in. */
  apiBaseUrl: string;
  /** The consent page: https://app.hubspot.com/oauth/authorize for the real HubSpot. */
  authorizeUrl: string;
  app: OAuthApp | null;
}

export interface CrmEndpoints {
  salesforce: SalesforceEndpoints;
  hubspot: HubSpotEndpoints;
}

export interface CrmConfig {
  /** CRM_TOKEN_KEYS; outside production a `dev` key derived from AUTH_SECRET. */
  keyring: CrmTokenKeyring;
  /** The real providers (or whatever SALESFORCE_LOGIN_URL / HUBSPOT_API_BASE_URL point at). */
  live: CrmEndpoints;
  /** Development only: the project's stand-ins (`npm run sandbox`), with their well-known apps. Null in production. */
  sandbox: CrmEndpoints | null;
  /** Share of a CRM's daily API allowance the sync leaves to the customer's other tools (0..0.9). */
  headroomShare: number;
  /** Salesforce REST API version used for every call. */
  salesforceApiVersion: string;
}

/** The stand-ins' development apps (sandbox/salesforce and sandbox/hubspot accept exactly these). */
export const sandboxApps = {
  salesforce: { clientId: 'sandbox-salesforce-client', clientSecret: 'sandbox-salesforce-secret' },
  hubspot: { clientId: 'sandbox-hubspot-client', clientSecret: 'sandbox-hubspot-secret' },
} as const;

export interface CrmEnv {
  env: 'development' | 'production' | 'test';
  authSecret: string;
  CRM_TOKEN_KEYS?: string;
  SALESFORCE_LOGIN_URL: string;
  SALESFORCE_CLIENT_ID?: string;
  SALESFORCE_CLIENT_SECRET?: string;
  HUBSPOT_API_BASE_URL: string;
  HUBSPOT_AUTHORIZE_URL?: string;
  HUBSPOT_CLIENT_ID?: string;
  HUBSPOT_CLIENT_SECRET?: string;
  CRM_SANDBOX?: 'true' | 'false';
  CRM_SANDBOX_SALESFORCE_URL: string;
  CRM_SANDBOX_HUBSPOT_URL: string;
  CRM_RATE_HEADROOM: number;
}

const invalid = (lines: string) => new Error(`Invalid configuration:\n${lines}`);
const trim = (url: string) => url.replace(/\/+$/, '');

function app(name: string, id: string | undefined, secret: string | undefined): OAuthApp | null {
  if (!id && !secret) return null;
  if (!id || !secret) throw invalid(`  ${name}_CLIENT_ID, ${name}_CLIENT_SECRET: set both, or neither`);
  return { clientId: id, clientSecret: secret };
}

export function crmConfig(e: CrmEnv): CrmConfig {
  const sandboxOn = e.CRM_SANDBOX ? e.CRM_SANDBOX === 'true' : e.env !== 'production';
  if (sandboxOn && e.env === 'production') throw invalid('  CRM_SANDBOX: the sandbox connections are never offered in production');
  const hubspotBase = trim(e.HUBSPOT_API_BASE_URL);
  return {
    keyring: keyring(e),
    live: {
      salesforce: { loginUrl: trim(e.SALESFORCE_LOGIN_URL), app: app('SALESFORCE', e.SALESFORCE_CLIENT_ID, e.SALESFORCE_CLIENT_SECRET) },
      hubspot: {
        apiBaseUrl: hubspotBase,
        // The real consent page lives on app.hubspot.com; a stand-in serves its own.
        authorizeUrl: e.HUBSPOT_AUTHORIZE_URL ?? (hubspotBase === 'https://api.hubapi.com' ? 'https://app.hubspot.com/oauth/authorize' : `${hubspotBase}/oauth/authorize`),
        app: app('HUBSPOT', e.HUBSPOT_CLIENT_ID, e.HUBSPOT_CLIENT_SECRET),
      },
    },
    sandbox: sandboxOn ? sandboxEndpoints(e.CRM_SANDBOX_SALESFORCE_URL, e.CRM_SANDBOX_HUBSPOT_URL) : null,
    headroomShare: e.CRM_RATE_HEADROOM,
    salesforceApiVersion: '62.0',
  };
}

export function sandboxEndpoints(salesforceUrl: string, hubspotUrl: string): CrmEndpoints {
  return {
    salesforce: { loginUrl: trim(salesforceUrl), app: { ...sandboxApps.salesforce } },
    hubspot: { apiBaseUrl: trim(hubspotUrl), authorizeUrl: `${trim(hubspotUrl)}/oauth/authorize`, app: { ...sandboxApps.hubspot } },
  };
}

function keyring(e: CrmEnv): CrmTokenKeyring {
  if (e.CRM_TOKEN_KEYS === undefined) {
    if (e.env === 'production') throw invalid('  CRM_TOKEN_KEYS: required in production, e.g. {"currentKeyId":"k1","keys":{"k1":"<32+ random characters>"}}');
    // Derived, not random: tokens stored by an earlier run still open after a restart.
    return { currentKeyId: 'dev', keys: { dev: createHmac('sha256', e.authSecret).update('inbox-crm/crm-token-keys/dev').digest('base64url') } };
  }
  let json: unknown;
  try {
    json = JSON.parse(e.CRM_TOKEN_KEYS);
  } catch {
    throw invalid('  CRM_TOKEN_KEYS: not valid JSON');
  }
  const parsed = CrmTokenKeyring.safeParse(json);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `  CRM_TOKEN_KEYS.${i.path.join('.')}: ${i.message}`).join('\n'));
  return parsed.data;
}
