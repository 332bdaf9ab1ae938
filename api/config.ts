// The only file that reads process.env. A bad configuration stops the server at start with the
// field errors instead of failing later.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { normalizeBaseUrl, TrackingKeyring } from '../core/tracking/tokens.ts';
import type { RateLimitSettings } from './platform/http/protection.ts';

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
  RATE_LIMIT_AUTH_PER_ADDRESS: z.coerce.number().int().min(0).max(100_000).default(10),
  RATE_LIMIT_AUTH_PER_NETWORK: z.coerce.number().int().min(0).max(1_000_000).default(100),
  RATE_LIMIT_TRACKING_PER_NETWORK: z.coerce.number().int().min(0).max(10_000_000).default(600),
  TRACKING_MESSAGES_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  TRACKING_LINK_HOSTS_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(50),
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Serve https directly (Outlook loads add-in pages only over https): a PEM certificate and key.
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  // The Outlook add-in's id; by default derived from PUBLIC_URL (stable per deployment).
  OUTLOOK_ADDIN_ID: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID').optional(),
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
  tracking: TrackingConfig;
  /** TLS_CERT_FILE and TLS_KEY_FILE, read: the server speaks https itself. */
  tls?: { cert: Buffer; key: Buffer };
  /** OUTLOOK_ADDIN_ID; unset: derived from PUBLIC_URL (core/outlook/manifest.ts). */
  outlookAddinId?: string;
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
    rateLimits: { apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE, authPerAddress: e.RATE_LIMIT_AUTH_PER_ADDRESS, authPerNetwork: e.RATE_LIMIT_AUTH_PER_NETWORK },
    revealVerificationUrl: e.NODE_ENV !== 'production',
    demoData: e.DEMO_DATA ? e.DEMO_DATA === 'true' : e.NODE_ENV !== 'production',
    demoInbox: demoInboxEnabled(env),
    logLevel: e.LOG_LEVEL,
    jobs: e.JOBS === 'true',
    eventsRetentionDays: e.EVENTS_RETENTION_DAYS,
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
