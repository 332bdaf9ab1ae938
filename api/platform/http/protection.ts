// Request protection shared by the routes: rate limits on credentials and on every /api/v1 caller,
// and the same-origin rule for writes authenticated by the session cookie.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError, rateLimited } from '../../../core/errors.ts';
import { limitedNetworkOf } from '../../../core/tracking/networks.ts';
import type { AppEnv } from '../../env.ts';
import { clientAddress } from './client-address.ts';
import type { LimitRule, RateLimiter } from './rate-limiter.ts';

export interface RateLimitSettings {
  /** Requests per minute per API key, or per user for sessions (RATE_LIMIT_API_PER_MINUTE); 0: off. */
  apiPerMinute: number;
  /**
   * Reads (GET, HEAD) made by the web app with the session cookie, per user per minute
   * (RATE_LIMIT_APP_READS_PER_MINUTE); 0: off. A page of the app makes several reads at once and
   * live updates refetch what changed, so a manager at work would meet the API budget; the app's
   * writes, API keys and bearer tokens stay on `apiPerMinute`.
   */
  appReadsPerMinute: number;
  /** Sign-in, sign-up and invitation attempts per email address per 15 minutes; 0: off. */
  authPerAddress: number;
  /** The same per network (an IPv4 address, an IPv6 /64) per 15 minutes; 0: off. */
  authPerNetwork: number;
}

export const defaultRateLimits: Readonly<RateLimitSettings> = Object.freeze({ apiPerMinute: 200, appReadsPerMinute: 1200, authPerAddress: 10, authPerNetwork: 100 });

export interface RequestProtection {
  /** Origins besides PUBLIC_URL whose pages may send cookie-authenticated writes (TRUSTED_ORIGINS). */
  trustedOrigins: string[];
  /** Read the client address from X-Forwarded-For (TRUST_PROXY). */
  trustProxy: boolean;
  /** The shared counters; null: no rate limits (tools such as the benchmarks). */
  limiter: RateLimiter | null;
  limits: RateLimitSettings;
  /** Outside production the sign-up answer carries the email verification link (no mailer yet). */
  revealVerificationUrl: boolean;
}

/** What an app built without protection settings (tools) gets: no limits, PUBLIC_URL only, no links revealed. */
export const noProtection: RequestProtection = { trustedOrigins: [], trustProxy: false, limiter: null, limits: defaultRateLimits, revealVerificationUrl: false };

const AUTH_WINDOW_MS = 15 * 60_000;
const rules = (limits: RateLimitSettings) => ({
  authPerAddress: { name: 'auth-address', limit: limits.authPerAddress, windowMs: AUTH_WINDOW_MS },
  authPerNetwork: { name: 'auth-network', limit: limits.authPerNetwork, windowMs: AUTH_WINDOW_MS },
  api: { name: 'api', limit: limits.apiPerMinute, windowMs: 60_000 },
  appReads: { name: 'app-reads', limit: limits.appReadsPerMinute, windowMs: 60_000 },
}) satisfies Record<string, LimitRule>;

export const protectionOf = (c: Context<AppEnv>): RequestProtection => c.var.deps.protection ?? noProtection;

/** The network a request counts against: its address (IPv6: the /64), or "unknown" without one. */
export function networkOfRequest(c: Context<AppEnv>): string {
  const address = clientAddress(c, protectionOf(c).trustProxy);
  return (address && limitedNetworkOf(address)) ?? 'unknown';
}

async function enforce(limiter: RateLimiter, rule: LimitRule, subject: string, what: string, lease = false) {
  const decision = await limiter.consume(rule, subject, { lease });
  if (!decision.allowed) throw rateLimited(`Too many ${what}; retry in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds);
}

/**
 * Sign-in, sign-up, invitation accepts and better-auth's own endpoints: every attempt counts, per
 * network and per email address (read from the JSON or form body). Counting attempts rather than
 * failures keeps the check before the password hash is even computed.
 */
export const limitCredentialAttempts = createMiddleware<AppEnv>(async (c, next) => {
  const { limiter, limits } = protectionOf(c);
  if (!limiter || c.req.method !== 'POST') return next();
  const r = rules(limits);
  await enforce(limiter, r.authPerNetwork, networkOfRequest(c), 'sign-in attempts from your network');
  const email = await emailOf(c);
  if (email) await enforce(limiter, r.authPerAddress, email, 'sign-in attempts for this address');
  await next();
});

async function emailOf(c: Context<AppEnv>): Promise<string | null> {
  try {
    const type = c.req.header('content-type') ?? '';
    const raw = c.req.raw.clone();
    const body: unknown = type.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(await raw.text())) : await raw.json();
    const email = (body as { email?: unknown } | null)?.email;
    return typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : null;
  } catch {
    return null; // not JSON: the route answers that
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api/v1 request of a signed-in caller: per API key, or per user for sessions. Reads sent
 * with the session cookie (no Authorization header: the web app in a browser) count against the
 * app's own, larger read budget.
 */
export async function limitApiCaller(c: Context<AppEnv>, subject: string) {
  const { limiter, limits } = protectionOf(c);
  if (!limiter) return;
  const appRead = SAFE_METHODS.has(c.req.method) && !c.req.header('authorization');
  await enforce(limiter, appRead ? rules(limits).appReads : rules(limits).api, subject, 'requests', true);
}

/**
 * A write authenticated by the session cookie must come from a page of ours: browsers attach the
 * cookie to requests any site makes, and send Origin with every cross-site (and same-origin
 * non-GET) fetch or form post. Without Origin, Referer; without either, refused: a browser on our
 * page would have sent one. Bearer tokens and API keys are not sent by browsers on their own.
 */
export function assertSameOriginWrite(c: Context<AppEnv>) {
  if (SAFE_METHODS.has(c.req.method)) return;
  const allowed = new Set([new URL(c.var.deps.publicUrl).origin, ...protectionOf(c).trustedOrigins.map(originOf).filter((o): o is string => o !== null)]);
  const origin = c.req.header('origin');
  const source = origin && origin !== 'null' ? originOf(origin) : originOf(c.req.header('referer') ?? '');
  if (source && allowed.has(source)) return;
  throw new AppError(
    'CROSS_SITE_REQUEST',
    source ? `A page on ${source} cannot make changes with your session; use the app or an API key` : 'A change made with the session cookie must say where it comes from (Origin)',
  );
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
