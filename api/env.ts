// What every request handler can reach through the Hono context.
import type { Actor } from '../core/roles.ts';
import type { Db } from '../db/client.ts';
import type { Auth } from './modules/identity/auth.ts';
import type { TrackingConfig } from './config.ts';
import type { Logger } from './log.ts';
import type { HitBuffer } from './modules/tracking/hit-buffer.ts';
import type { LiveHub } from './modules/live/live-hub.ts';
import type { RequestProtection } from './platform/http/protection.ts';
import type { RateLimiter } from './platform/http/rate-limiter.ts';
import type { Clock } from './platform/tenancy/scope.ts';
import type { CrmDeps } from './integrations/crm-deps.ts';
import type { BillingDeps } from './modules/billing/stripe-client.ts';
import type { OutboundSettings } from './modules/webhooks/delivery-sender.ts';

/** Email tracking: its configuration, clock and the buffer the public endpoints push hits into. */
export interface TrackingDeps extends TrackingConfig {
  hits: HitBuffer;
  /** The shared counters behind the per-network budget of the public paths; without it, no budget. */
  limiter?: RateLimiter | null;
}

export interface AppDeps {
  db: Db;
  auth: Auth;
  log: Logger;
  /** The time every service uses (tests pass their own). */
  clock: Clock;
  publicUrl: string;
  /**
   * Email tracking. Without it (tools that build an app only to read, e.g. bench:api) the pixel,
   * click and opt-out paths and /tracking are not served.
   */
  tracking?: TrackingDeps;
  /** Rate limits, trusted origins, proxy trust (api/platform/http/protection.ts); without it: no limits. */
  protection?: RequestProtection;
  /**
   * Live updates (GET /api/v1/events), fed by the process's event stream (api/start.ts opens it).
   * Without it (tools that only answer requests) the route answers 503.
   */
  live?: LiveHub;
  /**
   * Mail pages without sign-in: the one-click unsubscribe (signed with `unsubscribeSecret`) and, in
   * development without SMTP_URL, /dev/mail showing `devFolder`. Without it neither is served.
   */
  mail?: { unsubscribeSecret: string; devFolder?: string };
  /**
   * bench:api only, to measure what the outbox costs a write: changes write no domain events.
   * Never set by the server (nothing downstream would hear of the changes).
   */
  benchmarkWithoutOutbox?: true;
  /** CRM connections (/api/v1/crm): keyring, providers, sandboxes. Without it those routes answer 503. */
  crm?: CrmDeps;
  /** Stripe billing (STRIPE_SECRET_KEY): plans enforced, billing routes and the webhook; without it, billing is off. */
  billing?: BillingDeps;
  /** Where webhooks and Slack messages may go (WEBHOOKS_ALLOW_LOCALHOST, production: https only). Without it: production's rules. */
  webhooks?: OutboundSettings;
  /** The job queue (api/platform/jobs) when this process runs the background work; without it, queued work waits for a process that does. */
  jobs?: { queue(name: string, payload: { orgId: string } & Record<string, unknown>): Promise<void> };
  /** CSV exports: from this many rows an export notifies the admins (EXPORT_NOTIFY_ROWS; default 1,000). */
  exports?: { notifyAdminsAtRows: number };
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    actor: Actor;
  };
}
