// Idempotency-Key on writes: the first request with a key runs and its answer is kept; a retry
// with the same key (same caller, same method, path and body) gets that answer again instead of
// being applied twice. Clients that queue changes while offline retry with the same key.
// Limits: a key is kept for 24 hours; a request still running answers 409 to a concurrent retry;
// if the server dies between applying a change and keeping its answer, a retry after a minute runs
// again (the changes this guards are creates, where that window is one statement wide).
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../../core/errors.ts';
import { idempotencyKeys } from '../../../db/schema/index.ts';
import { withTenant } from '../../../db/tenant.ts';
import type { AppEnv } from '../../env.ts';

const KEY_PATTERN = /^[\w.:-]{8,200}$/;
/** How long a key and its answer are kept (purge-idempotency-keys.job.ts removes older ones). */
export const IDEMPOTENCY_KEY_HOURS = 24;
const PENDING_TIMEOUT_SECONDS = 60;

export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (!key || c.req.method === 'GET') return next();
  if (!KEY_PATTERN.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key: 8 to 200 letters, digits or . _ : -', [{ path: 'Idempotency-Key', message: 'invalid' }]);
  const { db } = c.var.deps;
  const { orgId } = c.var.actor;
  // Requests always act as a person (the system never comes through HTTP).
  const userId = c.var.actor.userId!;
  const fingerprint = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${await c.req.text()}`).digest('hex');
  const where = and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));

  const claim = await withTenant(db, orgId, async (tx) => {
    // Forget answers past their time, and claims abandoned by a request that never finished.
    await tx.delete(idempotencyKeys).where(
      and(where, sql`(${idempotencyKeys.createdAt} < now() - make_interval(hours => ${IDEMPOTENCY_KEY_HOURS}) or (${idempotencyKeys.statusCode} is null and ${idempotencyKeys.createdAt} < now() - make_interval(secs => ${PENDING_TIMEOUT_SECONDS})))`),
    );
    const [claimed] = await tx.insert(idempotencyKeys).values({ orgId, userId, key, fingerprint }).onConflictDoNothing().returning();
    if (claimed) return { claimed: true as const };
    const [existing] = await tx.select().from(idempotencyKeys).where(where);
    return { claimed: false as const, existing };
  });

  if (!claim.claimed) {
    const existing = claim.existing;
    if (!existing) throw new AppError('CONFLICT', 'This Idempotency-Key is in use; retry shortly');
    if (existing.fingerprint !== fingerprint) throw new AppError('CONFLICT', 'This Idempotency-Key was used for a different request');
    if (existing.statusCode === null) throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still being processed; retry shortly');
    const headers: Record<string, string> = { 'Idempotent-Replayed': 'true' };
    if (existing.responseBody === null) return new Response(null, { status: existing.statusCode, headers });
    return new Response(existing.responseBody, { status: existing.statusCode, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } });
  }

  await next();
  const status = c.res.status;
  const body = status === 204 ? null : await c.res.clone().text();
  await withTenant(db, orgId, (tx) =>
    // A server failure is not an answer worth replaying: let the retry run.
    status >= 500 ? tx.delete(idempotencyKeys).where(where) : tx.update(idempotencyKeys).set({ statusCode: status, responseBody: body }).where(where),
  );
});
