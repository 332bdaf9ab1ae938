// HubSpot OAuth (consent page, token endpoint, introspection, refresh-token delete), private-app
// tokens, and the rate limits per app: 190 per 10 s rolling, search 5 per second, a daily allowance.
import { randomBytes, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { consentPage } from '../shared/consent.ts';
import type { Clock } from '../shared/options.ts';

export const HUBSPOT_SANDBOX_APP = { appId: 1_000_001, clientId: 'sandbox-hubspot-client', clientSecret: 'sandbox-hubspot-secret' } as const;
const accessTokenSeconds = 1800;

export interface HubSpotLimits {
  perTenSeconds: number;
  searchPerSecond: number;
  daily: number;
  /** Added to every request (benchmarks: a realistic round trip). */
  latencyMs: number;
}
export interface Caller { app: string; privateApp: boolean }
interface Token { refreshToken: string | null; expiresAt: number; expired: boolean; scopes: string[] }
interface Grant { revoked: boolean; scopes: string[] }

export class HubSpotAuth {
  readonly privateAppToken = `pat-na1-${randomUUID()}`;
  tokens = new Map<string, Token>();
  grants = new Map<string, Grant>();
  codes = new Map<string, { redirectUri: string; scopes: string[]; expiresAt: number }>();
  #windows = new Map<string, { tenSeconds: number[]; search: number[]; day: number; daily: number }>();

  constructor(private readonly clock: Clock, readonly limits: HubSpotLimits, private readonly portalId: number) {}

  /** The caller a bearer token stands for, or why not (HubSpot's 401 categories). */
  authenticate(header: string | undefined): Caller | { error: 'INVALID_AUTHENTICATION' | 'EXPIRED_AUTHENTICATION'; message: string } {
    const token = header?.replace(/^Bearer\s+/i, '');
    if (token && token === this.privateAppToken) return { app: 'private-app', privateApp: true };
    const found = token ? this.tokens.get(token) : undefined;
    if (!found || (found.refreshToken && this.grants.get(found.refreshToken)?.revoked)) {
      return { error: 'INVALID_AUTHENTICATION', message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview' };
    }
    if (found.expired || found.expiresAt <= this.clock()) {
      const ago = Math.max(0, Math.round((this.clock() - found.expiresAt) / 1000));
      return { error: 'EXPIRED_AUTHENTICATION', message: `The OAuth token used to make this call expired ${ago} second(s) ago.` };
    }
    return { app: String(HUBSPOT_SANDBOX_APP.appId), privateApp: false };
  }

  /** Counts a call against the caller's allowance; answers the 429 policy it breaks, if any, and the headers to send. */
  spend(caller: Caller, search: boolean): { refused: null | { policyName: string; message: string }; headers: Record<string, string> } {
    const now = this.clock();
    const day = Math.floor(now / 86_400_000);
    const w = this.#windows.get(caller.app) ?? { tenSeconds: [], search: [], day, daily: 0 };
    this.#windows.set(caller.app, w);
    if (w.day !== day) Object.assign(w, { day, daily: 0 });
    w.tenSeconds = w.tenSeconds.filter((t) => t > now - 10_000);
    w.search = w.search.filter((t) => t > now - 1_000);
    let refused: { policyName: string; message: string } | null = null;
    if (w.daily >= this.limits.daily) refused = { policyName: 'DAILY', message: 'You have reached your daily limit.' };
    else if (w.tenSeconds.length >= this.limits.perTenSeconds) refused = { policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.' };
    else if (search && w.search.length >= this.limits.searchPerSecond) refused = { policyName: 'SECONDLY', message: 'You have reached your secondly limit.' };
    if (!refused) {
      w.tenSeconds.push(now);
      w.daily++;
      if (search) w.search.push(now);
    }
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Max': String(this.limits.perTenSeconds),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.limits.perTenSeconds - w.tenSeconds.length)),
    };
    // HubSpot sends the daily pair to private apps only; OAuth calls omit it.
    if (caller.privateApp) Object.assign(headers, { 'X-HubSpot-RateLimit-Daily': String(this.limits.daily), 'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.limits.daily - w.daily)) });
    return { refused, headers };
  }

  issue(scopes: string[] = ['crm.objects.contacts.read', 'crm.objects.contacts.write']): { accessToken: string; refreshToken: string; expiresIn: number } {
    const refreshToken = `na1-${randomUUID()}`;
    this.grants.set(refreshToken, { revoked: false, scopes });
    return { accessToken: this.accessToken(refreshToken, scopes), refreshToken, expiresIn: accessTokenSeconds };
  }

  expireAccessTokens(): void {
    for (const token of this.tokens.values()) token.expired = true;
  }

  revokeGrant(refreshToken?: string): void {
    for (const [token, grant] of this.grants) if (!refreshToken || token === refreshToken) grant.revoked = true;
  }

  resetUsage(): void {
    this.#windows.clear();
  }

  private accessToken(refreshToken: string | null, scopes: string[]): string {
    const token = `CN${randomBytes(40).toString('base64url')}`;
    this.tokens.set(token, { refreshToken, expiresAt: this.clock() + accessTokenSeconds * 1000, expired: false, scopes });
    return token;
  }

  routes(): Hono {
    const app = new Hono();
    const oauthError = (status: string, message: string) => Response.json({ status, message, correlationId: randomUUID() }, { status: 400 });

    app.get('/oauth/authorize', (c) => {
      const q = c.req.query();
      if (q.client_id !== HUBSPOT_SANDBOX_APP.clientId) return c.html('<h1>Authorization failed</h1><p>The app (client_id) is unknown.</p>', 400);
      if (!q.redirect_uri) return c.html('<h1>Authorization failed</h1><p>redirect_uri is missing.</p>', 400);
      const scopes = (q.scope ?? 'oauth').split(/[ +]/).filter(Boolean);
      return c.html(consentPage({
        provider: 'HubSpot', appName: 'Inbox CRM (sandbox app)', scopes, action: '/oauth/authorize',
        fields: { redirect_uri: q.redirect_uri, state: q.state ?? '', scope: scopes.join(' ') },
      }));
    });
    app.post('/oauth/authorize', async (c) => {
      const form = await c.req.parseBody();
      const target = new URL(String(form.redirect_uri));
      if (form.state) target.searchParams.set('state', String(form.state));
      if (form.decision !== 'allow') {
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set('error_description', 'The user declined to install the app');
      } else {
        const code = randomUUID();
        this.codes.set(code, { redirectUri: String(form.redirect_uri), scopes: String(form.scope ?? '').split(' '), expiresAt: this.clock() + 10 * 60_000 });
        target.searchParams.set('code', code);
      }
      return c.redirect(target.toString(), 302);
    });
    app.post('/oauth/v1/token', async (c) => {
      const form = await c.req.parseBody();
      if (form.client_id !== HUBSPOT_SANDBOX_APP.clientId) return oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
      if (form.client_secret !== HUBSPOT_SANDBOX_APP.clientSecret) return oauthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
      const reply = (refreshToken: string, scopes: string[]) => Response.json({ token_type: 'bearer', refresh_token: refreshToken, access_token: this.accessToken(refreshToken, scopes), expires_in: accessTokenSeconds });
      if (form.grant_type === 'authorization_code') {
        const code = this.codes.get(String(form.code ?? ''));
        this.codes.delete(String(form.code ?? ''));
        if (!code || code.expiresAt < this.clock()) return oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
        if (code.redirectUri !== form.redirect_uri) return oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match the authorization request');
        const refreshToken = `na1-${randomUUID()}`;
        this.grants.set(refreshToken, { revoked: false, scopes: code.scopes });
        return reply(refreshToken, code.scopes);
      }
      if (form.grant_type === 'refresh_token') {
        const token = String(form.refresh_token ?? '');
        const grant = this.grants.get(token);
        if (!grant || grant.revoked) return oauthError('BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
        return reply(token, grant.scopes);
      }
      return oauthError('BAD_GRANT_TYPE', 'grant_type must be authorization_code or refresh_token');
    });
    app.get('/oauth/v1/access-tokens/:token', (c) => {
      const token = this.tokens.get(c.req.param('token'));
      if (!token || token.expired || token.expiresAt <= this.clock()) return Response.json({ status: 'error', message: 'The access token is expired or invalid', correlationId: randomUUID(), category: 'EXPIRED_AUTHENTICATION' }, { status: 401 });
      return c.json({ token: c.req.param('token'), user: 'admin@sandbox-sales.test', hub_domain: 'sandbox-sales.test', scopes: token.scopes, hub_id: this.portalId, app_id: HUBSPOT_SANDBOX_APP.appId, expires_in: Math.round((token.expiresAt - this.clock()) / 1000), user_id: 7_000_001, token_type: 'access' });
    });
    app.get('/oauth/v1/refresh-tokens/:token', (c) => {
      const grant = this.grants.get(c.req.param('token'));
      if (!grant || grant.revoked) return Response.json({ status: 'error', message: 'refresh token not found', correlationId: randomUUID(), category: 'OBJECT_NOT_FOUND' }, { status: 404 });
      return c.json({ token: c.req.param('token'), user: 'admin@sandbox-sales.test', hub_domain: 'sandbox-sales.test', scopes: grant.scopes, hub_id: this.portalId, client_id: HUBSPOT_SANDBOX_APP.clientId, user_id: 7_000_001, token_type: 'refresh' });
    });
    app.delete('/oauth/v1/refresh-tokens/:token', (c) => {
      if (!this.grants.has(c.req.param('token'))) return Response.json({ status: 'error', message: 'refresh token not found', correlationId: randomUUID(), category: 'OBJECT_NOT_FOUND' }, { status: 404 });
      this.revokeGrant(c.req.param('token'));
      return c.body(null, 204);
    });
    return app;
  }
}
