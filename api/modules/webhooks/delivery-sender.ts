// Sends the deliveries the fan-out consumer wrote: claims due ones (of every organization, as the
// owner, like the events dispatcher), posts each outside any transaction, then records the attempt
// and its consequences in the delivery's organization, as the system.
//
// Guarantees:
//   - At least once: a delivery stays pending until an answer 2xx is recorded. A sender that dies
//     mid-post loses its claim when `locked_until` passes, and another sends it again with the same
//     webhook-id (receivers deduplicate on it).
//   - Order per endpoint and record: a delivery about a record (a deal, a contact…) is not sent while
//     an earlier event's delivery about the same record to the same endpoint is still pending
//     (in flight or waiting for a retry). Deliveries about different records are not ordered.
//   - Retries: exponential back-off with jitter for about three days (core/webhooks/retry.ts), then
//     the delivery is given up and the endpoint disabled; its admins are notified in the app.
import { Webhook } from 'standardwebhooks';
import { and, eq, sql } from 'drizzle-orm';
import { systemActor } from '../../../core/roles.ts';
import type { DestinationPolicy } from '../../../core/webhooks/address.ts';
import { TEST_EVENT_TYPE } from '../../../core/webhooks/events.ts';
import { nextAttemptAt, outcomeOfStatus, type AttemptOutcome } from '../../../core/webhooks/retry.ts';
import { slackMessage, slackOutcome, type SlackEvent } from '../../../core/webhooks/slack.ts';
import { rowsOf, type Db } from '../../../db/client.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import type { Logger } from '../../log.ts';
import { inTenant, type Clock, type Scope } from '../../platform/tenancy/scope.ts';
import { sealStoredSecrets, type EndpointSecrets } from './endpoint-secrets.ts';
import { postOutbound, type OutboundResult, type Resolver } from './outbound-http.ts';
import { notifyAdmins } from '../notifications/notifications.service.ts';

export interface OutboundSettings {
  policy: DestinationPolicy;
  /** Seals and opens the endpoints' URLs and signing secrets at rest (endpoint-secrets.ts). */
  secrets: EndpointSecrets;
  /** Per attempt, the whole exchange. */
  timeoutMs: number;
  /** DNS; default node's resolver (tests answer internal addresses for outside names with it). */
  resolve?: Resolver;
}

export interface SenderDeps extends OutboundSettings {
  db: Db;
  /** PUBLIC_URL: Slack messages link to the web app there. */
  publicUrl: string;
  clock: Clock;
  log: Logger;
  random?: () => number;
}

export interface ClaimedDelivery {
  id: string;
  orgId: string;
  endpointId: string;
  eventId: string | null;
  type: string;
  body: string;
  attempts: number;
  firstAttemptAt: Date | null;
  kind: 'webhook' | 'slack';
  /** As stored (sealed): sendClaimed opens them. */
  url: string;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** Per attempt: a receiver that has not answered by then has failed this attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const CLAIM_SLACK_MS = 30_000;
const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** Claims up to `limit` due deliveries, oldest first, respecting the order per endpoint and record. */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, holdMs: number): Promise<ClaimedDelivery[]> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + holdMs).toISOString();
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with due as (
        select d.id from webhook_deliveries d
        join webhook_endpoints e on e.id = d.endpoint_id
        where d.status = 'pending' and d.next_attempt_at <= ${at}::timestamptz
          and (d.locked_until is null or d.locked_until < ${at}::timestamptz)
          and e.enabled
          and (d.record_id is null or not exists (
            select 1 from webhook_deliveries p
            where p.org_id = d.org_id and p.endpoint_id = d.endpoint_id and p.record_id = d.record_id
              and p.status = 'pending' and p.event_seq < d.event_seq))
        order by d.next_attempt_at, d.event_seq
        limit ${limit}
        for update of d skip locked
      )
      update webhook_deliveries w set locked_until = ${until}::timestamptz
      from due, webhook_endpoints e
      where w.id = due.id and e.id = w.endpoint_id
      returning w.id, w.org_id, w.endpoint_id, w.event_id, w.type, w.body, w.attempts, w.first_attempt_at,
        e.kind, e.url, e.secret, e.previous_secret, e.previous_secret_expires_at`),
  );
  return rows.map((r) => ({
    id: r.id as string,
    orgId: r.org_id as string,
    endpointId: r.endpoint_id as string,
    eventId: (r.event_id as string | null) ?? null,
    type: r.type as string,
    body: r.body as string,
    attempts: Number(r.attempts),
    firstAttemptAt: toDate(r.first_attempt_at),
    kind: r.kind as ClaimedDelivery['kind'],
    url: r.url as string,
    secret: (r.secret as string | null) ?? null,
    previousSecret: (r.previous_secret as string | null) ?? null,
    previousSecretExpiresAt: toDate(r.previous_secret_expires_at),
  }));
}

/** Standard Webhooks headers, stamped `stamp`; during a rotation's overlap (as of `now`), signatures with both secrets. */
export function signatureHeaders(d: Pick<ClaimedDelivery, 'id' | 'eventId' | 'body' | 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>, now: Date, stamp: Date): Record<string, string> {
  const msgId = `msg_${d.eventId ?? d.id}`;
  const secrets = [d.secret!, ...(d.previousSecret && d.previousSecretExpiresAt && d.previousSecretExpiresAt > now ? [d.previousSecret] : [])];
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(stamp.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(msgId, stamp, d.body)).join(' '),
  };
}

/** Posts one claimed delivery and records what happened; returns the attempt's outcome. */
export async function sendClaimed(deps: SenderDeps, d: ClaimedDelivery): Promise<{ outcome: AttemptOutcome; result: OutboundResult }> {
  const sentAt = deps.clock();
  const open = { secret: deps.secrets.open(d.endpointId, 'secret', d.secret), previousSecret: deps.secrets.open(d.endpointId, 'previous_secret', d.previousSecret) };
  // The signature's timestamp is the wall clock's: receivers hold it against theirs to refuse replays.
  const headers = d.kind === 'webhook' ? signatureHeaders({ ...d, ...open }, sentAt, new Date()) : {};
  // Slack deliveries hold the event; the message (with links to this server) is made when sent.
  const body = d.kind === 'slack' ? JSON.stringify(slackMessage(JSON.parse(d.body) as SlackEvent, deps.publicUrl)) : d.body;
  const result = await postOutbound(deps.secrets.open(d.endpointId, 'url', d.url), body, headers, deps);
  const { outcome, error } =
    d.kind === 'slack'
      ? slackOutcome(result.statusCode, result.responseBody)
      : { outcome: outcomeOfStatus(result.statusCode), error: result.statusCode === null ? null : result.statusCode >= 300 ? `HTTP ${result.statusCode}` : null };
  const attemptError = result.error ?? error;
  await inTenant(deps.db, deps.clock, systemActor(d.orgId), (s) => recordAttempt(s, deps, d, sentAt, result, outcome, attemptError));
  return { outcome, result: { ...result, error: attemptError } };
}

async function recordAttempt(s: Scope, deps: SenderDeps, d: ClaimedDelivery, sentAt: Date, result: OutboundResult, outcome: AttemptOutcome, error: string | null) {
  const now = s.now();
  await s.db.insert(webhookAttempts).values({
    orgId: s.orgId, deliveryId: d.id, attemptedAt: sentAt, statusCode: result.statusCode, durationMs: result.durationMs, error, responseBody: result.responseBody.slice(0, 500) || null,
  });
  const attempts = d.attempts + 1;
  const firstAttemptAt = d.firstAttemptAt ?? sentAt;
  const common = { attempts, firstAttemptAt, lockedUntil: null, lastStatusCode: result.statusCode, lastError: error };
  if (outcome === 'delivered') {
    await s.db.update(webhookDeliveries).set({ ...common, status: 'delivered', deliveredAt: now }).where(eq(webhookDeliveries.id, d.id));
    await s.db
      .update(webhookEndpoints)
      .set({ failingSince: null, lastError: null, lastStatusCode: result.statusCode, lastSuccessAt: now })
      .where(eq(webhookEndpoints.id, d.endpointId));
    return;
  }
  // A test is one attempt: the admin sees its answer at once.
  let next = outcome === 'retry' && d.type !== TEST_EVENT_TYPE ? nextAttemptAt(firstAttemptAt, attempts, now, (deps.random ?? Math.random)()) : null;
  if (next && result.retryAfterSeconds !== null) next = new Date(Math.max(next.getTime(), now.getTime() + result.retryAfterSeconds * 1000));
  await s.db
    .update(webhookDeliveries)
    .set(next ? { ...common, nextAttemptAt: next } : { ...common, status: 'failed' })
    .where(eq(webhookDeliveries.id, d.id));
  await s.db
    .update(webhookEndpoints)
    .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${sentAt.toISOString()}::timestamptz)`, lastError: error, lastStatusCode: result.statusCode })
    .where(eq(webhookEndpoints.id, d.endpointId));
  // Persistent failure: the receiver said it is gone (410, a revoked Slack URL), or a real event
  // was given up after three days of retries. Its pending deliveries wait for a re-enable.
  const disableFor =
    outcome === 'gone' ? `The receiver answered that it is gone (${error ?? result.statusCode})` : !next && d.type !== TEST_EVENT_TYPE ? 'Every attempt failed for three days' : null;
  if (disableFor) await disableEndpoint(s, d.endpointId, disableFor);
}

async function disableEndpoint(s: Scope, endpointId: string, reason: string) {
  const [endpoint] = await s.db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: s.now() })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
    .returning();
  if (!endpoint) return;
  const what = endpoint.kind === 'slack' ? `Slack connection “${endpoint.name}”` : `Webhook endpoint “${endpoint.name}”`;
  await notifyAdmins(s, {
    kind: 'webhook_disabled',
    title: `${what} was disabled`,
    body: `${reason}. Nothing more is sent to it; fix it and enable it again in Settings to resume the deliveries held for it.`,
    data: { endpointId, kind: endpoint.kind, reason },
    dedupeKey: `webhook_disabled:${endpointId}:${s.now().getTime()}`,
  });
}

/** Claims what is due now and sends it all, waiting for the answers; returns how many were sent. */
export async function sendDueDeliveries(deps: SenderDeps, limit = 1000): Promise<number> {
  const claimed = await claimDueDeliveries(deps.db, deps.clock(), limit, deps.timeoutMs + CLAIM_SLACK_MS);
  await Promise.all(claimed.map((d) => sendClaimed(deps, d)));
  return claimed.length;
}

export interface DeliverySender {
  /** Claims and sends what is due now, waiting for those sends; returns how many were claimed. */
  sendDueNow(): Promise<number>;
  stop(): Promise<void>;
}

/** Postgres announces new deliveries on this channel at commit (migration 0025's trigger). */
export const DELIVERIES_CHANNEL = 'webhook_deliveries';

/** Subscribes to the announcements of new deliveries; resolves with the unsubscribe. */
export type DeliveryAnnouncements = (onNew: () => void) => Promise<() => Promise<void>>;

/**
 * The background loop: keeps up to `concurrency` posts in flight, claiming more as they finish,
 * and looks for due deliveries when `announcements` says some were written (a fan-out, a Slack
 * message committed), or every `pollMs` when idle: the poll is the safety net (a missed
 * announcement, a retry coming due). One slow endpoint holds one slot, not a batch.
 */
export function startDeliverySender(deps: SenderDeps & { concurrency?: number; pollMs?: number; announcements?: DeliveryAnnouncements }): DeliverySender {
  const concurrency = deps.concurrency ?? 16;
  const pollMs = deps.pollMs ?? 200;
  const holdMs = deps.timeoutMs + CLAIM_SLACK_MS;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let wake: (() => void) | null = null;
  // Set when an announcement arrives while the loop is claiming: it claims again before sleeping.
  let announced = false;
  const onAnnouncement = () => {
    announced = true;
    wake?.();
  };
  // Credentials an older version stored in clear are sealed before anything is sent.
  const sealed = sealStoredSecrets(deps.db, deps.secrets, deps.log).catch((err: unknown) => {
    deps.log.error('sealing stored webhook credentials failed', { error: err instanceof Error ? err.message : String(err) });
  });
  const listening = deps.announcements?.(onAnnouncement).catch((err: unknown) => {
    deps.log.warn('webhook deliveries are found by polling only: listening failed', { error: err instanceof Error ? err.message : String(err) });
    return null;
  });

  const start = (d: ClaimedDelivery) => {
    const p = sendClaimed(deps, d)
      .catch((err: unknown) => deps.log.error('webhook delivery failed to record', { deliveryId: d.id, error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        inFlight.delete(p);
        wake?.();
      });
    inFlight.add(p);
  };

  const claimMore = async () => {
    const room = concurrency - inFlight.size;
    if (room <= 0) return 0;
    const claimed = await claimDueDeliveries(deps.db, deps.clock(), room, holdMs);
    claimed.forEach(start);
    return claimed.length;
  };

  const loop = (async () => {
    await sealed;
    while (!stopped) {
      announced = false;
      let claimed = 0;
      try {
        claimed = await claimMore();
      } catch (err) {
        deps.log.error('webhook claim failed', { error: err instanceof Error ? err.message : String(err) });
      }
      if ((claimed > 0 || announced) && inFlight.size < concurrency) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    sendDueNow: () => sendDueDeliveries(deps),
    async stop() {
      stopped = true;
      wake?.();
      const unlisten = await listening;
      await unlisten?.().catch(() => undefined);
      await loop;
      await Promise.all([...inFlight]);
    },
  };
}
