// Endpoints (customers' webhook URLs and Slack incoming webhooks), their secrets and their delivery
// log, for admins. One table holds both kinds; every function names the kind it serves, so a Slack
// connection is never reachable through /webhooks and the other way round.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { AppError, forbidden, notFound } from '../../../core/errors.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { NotificationKind } from '../../../core/notify/preferences.ts';
import { refuseUrl, type DestinationPolicy } from '../../../core/webhooks/address.ts';
import { testPayload, type WebhookEventType } from '../../../core/webhooks/events.ts';
import type { Delivery, SlackConnection, WebhookEndpoint } from '../../../core/webhooks/schemas.ts';
import type { SlackEvent } from '../../../core/webhooks/slack.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import type { EndpointSecrets } from './endpoint-secrets.ts';

export type EndpointKind = 'webhook' | 'slack';
/** Where an endpoint may point, and the sealing of its credentials at rest. */
export interface EndpointRules {
  policy: DestinationPolicy;
  secrets: EndpointSecrets;
}
type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const label = (kind: EndpointKind) => (kind === 'webhook' ? 'Webhook endpoint' : 'Slack connection');

/** Standard Webhooks secret: whsec_ and 32 random bytes in base64. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

function requireAdmin(s: Scope, kind: EndpointKind) {
  if (!isAdmin(s.actor)) throw forbidden(`Only admins can manage ${kind === 'webhook' ? 'webhooks' : 'Slack connections'}`);
}

function checkUrl(url: string, kind: EndpointKind, policy: DestinationPolicy) {
  const refused = refuseUrl(url, policy);
  if (refused) throw new AppError('VALIDATION_FAILED', `url: ${refused}`, [{ path: 'url', message: refused }]);
  if (kind === 'slack' && policy.httpsOnly && new URL(url).hostname !== 'hooks.slack.com') {
    throw new AppError('VALIDATION_FAILED', 'url: a Slack incoming webhook URL starts with https://hooks.slack.com/', [{ path: 'url', message: 'not a Slack incoming webhook URL' }]);
  }
}

const status = (row: EndpointRow) => (!row.enabled ? 'disabled' : row.failingSince ? 'failing' : 'active');
const iso = (d: Date | null) => d?.toISOString() ?? null;

function health(row: EndpointRow) {
  return {
    enabled: row.enabled,
    status: status(row),
    disabledReason: row.disabledReason,
    failingSince: iso(row.failingSince),
    lastError: row.lastError,
    lastStatusCode: row.lastStatusCode,
    lastSuccessAt: iso(row.lastSuccessAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  } as const;
}

export const presentWebhook = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  name: row.name,
  url: row.url,
  eventTypes: row.eventTypes as WebhookEventType[],
  ...health(row),
  previousSecretExpiresAt: iso(row.previousSecretExpiresAt),
});

/** The incoming-webhook URL is itself the credential (sealed at rest): show where it goes, hide the token. */
export const maskSlackUrl = (url: string) => url.replace(/(\/services\/[^/]+\/[^/]+\/).+$/, '$1••••••••').replace(/^(https?:\/\/[^/]+\/)(?!services\/).{8,}$/, '$1••••••••');

/** A Slack connection's `event_types` hold notification kinds (the dispatcher's catalogue). */
export const presentSlack = (row: EndpointRow, secrets: EndpointSecrets): SlackConnection => ({ id: row.id, channel: row.name, url: maskSlackUrl(secrets.open(row.id, 'url', row.url)), kinds: row.eventTypes as NotificationKind[], ...health(row) });

export async function listEndpoints(s: Scope, kind: EndpointKind) {
  requireAdmin(s, kind);
  return s.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.kind, kind)).orderBy(webhookEndpoints.createdAt);
}

/** Another organization's endpoint, or one of the other kind, is as absent as a missing one. */
export async function findEndpoint(s: Scope, kind: EndpointKind, id: string): Promise<EndpointRow> {
  const [row] = await s.db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.kind, kind), eq(webhookEndpoints.id, id)));
  if (!row) throw notFound(label(kind));
  requireAdmin(s, kind);
  return row;
}

/** Slack's URL is its credential and is sealed; a customer's webhook URL is not (its signature is). */
const storedUrl = (kind: EndpointKind, id: string, url: string, secrets: EndpointSecrets) => (kind === 'slack' ? secrets.seal(id, 'url', url) : url);

/** The new endpoint, and its signing secret in clear (webhooks): the only time the API shows it, with a rotation's. */
export async function createEndpoint(s: Scope, kind: EndpointKind, input: { name: string; url: string; eventTypes: readonly string[] }, rules: EndpointRules) {
  requireAdmin(s, kind);
  checkUrl(input.url, kind, rules.policy);
  // The id is chosen here: sealed values are bound to their row.
  const id = randomUUID();
  const secret = kind === 'webhook' ? newSecret() : null;
  const [row] = await s.db
    .insert(webhookEndpoints)
    .values({
      id, orgId: s.orgId, kind, name: input.name, url: storedUrl(kind, id, input.url, rules.secrets), eventTypes: [...input.eventTypes],
      secret: secret === null ? null : rules.secrets.seal(id, 'secret', secret), createdAt: s.now(), updatedAt: s.now(),
    })
    .returning();
  return { row: row!, secret };
}

export async function updateEndpoint(s: Scope, kind: EndpointKind, id: string, patch: { name?: string; url?: string; eventTypes?: readonly string[]; enabled?: boolean }, rules: EndpointRules) {
  const current = await findEndpoint(s, kind, id);
  if (patch.url !== undefined) checkUrl(patch.url, kind, rules.policy);
  const reenabled = patch.enabled === true && !current.enabled;
  const [row] = await s.db
    .update(webhookEndpoints)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.url !== undefined ? { url: storedUrl(kind, id, patch.url, rules.secrets) } : {}),
      ...(patch.eventTypes !== undefined ? { eventTypes: [...patch.eventTypes] } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled, disabledReason: patch.enabled ? null : 'Paused by an admin' } : {}),
      // A new URL or a re-enable starts with a clean slate; the health shows the next attempt's result.
      ...(reenabled || patch.url !== undefined ? { failingSince: null, lastError: null, lastStatusCode: null } : {}),
      updatedAt: s.now(),
    })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  if (reenabled) {
    // Deliveries held while it was disabled go now, and get a fresh retry window.
    await s.db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: s.now(), firstAttemptAt: null })
      .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, 'pending')));
  }
  return row!;
}

export async function deleteEndpoint(s: Scope, kind: EndpointKind, id: string) {
  await findEndpoint(s, kind, id);
  await s.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
}

/**
 * A new secret signs from now on; the old one signs too until the overlap ends, so receivers can
 * switch without missing a delivery. Answers the new secret in clear: the one time it is shown.
 */
export async function rotateSecret(s: Scope, id: string, overlapHours: number, secrets: EndpointSecrets) {
  const current = await findEndpoint(s, 'webhook', id);
  const until = new Date(s.now().getTime() + overlapHours * 3600_000);
  const secret = newSecret();
  // The old secret moves column: sealed again for the column it is bound to.
  const previous = overlapHours > 0 && current.secret ? secrets.seal(id, 'previous_secret', secrets.open(id, 'secret', current.secret)) : null;
  await s.db
    .update(webhookEndpoints)
    .set({ secret: secrets.seal(id, 'secret', secret), previousSecret: previous, previousSecretExpiresAt: previous ? until : null, updatedAt: s.now() })
    .where(eq(webhookEndpoints.id, id));
  return { secret, previousSecretExpiresAt: previous ? until.toISOString() : null };
}

function presentDelivery(row: DeliveryRow, attempts: (typeof webhookAttempts.$inferSelect)[]): Delivery {
  return {
    id: row.id,
    eventId: row.eventId,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: iso(row.deliveredAt),
    createdAt: row.createdAt.toISOString(),
    attemptLog: attempts
      .slice(0, 20)
      .map((a) => ({ attemptedAt: a.attemptedAt.toISOString(), statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, responseBody: a.responseBody })),
  };
}

/** The delivery log, newest first, each with its attempts (status code, time taken, error). */
export async function listDeliveries(s: Scope, kind: EndpointKind, endpointId: string, q: { status?: DeliveryRow['status']; before?: string; limit: number }) {
  await findEndpoint(s, kind, endpointId);
  const rows = await s.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), q.status ? eq(webhookDeliveries.status, q.status) : undefined, q.before ? lt(webhookDeliveries.createdAt, new Date(q.before)) : undefined))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit);
  const attempts = rows.length
    ? await s.db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, rows.map((r) => r.id))).orderBy(desc(webhookAttempts.attemptedAt))
    : [];
  return rows.map((r) => presentDelivery(r, attempts.filter((a) => a.deliveryId === r.id)));
}

/** Sends a delivery again (delivered or given up): the same body and webhook-id, so a receiver that has it can tell. */
export async function redeliver(s: Scope, deliveryId: string) {
  const [found] = await s.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
  if (!found) throw notFound('Delivery');
  requireAdmin(s, 'webhook');
  const [row] = await s.db
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: s.now(), firstAttemptAt: null, lockedUntil: null })
    .where(and(eq(webhookDeliveries.id, deliveryId), sql`${webhookDeliveries.status} <> 'pending'`))
    .returning();
  if (!row) throw new AppError('CONFLICT', 'This delivery is still being tried; it cannot be sent again until it is delivered or given up');
  return presentDelivery(row, []);
}

/**
 * The test event / test message: a delivery held by this request (locked) so the background
 * sender leaves it alone, sent at once by the route after this transaction commits.
 */
export async function createTestDelivery(s: Scope, kind: EndpointKind, id: string, lockMs: number) {
  const endpoint = await findEndpoint(s, kind, id);
  const slackEvent: SlackEvent = { type: 'webhook.test' };
  const body = JSON.stringify(kind === 'webhook' ? testPayload(s.now()) : slackEvent);
  const [row] = await s.db
    .insert(webhookDeliveries)
    .values({ orgId: s.orgId, endpointId: id, type: 'webhook.test', body, nextAttemptAt: s.now(), lockedUntil: new Date(s.now().getTime() + lockMs), createdAt: s.now() })
    .returning();
  return { delivery: row!, endpoint };
}
