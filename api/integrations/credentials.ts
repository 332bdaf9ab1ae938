// Calls to a CRM with a connection's tokens. An access token that expired (or is about to, when
// the CRM says when) is refreshed once, and only once at a time per connection: within a process
// callers share the refresh in flight; across processes a row lock on the connection makes the
// second one find the token the first stored. A grant the CRM revoked marks the connection
// "needs reconnecting" and stops there: no call is made for it again until an admin reconnects.
import { AppError } from '../../core/errors.ts';
import { systemActor } from '../../core/roles.ts';
import { CrmSyncError } from '../../core/sync/errors.ts';
import type { Db } from '../../db/client.ts';
import { inTenant, type Clock } from '../platform/tenancy/scope.ts';
import { findConnection, markNeedsReconnecting, openTokens, storeRefreshedGrant, type ConnectionRow } from './connections.ts';
import { endpointsFor, type CrmDeps } from './crm-deps.ts';
import type { CrmAccess, CrmProvider } from './provider.ts';
import type { CrmEndpoints } from './crm-config.ts';

export interface CrmCallContext {
  db: Db;
  clock: Clock;
  crm: CrmDeps;
}

/** Refresh this long before a stated expiry, so a call never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

export interface ConnectionCall {
  connection: ConnectionRow;
  provider: CrmProvider;
  endpoints: CrmEndpoints;
  access: CrmAccess;
}

/** Runs `call` with the connection's access; a token refused as expired is refreshed and the call made once more. */
export async function withCrmAccess<T>(ctx: CrmCallContext, orgId: string, connectionId: string, call: (c: ConnectionCall) => Promise<T>): Promise<T> {
  const system = systemActor(orgId);
  const row = await inTenant(ctx.db, ctx.clock, system, (s) => findConnection(s, connectionId));
  if (row.status !== 'active') throw new AppError('CONFLICT', `The ${row.provider} connection is ${row.status.replace('_', ' ')}: ${row.statusReason ?? 'connect it again'}`);
  const provider = ctx.crm.providers[row.provider];
  const endpoints = endpointsFor(ctx.crm, row.sandbox);
  if (!endpoints) throw new AppError('CONFLICT', 'This is a sandbox connection, and sandboxes are not offered on this server');
  let { access } = openTokens(ctx.crm, row);
  if (!access) throw new AppError('CONFLICT', 'The connection has no token: connect it again');
  if (row.accessTokenExpiresAt && row.accessTokenExpiresAt.getTime() - ctx.clock().getTime() < EXPIRY_MARGIN_MS) {
    access = await refreshAccess(ctx, orgId, connectionId, access.accessToken);
  }
  try {
    return await call({ connection: row, provider, endpoints, access });
  } catch (error) {
    const parsed = provider.parseError(error);
    if (parsed.code !== 'auth_revoked') throw new CrmSyncError(parsed);
    // Expired or revoked look alike (a 401): one refresh tells them apart. Without a refresh
    // token, or when the CRM refuses the refresh, the connection is marked and nothing retries.
    const fresh = await refreshAccess(ctx, orgId, connectionId, access.accessToken);
    try {
      return await call({ connection: row, provider, endpoints, access: fresh });
    } catch (again) {
      const second = provider.parseError(again);
      // Refused with a token just issued: the grant is gone, not merely expired. Stop here.
      if (second.code === 'auth_revoked') {
        await inTenant(ctx.db, ctx.clock, system, async (s) => markNeedsReconnecting(s, await findConnection(s, connectionId), revokedReason(row.provider), second));
      }
      throw new CrmSyncError(second);
    }
  }
}

const revokedReason = (provider: string) => `${provider === 'salesforce' ? 'Salesforce' : 'HubSpot'} no longer accepts this connection (access revoked or expired): connect it again`;

/** One refresh at a time per connection; `stale` is the token the caller saw refused or expiring. */
export function refreshAccess(ctx: CrmCallContext, orgId: string, connectionId: string, stale: string): Promise<CrmAccess> {
  const running = ctx.crm.refreshing.get(connectionId);
  if (running) return running;
  const refresh = refreshUnderLock(ctx, orgId, connectionId, stale).finally(() => ctx.crm.refreshing.delete(connectionId));
  ctx.crm.refreshing.set(connectionId, refresh);
  return refresh;
}

async function refreshUnderLock(ctx: CrmCallContext, orgId: string, connectionId: string, stale: string): Promise<CrmAccess> {
  // The lock is held across the token call on purpose: a second process waits for it, then sees
  // the new token instead of spending the refresh token a second time.
  type Outcome = { kind: 'ok'; access: CrmAccess } | { kind: 'revoked'; message: string };
  const outcome = await inTenant(ctx.db, ctx.clock, systemActor(orgId), async (s): Promise<Outcome> => {
    const row = await findConnection(s, connectionId, { forUpdate: true });
    if (row.status !== 'active') return { kind: 'revoked', message: row.statusReason ?? `The connection is ${row.status}` };
    const tokens = openTokens(ctx.crm, row);
    if (tokens.access && tokens.access.accessToken !== stale) return { kind: 'ok', access: tokens.access };
    const provider = ctx.crm.providers[row.provider];
    const endpoints = endpointsFor(ctx.crm, row.sandbox);
    if (!tokens.refreshToken || !endpoints) {
      const error = { code: 'auth_revoked', message: 'The CRM refused the token, and there is no refresh token to renew it' };
      await markNeedsReconnecting(s, row, revokedReason(row.provider), error);
      return { kind: 'revoked', message: error.message };
    }
    try {
      const grant = await provider.refresh(endpoints, tokens.refreshToken, s.now());
      const updated = await storeRefreshedGrant(s, ctx.crm, row, grant);
      return { kind: 'ok', access: openTokens(ctx.crm, updated).access! };
    } catch (error) {
      const parsed = provider.parseError(error);
      if (parsed.code !== 'auth_revoked') throw new CrmSyncError(parsed);
      await markNeedsReconnecting(s, row, revokedReason(row.provider), parsed);
      return { kind: 'revoked', message: parsed.message };
    }
  });
  if (outcome.kind === 'revoked') throw new CrmSyncError({ code: 'auth_revoked', message: outcome.message });
  return outcome.access;
}
