// OAuth 2 for the Salesforce stand-in: the consent page (PKCE S256), the token endpoint
// (authorization_code, refresh_token), revoke, the identity URL and the sessions behind API calls.
import { createHash, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { consentPage } from '../shared/consent.ts';
import type { Clock } from '../shared/options.ts';

export const SALESFORCE_SANDBOX_CLIENT = { clientId: 'sandbox-salesforce-client', clientSecret: 'sandbox-salesforce-secret' } as const;
export const SALESFORCE_SANDBOX_ORG_ID = '00D5g000004SANDBX';
/** Salesforce's default session timeout. */
const sessionMs = 2 * 60 * 60 * 1000;

interface Session { userId: string; grant: string | null; issuedAt: number; expired: boolean }
interface Grant { userId: string; revoked: boolean }
interface Code { redirectUri: string; challenge: string | null; userId: string; expiresAt: number }

export class SalesforceAuth {
  sessions = new Map<string, Session>();
  grants = new Map<string, Grant>();
  codes = new Map<string, Code>();

  constructor(private readonly clock: Clock, private readonly options: { requirePkce: boolean; userId: () => string }) {}

  /** The session a token opens, or null (unknown, expired, or its grant revoked). */
  check(token: string | undefined): { userId: string } | null {
    const session = token ? this.sessions.get(token) : undefined;
    if (!session || session.expired || this.clock() - session.issuedAt > sessionMs) return null;
    if (session.grant && this.grants.get(session.grant)?.revoked) return null;
    return { userId: session.userId };
  }

  issue(userId: string, withGrant: boolean): { accessToken: string; refreshToken: string | null } {
    const refreshToken = withGrant ? `5Aep861${randomBytes(24).toString('base64url')}` : null;
    if (refreshToken) this.grants.set(refreshToken, { userId, revoked: false });
    return { accessToken: this.session(userId, refreshToken), refreshToken };
  }

  expireAccessTokens(): void {
    for (const session of this.sessions.values()) session.expired = true;
  }

  revokeGrant(refreshToken?: string): void {
    for (const [token, grant] of this.grants) if (!refreshToken || token === refreshToken) grant.revoked = true;
  }

  private session(userId: string, grant: string | null): string {
    const token = `${SALESFORCE_SANDBOX_ORG_ID}!AQ${randomBytes(30).toString('base64url')}`;
    this.sessions.set(token, { userId, grant, issuedAt: this.clock(), expired: false });
    return token;
  }

  routes(baseUrl: () => string): Hono {
    const app = new Hono({ strict: false });
    const oauthError = (error: string, description: string, status: 400 | 401 = 400) => Response.json({ error, error_description: description }, { status });

    app.get('/services/oauth2/authorize', (c) => {
      const q = c.req.query();
      if (q.client_id !== SALESFORCE_SANDBOX_CLIENT.clientId) return c.html('<h1>error=invalid_client_id</h1><p>client identifier invalid</p>', 400);
      if (q.response_type !== 'code' || !q.redirect_uri) return c.html('<h1>error=unsupported_response_type</h1>', 400);
      if (this.options.requirePkce && !q.code_challenge) return redirectWith(q.redirect_uri, { error: 'invalid_request', error_description: 'missing required code challenge', state: q.state });
      return c.html(consentPage({
        provider: 'Salesforce', appName: 'Inbox CRM (sandbox connected app)', scopes: (q.scope ?? 'api refresh_token').split(/[ +]/),
        action: '/services/oauth2/authorize', fields: { redirect_uri: q.redirect_uri, state: q.state ?? '', code_challenge: q.code_challenge ?? '' },
      }));
    });

    app.post('/services/oauth2/authorize', async (c) => {
      const form = await c.req.parseBody();
      const redirectUri = String(form.redirect_uri ?? '');
      const state = form.state ? String(form.state) : undefined;
      if (form.decision !== 'allow') return redirectWith(redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization', state });
      const code = `aPrx${randomBytes(24).toString('base64url')}`;
      this.codes.set(code, { redirectUri, challenge: form.code_challenge ? String(form.code_challenge) : null, userId: this.options.userId(), expiresAt: this.clock() + 15 * 60_000 });
      return redirectWith(redirectUri, { code, state });
    });

    app.post('/services/oauth2/token', async (c) => {
      const form = await c.req.parseBody();
      if (form.client_id !== SALESFORCE_SANDBOX_CLIENT.clientId || (form.client_secret !== undefined && form.client_secret !== SALESFORCE_SANDBOX_CLIENT.clientSecret)) {
        return oauthError('invalid_client', 'invalid client credentials');
      }
      const reply = (accessToken: string, userId: string, refreshToken?: string) => Response.json({
        access_token: accessToken, ...(refreshToken ? { refresh_token: refreshToken } : {}),
        signature: randomBytes(32).toString('base64'), scope: 'api refresh_token', instance_url: baseUrl(),
        id: `${baseUrl()}/id/${SALESFORCE_SANDBOX_ORG_ID}/${userId}`, token_type: 'Bearer', issued_at: String(this.clock()),
      });
      if (form.grant_type === 'authorization_code') {
        const code = this.codes.get(String(form.code ?? ''));
        this.codes.delete(String(form.code ?? ''));
        if (!code || code.expiresAt < this.clock()) return oauthError('invalid_grant', 'invalid authorization code');
        if (code.redirectUri !== form.redirect_uri) return oauthError('invalid_grant', 'redirect_uri must match configuration');
        if (code.challenge) {
          const verifier = String(form.code_verifier ?? '');
          if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return oauthError('invalid_grant', 'invalid code verifier');
        } else if (this.options.requirePkce) return oauthError('invalid_grant', 'invalid code verifier');
        const { accessToken, refreshToken } = this.issue(code.userId, true);
        return reply(accessToken, code.userId, refreshToken!);
      }
      if (form.grant_type === 'refresh_token') {
        const token = String(form.refresh_token ?? '');
        const grant = this.grants.get(token);
        if (!grant || grant.revoked) return oauthError('invalid_grant', 'expired access/refresh token');
        return reply(this.session(grant.userId, token), grant.userId);
      }
      return oauthError('unsupported_grant_type', 'grant type not supported');
    });

    const revoke = (token: string) => {
      if (this.grants.has(token)) this.revokeGrant(token);
      else if (this.sessions.has(token)) this.sessions.get(token)!.expired = true;
      else return oauthError('invalid_token', 'invalid token');
      return new Response(null, { status: 200 });
    };
    app.post('/services/oauth2/revoke', async (c) => revoke(String((await c.req.parseBody()).token ?? c.req.query('token') ?? '')));
    app.get('/services/oauth2/revoke', (c) => revoke(c.req.query('token') ?? ''));
    return app;
  }
}

function redirectWith(uri: string, params: Record<string, string | undefined>): Response {
  const target = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, value);
  return new Response(null, { status: 302, headers: { location: target.toString() } });
}
