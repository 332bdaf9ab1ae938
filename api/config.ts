// The only file that reads process.env. A bad configuration stops the server at start with the
// field errors instead of failing later.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { normalizeBaseUrl, TrackingKeyring } from '../core/tracking/tokens.ts';
import type { DestinationPolicy } from '../core/webhooks/address.ts';
import type { RateLimitSettings } from './platform/http/protection.ts';
import { crmConfig, type CrmConfig } from './integrations/crm-config.ts';

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787), // 0: any free port (tests)
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().url().optional(),
  PUBLIC_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  TRUSTED_ORIGINS: z.string().optional(),
  DEMO_DATA: z.enum(['true', 'false']).optional(),
  DEMO_INBOX: z.enum(['true', 'false']).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  JOBS: z.enum(['true', 'false']).default('true'),
  TRACKING_BASE_URL: z.string().url().optional(),
  TRACKING_KEYS: z.string().optional(),
  TRACKING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  TRACKING_TRUST_PROXY: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  // 0 turns a limit off.
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(200),
  RATE_LIMIT_APP_READS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  RATE_LIMIT_AUTH_PER_ADDRESS: z.coerce.number().int().min(0).max(100_000).default(10),
  RATE_LIMIT_AUTH_PER_NETWORK: z.coerce.number().int().min(0).max(1_000_000).default(100),
  RATE_LIMIT_TRACKING_PER_NETWORK: z.coerce.number().int().min(0).max(10_000_000).default(600),
  TRACKING_MESSAGES_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  TRACKING_LINK_HOSTS_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(50),
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  OUTBOUND_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  EXPORT_NOTIFY_ROWS: z.coerce.number().int().min(1).max(100_000_000).default(1000),
  // Serve https directly (Outlook loads add-in pages only over https): a PEM certificate and key.
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  // The Outlook add-in's id; by default derived from PUBLIC_URL (stable per deployment).
  // Billing (off unless STRIPE_SECRET_KEY is set): prices are found by their lookup keys.
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\S+$/, 'must be a Stripe secret key (sk_test_…, sk_live_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\S+$/, 'must be the webhook endpoint\'s signing secret (whsec_…)').optional(),
  STRIPE_PRICE_STARTER: z.string().min(1).default('starter_seat_monthly'),
  STRIPE_PRICE_PRO: z.string().min(1).default('pro_seat_monthly'),
  // The Stripe stand-in (sandbox/stripe) instead of api.stripe.com; refused in production.
  STRIPE_API_URL: z.string().url().optional(),
  OUTLOOK_ADDIN_ID: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID').optional(),
  // CRM connections (api/integrations): token keyring, providers' endpoints and apps, development sandboxes.
  CRM_TOKEN_KEYS: z.string().optional(),
  SALESFORCE_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
  HUBSPOT_API_BASE_URL: z.string().url().default('https://api.hubapi.com'),
  HUBSPOT_AUTHORIZE_URL: z.string().url().optional(),
  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
  CRM_SANDBOX: z.enum(['true', 'false']).optional(),
  CRM_SANDBOX_SALESFORCE_URL: z.string().url().default('http://127.0.0.1:8801'),
  CRM_SANDBOX_HUBSPOT_URL: z.string().url().default('http://127.0.0.1:8802'),
  CRM_RATE_HEADROOM: z.coerce.number().min(0).max(0.9).default(0.2),
  // Mail: an SMTP server (smtp://user:pass@host:587, smtps://…:465) and the sender address.
  SMTP_URL: z.string().url().refine((u) => /^smtps?:\/\//.test(u), 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).optional(),
  // Development only: webhook and Slack URLs on this machine (localhost, 127.0.0.1, ::1) are allowed.
  WEBHOOKS_ALLOW_LOCALHOST: z.enum(['true', 'false']).default('false'),
});

export interface TrackingConfig {
  /** Public base of the pixel, click and opt-out paths (TRACKING_BASE_URL, default PUBLIC_URL). */
  baseUrl: string;
  /** Signing keys (TRACKING_KEYS); outside production a `dev` key derived from AUTH_SECRET. */
  keyring: TrackingKeyring;
  /** Raw hits older than this are purged, unless the organization set its own period. */
  retentionDays: number;
  /** Read the client address from X-Forwarded-For (behind a proxy) instead of the socket. */
  trustProxy: boolean;
  /** Pixel and click requests per minute from one network (RATE_LIMIT_TRACKING_PER_NETWORK); 0: off. */
  perNetworkPerMinute: number;
  /** Tracked messages an organization may register per day, unless the operator set its own. */
  messagesPerDay: number;
  /** New link hosts an organization's tracked links may point at per day, unless the operator set its own. */
  linkHostsPerDay: number;
}

export interface MailConfig {
  /** SMTP_URL; unset outside production: mail is kept in `folder` and shown at /dev/mail. */
  smtpUrl?: string;
  /** MAIL_FROM; default `Inbox CRM <no-reply@<PUBLIC_URL's host>>`. */
  from: string;
  /** DATA_DIR/mail: where development mail is kept. */
  folder: string;
  /** Signs one-click unsubscribe links (derived from AUTH_SECRET, so links survive restarts). */
  unsubscribeSecret: string;
}

/** Stripe billing; absent: billing is off (no plans enforced, no billing routes). */
export interface BillingConfig {
  secretKey: string;
  webhookSecret: string;
  /** The lookup keys of the per-seat prices of the plans sold through Checkout. */
  lookupKeys: { starter: string; pro: string };
  /** The Stripe stand-in's address (development and tests). */
  apiUrl?: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl: string;
  authSecret: string;
  trustedOrigins: string[];
  /** Behind a reverse proxy: the client address is the last X-Forwarded-For entry (TRUST_PROXY). */
  trustProxy: boolean;
  rateLimits: RateLimitSettings;
  /** Outside production the sign-up answer carries the email verification link (no mailer yet). */
  revealVerificationUrl: boolean;
  demoData: boolean;
  /** Serve the demo inbox page at /demo/inbox/ (DEMO_INBOX; on outside production). */
  demoInbox: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Run the background work (jobs, event consumers) in this process (JOBS; default on). */
  jobs: boolean;
  /** Dispatched domain events are kept this long (EVENTS_RETENTION_DAYS), for replays and resumes. */
  eventsRetentionDays: number;
  /** Sent mail and finished webhook/Slack deliveries are kept this long (OUTBOUND_RETENTION_DAYS). */
  outboundRetentionDays: number;
  tracking: TrackingConfig;
  /** TLS_CERT_FILE and TLS_KEY_FILE, read: the server speaks https itself. */
  tls?: { cert: Buffer; key: Buffer };
  /** OUTLOOK_ADDIN_ID; unset: derived from PUBLIC_URL (core/outlook/manifest.ts). */
  outlookAddinId?: string;
  /** CRM connections: token keyring, providers, the development sandboxes (api/integrations/crm-config.ts). */
  crm: CrmConfig;
  mail: MailConfig;
  /** Where webhooks and Slack messages may go: https only in production; loopback only with WEBHOOKS_ALLOW_LOCALHOST outside it. */
  webhooks: DestinationPolicy;
  /** STRIPE_*: billing with plans and limits; absent: billing is off. */
  billing?: BillingConfig;
  /** A CSV export of at least this many rows notifies the admins (EXPORT_NOTIFY_ROWS). */
  exportNotifyRows: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${fields}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  if (e.NODE_ENV === 'production' && !e.AUTH_SECRET) throw new Error('Invalid configuration:\n  AUTH_SECRET: required in production (32+ characters)');
  // Serving https itself (TLS_CERT_FILE/TLS_KEY_FILE), its own address is https too: the Outlook
  // manifest's URLs and the tracking links are built from it.
  const publicUrl = (e.PUBLIC_URL ?? `${e.TLS_CERT_FILE && e.TLS_KEY_FILE ? 'https' : 'http'}://localhost:${e.PORT}`).replace(/\/$/, '');
  const authSecret = e.AUTH_SECRET ?? developmentSecret(dataDir);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    authSecret,
    trustedOrigins: (e.TRUSTED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: e.TRUST_PROXY === 'true',
    rateLimits: { apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE, appReadsPerMinute: e.RATE_LIMIT_APP_READS_PER_MINUTE, authPerAddress: e.RATE_LIMIT_AUTH_PER_ADDRESS, authPerNetwork: e.RATE_LIMIT_AUTH_PER_NETWORK },
    revealVerificationUrl: e.NODE_ENV !== 'production',
    demoData: e.DEMO_DATA ? e.DEMO_DATA === 'true' : e.NODE_ENV !== 'production',
    demoInbox: demoInboxEnabled(env),
    logLevel: e.LOG_LEVEL,
    jobs: e.JOBS === 'true',
    eventsRetentionDays: e.EVENTS_RETENTION_DAYS,
    outboundRetentionDays: e.OUTBOUND_RETENTION_DAYS,
    tracking: {
      baseUrl: trackingBaseUrl(e.TRACKING_BASE_URL ?? publicUrl),
      keyring: trackingKeyring(e.TRACKING_KEYS, e.NODE_ENV, authSecret),
      retentionDays: e.TRACKING_RETENTION_DAYS,
      trustProxy: (e.TRACKING_TRUST_PROXY ?? e.TRUST_PROXY) === 'true',
      perNetworkPerMinute: e.RATE_LIMIT_TRACKING_PER_NETWORK,
      messagesPerDay: e.TRACKING_MESSAGES_PER_DAY,
      linkHostsPerDay: e.TRACKING_LINK_HOSTS_PER_DAY,
    },
    tls: tlsFiles(e.TLS_CERT_FILE, e.TLS_KEY_FILE),
    outlookAddinId: e.OUTLOOK_ADDIN_ID,
    crm: crmConfig({ ...e, env: e.NODE_ENV, authSecret }),
    mail: mailConfig(e.NODE_ENV, e.SMTP_URL, e.MAIL_FROM, publicUrl, dataDir, authSecret),
    webhooks: webhookPolicy(e.NODE_ENV, e.WEBHOOKS_ALLOW_LOCALHOST === 'true'),
    billing: billingOf(e),
    exportNotifyRows: e.EXPORT_NOTIFY_ROWS,
  };
}

function billingOf(e: z.infer<typeof Env>): BillingConfig | undefined {
  if (e.STRIPE_API_URL && e.NODE_ENV === 'production') throw new Error('Invalid configuration:\n  STRIPE_API_URL: the Stripe stand-in is for development and tests, never production');
  if (!e.STRIPE_SECRET_KEY) return undefined;
  if (!e.STRIPE_WEBHOOK_SECRET) throw new Error('Invalid configuration:\n  STRIPE_WEBHOOK_SECRET: required when STRIPE_SECRET_KEY is set (the webhook endpoint\'s signing secret, whsec_…)');
  return {
    secretKey: e.STRIPE_SECRET_KEY,
    webhookSecret: e.STRIPE_WEBHOOK_SECRET,
    lookupKeys: { starter: e.STRIPE_PRICE_STARTER, pro: e.STRIPE_PRICE_PRO },
    apiUrl: e.STRIPE_API_URL,
  };
}

/** The billing settings alone, for the seats consumer, which runs without the rest of the configuration. */
export function billingConfig(env: Record<string, string | undefined> = process.env): BillingConfig | undefined {
  // The server refused to start with an invalid value, so this parses.
  return billingOf(Env.parse(env));
}

function webhookPolicy(env: Config['env'], allowLocalhost: boolean): DestinationPolicy {
  // A server reachable by customers must never call its own machine on their behalf.
  if (env === 'production' && allowLocalhost) throw new Error('Invalid configuration:\n  WEBHOOKS_ALLOW_LOCALHOST: not allowed in production');
  return { httpsOnly: env === 'production', allowLoopback: allowLocalhost };
}

function mailConfig(env: Config['env'], smtpUrl: string | undefined, from: string | undefined, publicUrl: string, dataDir: string, authSecret: string): MailConfig {
  // Invitations and password resets travel by mail: a production server that cannot send it would
  // leave people locked out without a word.
  if (env === 'production' && !smtpUrl) throw new Error('Invalid configuration:\n  SMTP_URL: required in production (smtp://user:password@host:587)');
  return {
    smtpUrl,
    from: from ?? `Inbox CRM <no-reply@${new URL(publicUrl).hostname}>`,
    folder: join(dataDir, 'mail'),
    unsubscribeSecret: createHmac('sha256', authSecret).update('inbox-crm/mail-unsubscribe').digest('base64url'),
  };
}

function tlsFiles(certFile: string | undefined, keyFile: string | undefined): Config['tls'] {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('Invalid configuration:\n  TLS_CERT_FILE, TLS_KEY_FILE: set both, or neither');
  const read = (name: string, file: string) => {
    try {
      return readFileSync(resolve(file));
    } catch (err) {
      throw new Error(`Invalid configuration:\n  ${name}: cannot read ${file} (${(err as Error).message})`);
    }
  };
  return { cert: read('TLS_CERT_FILE', certFile), key: read('TLS_KEY_FILE', keyFile) };
}

function trackingBaseUrl(url: string): string {
  try {
    return normalizeBaseUrl(url);
  } catch (err) {
    throw new Error(`Invalid configuration:\n  TRACKING_BASE_URL: ${(err as Error).message}`);
  }
}

function trackingKeyring(raw: string | undefined, env: Config['env'], authSecret: string): TrackingKeyring {
  if (raw === undefined) {
    if (env === 'production') throw new Error('Invalid configuration:\n  TRACKING_KEYS: required in production, e.g. {"currentKeyId":"k1","keys":{"k1":"<32+ random characters>"}}');
    // Derived, not random: links in mail already sent keep working after a restart.
    return { currentKeyId: 'dev', keys: { dev: createHmac('sha256', authSecret).update('inbox-crm/tracking-keys/dev').digest('base64url') } };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('Invalid configuration:\n  TRACKING_KEYS: not valid JSON');
  }
  const parsed = TrackingKeyring.safeParse(json);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  TRACKING_KEYS.${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** TRACKING_RETENTION_DAYS alone, for the purge job, which runs without the rest of the configuration. */
export function trackingRetentionDays(env: Record<string, string | undefined> = process.env): number {
  // The server refused to start with an invalid value, so this parses.
  return Env.pick({ TRACKING_RETENTION_DAYS: true }).parse(env).TRACKING_RETENTION_DAYS;
}

/** DEMO_INBOX alone, so createApp can default to it without the rest of the configuration. */
export function demoInboxEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const parsed = Env.pick({ NODE_ENV: true, DEMO_INBOX: true }).safeParse(env);
  if (!parsed.success) return false;
  return parsed.data.DEMO_INBOX ? parsed.data.DEMO_INBOX === 'true' : parsed.data.NODE_ENV !== 'production';
}

// Outside production a secret is made once and kept in the data folder, so sessions survive restarts.
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
