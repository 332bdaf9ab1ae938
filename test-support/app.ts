// An app on its own fresh database, with helpers that act as real users do (sign up, invite,
// accept), so tests exercise the same paths as people.
import { createApp } from '../api/app.ts';
import { createAuth } from '../api/modules/identity/auth.ts';
import type { TrackingDeps } from '../api/env.ts';
import type { BillingDeps } from '../api/modules/billing/stripe-client.ts';
import { silentLogger, type Logger } from '../api/log.ts';
import { HitBuffer } from '../api/modules/tracking/hit-buffer.ts';
import { defaultRateLimits, type RateLimitSettings, type RequestProtection } from '../api/platform/http/protection.ts';
import { RateLimiter } from '../api/platform/http/rate-limiter.ts';
import { deliverPendingInline } from '../api/platform/events/delivery.ts';
import { openEventStream } from '../api/platform/events/stream.ts';
import { LiveHub } from '../api/modules/live/live-hub.ts';
import { inTenant, systemClock, type Scope } from '../api/platform/tenancy/scope.ts';
import { systemActor, type Actor } from '../core/roles.ts';
import { consumers } from '../api/registry.ts';
import type { JobDefinition, JobOutcome } from '../api/platform/jobs/job.ts';
import type { OutboundSettings } from '../api/modules/webhooks/delivery-sender.ts';
import { EndpointSecrets } from '../api/modules/webhooks/endpoint-secrets.ts';
import { TokenVault } from '../api/integrations/token-vault.ts';
import type { Role } from '../core/roles.ts';
import type { Database } from '../db/client.ts';
import { openTestDatabase } from './database.ts';
import { crmTestDeps, testCrmKeyring } from './crm.ts';
import type { CrmDeps } from '../api/integrations/crm-deps.ts';

/** Webhook signing secrets and Slack URLs in tests: sealed with the test CRM keyring, as the server seals them with CRM_TOKEN_KEYS. */
export const testEndpointSecrets = new EndpointSecrets(new TokenVault(testCrmKeyring));
const productionOutbound = { policy: { httpsOnly: true, allowLoopback: false }, timeoutMs: 10_000 };

export interface Caller {
  token: string;
  userId: string;
  orgId: string;
  email: string;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: Database;
  /** Tracking as the server has it, except the hit buffer's loop is not started: call `tracking.hits.flush()`. */
  tracking: TrackingDeps;
  /** Trusted origins, proxy trust (X-Forwarded-For says where a request comes from) and, when asked for, rate limits. */
  protection: RequestProtection;
  request: (method: string, path: string, options?: { as?: Caller | string; body?: unknown; raw?: string; headers?: Record<string, string> }) => Promise<{ status: number; body: any }>;
  /**
   * Delivers every pending domain event to the consumers (notifications, risk history, …) now, in
   * this process: what the background dispatcher does a moment after each change in the server.
   */
  deliverEvents: () => Promise<number>;
  /** Runs a job for one organization as its worker would (validated payload, the system, `now`). */
  runJob: (job: JobDefinition, payload: { orgId: string } & Record<string, unknown>, now?: Date) => Promise<JobOutcome>;
  /** Work in one organization's scope, as the system (or `actor`), at the app's time (or `now`). */
  inOrg: <T>(orgId: string, work: (s: Scope) => Promise<T>, options?: { now?: Date; actor?: Actor }) => Promise<T>;
  newOrg: (name: string) => Promise<{ admin: Caller; orgId: string; member: (role: Role, name?: string) => Promise<Caller> }>;
  /** With `live: true`: the hub behind GET /api/v1/events. */
  live?: LiveHub;
  close: () => Promise<void>;
}

let counter = 0;

/** The tracking keyring tests sign with. */
export const testTrackingKeyring = { currentKeyId: 't1', keys: { t1: 'test-tracking-secret-0123456789abcdef' } };

/** What the test app signs one-click unsubscribe links with. */
export const testUnsubscribeSecret = 'test-unsubscribe-secret-0123456789abcdef';

export interface TestAppOptions {
  /** CRM connections (test-support/crm.ts): by default the real providers' addresses and no sandbox. */
  crm?: CrmDeps;
  log?: Logger;
  clock?: () => number;
  /**
   * Rate limits as the server would enforce them (defaults: the configuration's). Without this
   * option there are none: most tests send far more than a person would, from one "network".
   */
  rateLimits?: Partial<RateLimitSettings> & { trackingPerNetwork?: number };
  /** The organizations' tracked-link quotas (defaults: the configuration's). */
  trackingQuotas?: { messagesPerDay?: number; linkHostsPerDay?: number };
  /** TRUSTED_ORIGINS. */
  trustedOrigins?: string[];
  /** Live updates (GET /api/v1/events): the app follows its database's event stream as the server does. */
  live?: boolean;
  /** Stripe billing (plans enforced, billing routes, the webhook), e.g. pointed at the Stripe stand-in. */
  billing?: BillingDeps;
  /** Where webhooks and Slack messages may go (default: production's rules, https and public addresses only); credentials are sealed with `testEndpointSecrets`. */
  webhooks?: Omit<OutboundSettings, 'secrets'>;
  /** CSV exports: from this many rows an export notifies the admins (default: the configuration's 1,000). */
  exportNotifyRows?: number;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const log = options.log ?? silentLogger;
  const auth = createAuth({ db: database.db, secret: 'test-secret-that-is-long-enough-for-auth', baseURL: 'http://localhost:8787', log });
  const limiter = options.rateLimits ? new RateLimiter(database.db, { log, now: options.clock }) : null;
  const protection: RequestProtection = {
    trustedOrigins: options.trustedOrigins ?? [],
    trustProxy: true,
    limiter,
    limits: { ...defaultRateLimits, ...options.rateLimits },
    revealVerificationUrl: true,
  };
  const tracking: TrackingDeps = {
    baseUrl: 'http://localhost:8787',
    keyring: testTrackingKeyring,
    retentionDays: 90,
    // Tests say where a request comes from with X-Forwarded-For.
    trustProxy: true,
    perNetworkPerMinute: options.rateLimits?.trackingPerNetwork ?? 600,
    messagesPerDay: options.trackingQuotas?.messagesPerDay ?? 5000,
    linkHostsPerDay: options.trackingQuotas?.linkHostsPerDay ?? 50,
    hits: new HitBuffer({ db: database.db, log, now: options.clock }),
    limiter,
  };
  const clock = options.clock ? () => new Date(options.clock!()) : systemClock;
  const stream = options.live ? await openEventStream(database, log) : null;
  const live = stream ? new LiveHub({ db: database.db, clock, log }, stream) : undefined;
  const app = createApp({ db: database.db, auth, log, clock, publicUrl: 'http://localhost:8787', tracking, protection, live, mail: { unsubscribeSecret: testUnsubscribeSecret }, webhooks: { ...(options.webhooks ?? productionOutbound), secrets: testEndpointSecrets }, crm: options.crm ?? crmTestDeps(), billing: options.billing, exports: options.exportNotifyRows === undefined ? undefined : { notifyAdminsAtRows: options.exportNotifyRows } });

  const request: TestApp['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = typeof options.as === 'string' ? options.as : options.as?.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  };

  const newOrg: TestApp['newOrg'] = async (name) => {
    const n = ++counter;
    const email = `admin${n}.${process.pid}@${name.toLowerCase().replace(/\W+/g, '')}.test`;
    const res = await request('POST', '/api/v1/signup', { body: { name: `Admin ${n}`, email, password: 'correct-horse-1', organizationName: name } });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    const admin: Caller = { token: res.body.token, userId: res.body.user.id, orgId: res.body.organization.id, email };
    const member = async (role: Role, memberName = `${role} ${++counter}`) => {
      const memberEmail = `${memberName.toLowerCase().replace(/\W+/g, '.')}.${counter}@${name.toLowerCase().replace(/\W+/g, '')}.test`;
      const invite = await request('POST', '/api/v1/invitations', { as: admin, body: { email: memberEmail, role } });
      if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
      const token = new URL(invite.body.inviteUrl).searchParams.get('token')!;
      const accepted = await request('POST', '/api/v1/invitations/accept', { body: { token, name: memberName, password: 'correct-horse-2' } });
      if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      return { token: accepted.body.token, userId: accepted.body.user.id, orgId: admin.orgId, email: memberEmail };
    };
    return { admin, orgId: admin.orgId, member };
  };

  const deliverEvents = () => deliverPendingInline(database.db, clock, consumers);
  const inOrg: TestApp['inOrg'] = (orgId, work, o = {}) =>
    inTenant(database.db, o.now ? () => o.now! : clock, o.actor ?? systemActor(orgId), work);
  const runJob: TestApp['runJob'] = (job, payload, now = clock()) => {
    const checked = job.payload.parse(payload);
    return job.run({ db: database.db, log, now, inOrg: (work) => inOrg(checked.orgId, work, { now }) }, checked);
  };
  const close = async () => {
    live?.close();
    await stream?.close();
    await limiter?.close();
    await database.close();
  };
  return { app, database, tracking, protection, live, request, deliverEvents, inOrg, runJob, newOrg, close };
}
