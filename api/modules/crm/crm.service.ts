// Connecting a CRM, as an admin: with a token pasted from the CRM (HubSpot private app; Salesforce
// instance URL + access token) or through OAuth (state stored hashed and checked once; PKCE S256
// for Salesforce). Calls to the CRM are made outside any transaction: a slow CRM holds no
// database connection, and a failure writes nothing.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, lt } from 'drizzle-orm';
import { AppError, forbidden } from '../../../core/errors.ts';
import { isAdmin, type Actor } from '../../../core/roles.ts';
import type { CrmDirectConnect } from '../../../core/schemas/crm.ts';
import { CrmSyncError, type SyncError } from '../../../core/sync/errors.ts';
import { crmConnections, crmOauthStates } from '../../../db/schema/index.ts';
import { findConnection, presentConnection, recordApiUsage, saveGrant, disconnect } from '../../integrations/connections.ts';
import { acceptableInstanceUrl, endpointsFor, type CrmDeps } from '../../integrations/crm-deps.ts';
import type { CrmEndpoints } from '../../integrations/crm-config.ts';
import type { CrmProvider, CrmProviderId, TokenGrant } from '../../integrations/provider.ts';
import { crmProviderIds } from '../../integrations/provider.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

const STATE_TTL_MS = 10 * 60_000;

export function requireAdmin(actor: Actor) {
  if (!isAdmin(actor)) throw forbidden('Only admins can manage CRM connections');
}

export function crmDepsOf(deps: { crm?: CrmDeps }): CrmDeps {
  if (!deps.crm) throw new AppError('UNAVAILABLE', 'CRM connections are not set up on this server');
  return deps.crm;
}

function endpointsOrRefuse(crm: CrmDeps, sandbox: boolean): CrmEndpoints {
  const endpoints = endpointsFor(crm, sandbox);
  if (!endpoints) throw new AppError('VALIDATION_FAILED', 'Sandbox connections are not offered on this server', [{ path: 'sandbox', message: 'not offered here' }]);
  return endpoints;
}

/** A CRM's refusal or failure, as the admin should read it. */
export function crmFailure(provider: CrmProvider, error: SyncError, doing: string): AppError {
  const details = { crmCode: error.code, providerCode: error.providerCode ?? null };
  if (error.code === 'temporarily_unavailable' || error.code === 'rate_limited') return new AppError('UNAVAILABLE', `${provider.label} did not answer while ${doing}; try again in a moment (${error.message})`, details);
  if (error.code === 'auth_revoked') return new AppError('VALIDATION_FAILED', `${provider.label} refused the credentials while ${doing}: ${error.message}`, details);
  return new AppError('CONFLICT', `${provider.label} refused ${doing}: ${error.message}`, details);
}

const parsed = (provider: CrmProvider, error: unknown) => (error instanceof CrmSyncError ? error : provider.parseError(error));

export async function listConnections(s: Scope) {
  requireAdmin(s.actor);
  const rows = await s.db.select().from(crmConnections).orderBy(crmConnections.provider);
  return { data: rows.map(presentConnection) };
}

export async function getConnection(s: Scope, id: string) {
  const row = await findConnection(s, id);
  requireAdmin(s.actor);
  return row;
}

export function connectOptions(actor: Actor, crm: CrmDeps) {
  requireAdmin(actor);
  return {
    data: crmProviderIds.map((id) => {
      const provider = crm.providers[id];
      return {
        provider: id,
        label: provider.label,
        oauth: Boolean(crm.config.live[id].app),
        directToken: true,
        directTokenNeedsInstanceUrl: provider.directTokenNeedsInstanceUrl,
        sandbox: crm.config.sandbox !== null,
      };
    }),
  };
}

/** Checks a pasted token with the CRM (one cheap call) before storing it. */
export async function verifyDirectToken(actor: Actor, crm: CrmDeps, input: CrmDirectConnect) {
  requireAdmin(actor);
  const provider = crm.providers[input.provider];
  const endpoints = endpointsOrRefuse(crm, input.sandbox);
  const instanceUrl = input.provider === 'salesforce' ? input.instanceUrl.replace(/\/+$/, '') : null;
  if (instanceUrl !== null && !acceptableInstanceUrl(crm, input.provider, instanceUrl, input.sandbox)) {
    throw new AppError('VALIDATION_FAILED', 'instanceUrl: not a Salesforce address (https://<domain>.my.salesforce.com)', [{ path: 'instanceUrl', message: 'not a Salesforce address' }]);
  }
  const grant: TokenGrant = { accessToken: input.accessToken, refreshToken: null, expiresAt: null, instanceUrl, externalAccountId: null, scopes: [] };
  try {
    const { apiUsage } = await provider.verify(endpoints, { accessToken: grant.accessToken, instanceUrl });
    return { grant, apiUsage };
  } catch (error) {
    throw crmFailure(provider, parsed(provider, error), 'checking the token');
  }
}

export const saveDirectToken = (s: Scope, crm: CrmDeps, input: CrmDirectConnect, verified: Awaited<ReturnType<typeof verifyDirectToken>>) =>
  saveGrant(s, crm, { provider: input.provider, sandbox: input.sandbox, authKind: 'direct_token', grant: verified.grant, apiUsage: verified.apiUsage });

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');
const verifierContext = (stateHash: string) => `oauth-state/${stateHash}`;

export const oauthRedirectUri = (publicUrl: string) => `${publicUrl}/api/v1/crm/oauth/callback`;

/** Starts an authorization: a single-use state (and a PKCE verifier) kept for ten minutes. */
export async function startOAuth(s: Scope, crm: CrmDeps, publicUrl: string, input: { provider: CrmProviderId; sandbox: boolean }) {
  requireAdmin(s.actor);
  const provider = crm.providers[input.provider];
  const endpoints = endpointsOrRefuse(crm, input.sandbox);
  if (!endpoints[input.provider].app) throw new AppError('VALIDATION_FAILED', `No ${provider.label} app is configured on this server: connect with a token instead`, [{ path: 'provider', message: 'no OAuth app configured' }]);
  const state = randomBytes(32).toString('base64url');
  const stateHash = hashState(state);
  const codeVerifier = provider.usesPkce ? randomBytes(64).toString('base64url') : undefined;
  const redirectUri = oauthRedirectUri(publicUrl);
  const expiresAt = new Date(s.now().getTime() + STATE_TTL_MS);
  // Expired states are worth nothing: each start clears them, so the table stays small.
  await s.db.delete(crmOauthStates).where(lt(crmOauthStates.expiresAt, s.now()));
  await s.db.insert(crmOauthStates).values({
    orgId: s.orgId,
    provider: input.provider,
    sandbox: input.sandbox,
    stateHash,
    codeVerifier: codeVerifier ? crm.vault.seal(codeVerifier, verifierContext(stateHash)) : null,
    redirectUri,
    createdBy: s.actor.userId!,
    expiresAt,
    createdAt: s.now(),
  });
  return { authorizationUrl: provider.authorizationUrl(endpoints, { redirectUri, state, codeVerifier }), expiresAt: expiresAt.toISOString() };
}

/**
 * Takes the state back, once: it must be this organization's, started by this admin, unused and
 * fresh. Spent even when the CRM reports a refusal, so it can never be replayed.
 */
export async function consumeOAuthState(s: Scope, crm: CrmDeps, state: string) {
  requireAdmin(s.actor);
  const stateHash = hashState(state);
  const [row] = await s.db
    .update(crmOauthStates)
    .set({ usedAt: s.now() })
    .where(and(eq(crmOauthStates.stateHash, stateHash), eq(crmOauthStates.createdBy, s.actor.userId!), isNull(crmOauthStates.usedAt)))
    .returning();
  if (!row || row.expiresAt.getTime() < s.now().getTime()) {
    throw new AppError('VALIDATION_FAILED', 'This authorization is unknown, already used or expired: start connecting again', [{ path: 'state', message: 'unknown, used or expired' }]);
  }
  return {
    provider: row.provider,
    sandbox: row.sandbox,
    redirectUri: row.redirectUri,
    codeVerifier: row.codeVerifier ? crm.vault.open(row.codeVerifier, verifierContext(stateHash)) : undefined,
  };
}

/** The CRM's answer to the consent page, turned into tokens (outside any transaction). */
export async function exchangeOAuthCode(crm: CrmDeps, taken: Awaited<ReturnType<typeof consumeOAuthState>>, query: { code?: string; error?: string; error_description?: string }, now: Date) {
  const provider = crm.providers[taken.provider];
  if (query.error || !query.code) {
    throw new AppError('VALIDATION_FAILED', `${provider.label} did not grant access: ${query.error_description ?? query.error ?? 'no authorization code'}`, { crmCode: query.error ?? null });
  }
  const endpoints = endpointsOrRefuse(crm, taken.sandbox);
  try {
    const grant = await provider.exchangeCode(endpoints, { code: query.code, redirectUri: taken.redirectUri, codeVerifier: taken.codeVerifier }, now);
    const { apiUsage } = await provider.verify(endpoints, { accessToken: grant.accessToken, instanceUrl: grant.instanceUrl });
    return { grant, apiUsage };
  } catch (error) {
    throw crmFailure(provider, parsed(provider, error), 'the authorization');
  }
}

export const saveOAuthGrant = (s: Scope, crm: CrmDeps, taken: Awaited<ReturnType<typeof consumeOAuthState>>, exchanged: Awaited<ReturnType<typeof exchangeOAuthCode>>) =>
  saveGrant(s, crm, { provider: taken.provider, sandbox: taken.sandbox, authKind: 'oauth', ...exchanged });

export async function disconnectConnection(s: Scope, id: string) {
  const row = await getConnection(s, id);
  return presentConnection(await disconnect(s, row));
}

export async function storeApiUsage(s: Scope, id: string, usage: Parameters<typeof recordApiUsage>[2]) {
  await recordApiUsage(s, id, usage);
  return presentConnection(await findConnection(s, id));
}
