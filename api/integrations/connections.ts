// CRM connection rows: stored with their tokens sealed, presented without them. Scope-based, so
// requests, jobs and consumers all reach them through their organization's unit of work.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { notFound } from '../../core/errors.ts';
import type { CrmConnection } from '../../core/schemas/crm.ts';
import { crmConnections } from '../../db/schema/index.ts';
import type { Scope } from '../platform/tenancy/scope.ts';
import type { CrmDeps } from './crm-deps.ts';
import type { ApiUsage, CrmAccess, CrmProviderId, TokenGrant } from './provider.ts';

export type ConnectionRow = typeof crmConnections.$inferSelect;

export function presentConnection(row: ConnectionRow): CrmConnection {
  return {
    id: row.id,
    provider: row.provider,
    status: row.status,
    authKind: row.authKind,
    sandbox: row.sandbox,
    instanceUrl: row.instanceUrl,
    externalAccountId: row.externalAccountId,
    scopes: row.scopes,
    statusReason: row.statusReason,
    lastError: row.lastError ?? null,
    apiUsage: row.apiUsage ?? null,
    canRefresh: row.refreshToken !== null,
    accessTokenExpiresAt: row.accessTokenExpiresAt?.toISOString() ?? null,
    connectedAt: row.connectedAt?.toISOString() ?? null,
    connectedBy: row.connectedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findConnection(s: Scope, id: string, options: { forUpdate?: boolean } = {}): Promise<ConnectionRow> {
  const query = s.db.select().from(crmConnections).where(eq(crmConnections.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('CRM connection');
  return row;
}

// Each sealed token is bound to its connection and column: a value copied elsewhere does not open.
const accessContext = (id: string) => `${id}/access`;
const refreshContext = (id: string) => `${id}/refresh`;

/** The connection's tokens in clear, for the call about to be made. */
export function openTokens(deps: CrmDeps, row: ConnectionRow): { access: CrmAccess | null; refreshToken: string | null } {
  return {
    access: row.accessToken ? { accessToken: deps.vault.open(row.accessToken, accessContext(row.id)), instanceUrl: row.instanceUrl } : null,
    refreshToken: row.refreshToken ? deps.vault.open(row.refreshToken, refreshContext(row.id)) : null,
  };
}

const usageOf = (usage: ApiUsage | null, at: Date) => (usage ? { ...usage, at: at.toISOString() } : null);

/**
 * Stores a new grant for the organization's connection to `provider`: a first connection, or a
 * reconnection of one that needed it (same row: its links, runs and conflicts stay).
 */
export async function saveGrant(
  s: Scope,
  deps: CrmDeps,
  input: { provider: CrmProviderId; sandbox: boolean; authKind: 'oauth' | 'direct_token'; grant: TokenGrant; apiUsage: ApiUsage | null },
): Promise<ConnectionRow> {
  const [existing] = await s.db.select().from(crmConnections).where(eq(crmConnections.provider, input.provider)).for('update');
  const id = existing?.id ?? randomUUID();
  const { grant } = input;
  const values = {
    status: 'active' as const,
    authKind: input.authKind,
    sandbox: input.sandbox,
    instanceUrl: grant.instanceUrl,
    externalAccountId: grant.externalAccountId,
    scopes: grant.scopes,
    accessToken: deps.vault.seal(grant.accessToken, accessContext(id)),
    refreshToken: grant.refreshToken ? deps.vault.seal(grant.refreshToken, refreshContext(id)) : null,
    accessTokenExpiresAt: grant.expiresAt,
    tokensRefreshedAt: null,
    statusReason: null,
    lastError: null,
    apiUsage: usageOf(input.apiUsage, s.now()),
    connectedBy: s.actor.userId,
    connectedAt: s.now(),
    updatedAt: s.now(),
  };
  const [row] = existing
    ? await s.db.update(crmConnections).set(values).where(eq(crmConnections.id, id)).returning()
    : await s.db.insert(crmConnections).values({ id, orgId: s.orgId, provider: input.provider, createdAt: s.now(), ...values }).returning();
  await s.emit({ type: 'crm_connection.connected', recordId: id, data: { provider: input.provider, sandbox: input.sandbox, authKind: input.authKind, reconnected: Boolean(existing) } });
  return row!;
}

/** Tokens after a refresh; a refresh token the CRM did not rotate stays as it was. */
export async function storeRefreshedGrant(s: Scope, deps: CrmDeps, row: ConnectionRow, grant: TokenGrant): Promise<ConnectionRow> {
  const [updated] = await s.db
    .update(crmConnections)
    .set({
      accessToken: deps.vault.seal(grant.accessToken, accessContext(row.id)),
      ...(grant.refreshToken ? { refreshToken: deps.vault.seal(grant.refreshToken, refreshContext(row.id)) } : {}),
      ...(grant.instanceUrl ? { instanceUrl: grant.instanceUrl } : {}),
      accessTokenExpiresAt: grant.expiresAt,
      tokensRefreshedAt: s.now(),
      updatedAt: s.now(),
    })
    .where(eq(crmConnections.id, row.id))
    .returning();
  return updated!;
}

/** The CRM no longer accepts the grant: pause the connection and tell the admins (a consumer does). Once. */
export async function markNeedsReconnecting(s: Scope, row: ConnectionRow, reason: string, error: { code: string; message: string }) {
  if (row.status !== 'active') return;
  await s.db
    .update(crmConnections)
    .set({ status: 'needs_reconnecting', statusReason: reason, lastError: { ...error, at: s.now().toISOString() }, updatedAt: s.now() })
    .where(eq(crmConnections.id, row.id));
  await s.emit({ type: 'crm_connection.needs_reconnecting', recordId: row.id, data: { provider: row.provider, reason } });
}

export async function recordApiUsage(s: Scope, id: string, usage: ApiUsage | null) {
  if (!usage) return;
  await s.db.update(crmConnections).set({ apiUsage: usageOf(usage, s.now()), lastError: null, updatedAt: s.now() }).where(eq(crmConnections.id, id));
}

/** Disconnect: the tokens are removed; the row, its links, runs and conflicts stay for the record. */
export async function disconnect(s: Scope, row: ConnectionRow): Promise<ConnectionRow> {
  const [updated] = await s.db
    .update(crmConnections)
    .set({ status: 'disconnected', accessToken: null, refreshToken: null, accessTokenExpiresAt: null, statusReason: 'Disconnected by an admin', updatedAt: s.now() })
    .where(eq(crmConnections.id, row.id))
    .returning();
  if (row.status !== 'disconnected') await s.emit({ type: 'crm_connection.disconnected', recordId: row.id, data: { provider: row.provider } });
  return updated!;
}
