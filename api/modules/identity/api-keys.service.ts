// API keys: shown once, stored as a SHA-256 hash (keys are 256-bit random, so a fast hash is enough).
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { AppError, notFound } from '../../../core/errors.ts';
import { apiKeys } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { recordAudit } from '../records/audit.ts';
import { iso, isoOrNull } from '../records/records.ts';

export const API_KEY_PREFIX = 'crm_';
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

const presentApiKey = (k: typeof apiKeys.$inferSelect) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: iso(k.createdAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
  revokedAt: isoOrNull(k.revokedAt),
});

/** Keys belong to a person: the system acting alone has none. */
function personOf(s: Scope): string {
  if (!s.actor.userId) throw new AppError('FORBIDDEN', 'API keys belong to a person');
  return s.actor.userId;
}

/** A key for the caller, or (the admin command) for `forUserId`, a member of the organization. */
export async function createApiKey(s: Scope, name: string, forUserId: string = personOf(s)) {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const [row] = await s.db
    .insert(apiKeys)
    .values({ orgId: s.orgId, userId: forUserId, name, keyHash: hashApiKey(key), prefix: key.slice(0, 10), createdAt: s.now() })
    .returning();
  const presented = presentApiKey(row!);
  await recordAudit(s, 'create', 'api_key', row!.id, { name: { old: null, new: name } });
  await s.emit({ type: 'api_key.created', recordId: row!.id, changes: { name: { old: null, new: name } }, data: { apiKey: { ...presented, userId: forUserId } } });
  return { ...presented, key };
}

export async function listApiKeys(s: Scope) {
  const rows = await s.db.select().from(apiKeys).where(eq(apiKeys.userId, personOf(s))).orderBy(asc(apiKeys.createdAt));
  return rows.map(presentApiKey);
}

export async function revokeApiKey(s: Scope, id: string) {
  const userId = personOf(s);
  const [row] = await s.db.select().from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId)));
  if (!row) throw notFound('API key');
  if (row.revokedAt) return;
  const [revoked] = await s.db.update(apiKeys).set({ revokedAt: s.now() }).where(eq(apiKeys.id, id)).returning();
  await recordAudit(s, 'delete', 'api_key', id, { revokedAt: { old: null, new: iso(s.now()) } });
  await s.emit({ type: 'api_key.revoked', recordId: id, data: { apiKey: { ...presentApiKey(revoked!), userId }, reason: 'revoked' } });
}
