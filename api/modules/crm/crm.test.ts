// Connecting Salesforce and HubSpot as an admin: direct tokens and OAuth (state checked, PKCE for
// Salesforce) against the project's stand-ins driven through jsforce and @hubspot/api-client;
// tokens encrypted at rest; expired tokens refreshed once, also when many calls find them expired
// together; a revoked grant pauses the connection and notifies the admins, and nothing loops.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmConnections, notifications } from '../../../db/schema/index.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../sandbox/hubspot/index.ts';
import { SALESFORCE_SANDBOX_CLIENT, startSalesforceSandbox, type SalesforceSandbox } from '../../../sandbox/salesforce/index.ts';
import { HUBSPOT_SANDBOX_APP } from '../../../sandbox/hubspot/index.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { crmTestDeps } from '../../../test-support/crm.ts';
import { sandboxApps } from '../../integrations/crm-config.ts';
import type { CrmDeps } from '../../integrations/crm-deps.ts';
import { openTokens } from '../../integrations/connections.ts';
import { refreshAccess } from '../../integrations/credentials.ts';

let sf: SalesforceSandbox;
let hs: HubSpotSandbox;
let t: TestApp;
let crm: CrmDeps;
let shiftMs = 0;
let a: { admin: Caller; secondAdmin: Caller; manager: Caller; rep: Caller; readonly: Caller; orgId: string };
let b: { admin: Caller; orgId: string };

beforeAll(async () => {
  sf = await startSalesforceSandbox({ volume: 'empty' });
  hs = await startHubSpotSandbox({ volume: 'empty' });
  crm = crmTestDeps({ salesforceUrl: sf.url, hubspotUrl: hs.url });
  t = await createTestApp({ crm, clock: () => Date.now() + shiftMs });
  const alpha = await t.newOrg('Alpha');
  a = { admin: alpha.admin, secondAdmin: await alpha.member('admin'), manager: await alpha.member('manager'), rep: await alpha.member('rep'), readonly: await alpha.member('readonly'), orgId: alpha.orgId };
  const bravo = await t.newOrg('Bravo');
  b = { admin: bravo.admin, orgId: bravo.orgId };
}, 60_000);
afterAll(async () => {
  await t?.close();
  await sf?.close();
  await hs?.close();
});

const connections = async (as: Caller) => (await t.request('GET', '/api/v1/crm/connections', { as })).body.data as { id: string; provider: string; status: string }[];
const storedRow = async (id: string) => (await t.database.db.select().from(crmConnections).where(eq(crmConnections.id, id)))[0]!;
const hubSpotTokenCalls = (calls: { method: string; path: string }[]) => calls.filter((c) => c.method === 'POST' && c.path.startsWith('/oauth/v1/token'));

/** The admin's browser: start, consent on the CRM's page, and come back with its answer. */
async function oauthConnect(as: Caller, provider: 'salesforce' | 'hubspot', decision: 'allow' | 'deny' = 'allow') {
  const started = await t.request('POST', '/api/v1/crm/oauth/start', { as, body: { provider, sandbox: true } });
  expect(started.status).toBe(200);
  const location = await (provider === 'salesforce' ? sf : hs).control.consent(started.body.authorizationUrl, decision);
  const back = new URL(location);
  expect(back.pathname).toBe('/api/v1/crm/oauth/callback');
  return { started: started.body, callback: `${back.pathname}${back.search}`, result: await t.request('GET', `${back.pathname}${back.search}`, { as }) };
}

describe('the sandbox apps', () => {
  it('are the ones the stand-ins accept', () => {
    expect(sandboxApps.salesforce).toEqual(SALESFORCE_SANDBOX_CLIENT);
    expect(sandboxApps.hubspot).toMatchObject({ clientId: HUBSPOT_SANDBOX_APP.clientId, clientSecret: HUBSPOT_SANDBOX_APP.clientSecret });
  });
});

describe('who may connect', () => {
  it.each(['manager', 'rep', 'readonly'] as const)('a %s cannot see, connect or start connecting a CRM', async (role) => {
    const as = a[role];
    for (const [method, path, body] of [
      ['GET', '/api/v1/crm/connections', undefined],
      ['GET', '/api/v1/crm/providers', undefined],
      ['POST', '/api/v1/crm/connections', { provider: 'hubspot', accessToken: hs.control.privateAppToken(), sandbox: true }],
      ['POST', '/api/v1/crm/oauth/start', { provider: 'salesforce', sandbox: true }],
    ] as const) {
      const res = await t.request(method, path, { as, body });
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
    }
    expect(await connections(a.admin)).toEqual([]);
  });

  it('an admin sees the ways to connect, sandboxes included in development', async () => {
    const res = await t.request('GET', '/api/v1/crm/providers', { as: a.admin });
    expect(res.body.data).toEqual([
      { provider: 'salesforce', label: 'Salesforce', oauth: false, directToken: true, directTokenNeedsInstanceUrl: true, sandbox: true },
      { provider: 'hubspot', label: 'HubSpot', oauth: false, directToken: true, directTokenNeedsInstanceUrl: false, sandbox: true },
    ]);
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['an unknown CRM', { provider: 'pipedrive', accessToken: 'x'.repeat(20) }],
    ['Salesforce without its instance URL', { provider: 'salesforce', accessToken: 'x'.repeat(20), sandbox: true }],
    ['a token too short to be one', { provider: 'hubspot', accessToken: 'abc', sandbox: true }],
    ['an unknown field', { provider: 'hubspot', accessToken: 'x'.repeat(20), sandbox: true, refreshToken: 'y' }],
    ['an instance URL that is not Salesforce', { provider: 'salesforce', accessToken: 'x'.repeat(20), instanceUrl: 'https://attacker.example.com' }],
    ['an instance URL other than the sandbox for a sandbox connection', { provider: 'salesforce', accessToken: 'x'.repeat(20), instanceUrl: 'http://127.0.0.1:1', sandbox: true }],
  ])('%s: 400', async (_label, body) => {
    const res = await t.request('POST', '/api/v1/crm/connections', { as: a.admin, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await connections(a.admin)).toEqual([]);
  });

  it('a token the CRM refuses: 400 saying so, nothing stored', async () => {
    const res = await t.request('POST', '/api/v1/crm/connections', { as: a.admin, body: { provider: 'hubspot', accessToken: 'pat-na1-not-a-real-token', sandbox: true } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/HubSpot refused the credentials/), details: { crmCode: 'auth_revoked' } });
    expect(await connections(a.admin)).toEqual([]);
  });

  it('OAuth without a configured app, outside the sandbox: 400', async () => {
    const res = await t.request('POST', '/api/v1/crm/oauth/start', { as: a.admin, body: { provider: 'salesforce' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/No Salesforce app is configured/);
  });

  it('a server without sandboxes refuses sandbox connections', async () => {
    const production = await createTestApp({ crm: crmTestDeps() });
    try {
      const org = await production.newOrg('Prod');
      const res = await production.request('POST', '/api/v1/crm/oauth/start', { as: org.admin, body: { provider: 'hubspot', sandbox: true } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Sandbox connections are not offered/);
    } finally {
      await production.close();
    }
  });
});

describe('HubSpot with a private app token', () => {
  let id: string;

  it('connects after one check with HubSpot, and stores the token encrypted', async () => {
    const token = hs.control.privateAppToken();
    const res = await t.request('POST', '/api/v1/crm/connections', { as: a.admin, body: { provider: 'hubspot', accessToken: token, sandbox: true } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ provider: 'hubspot', status: 'active', authKind: 'direct_token', sandbox: true, canRefresh: false, connectedBy: a.admin.userId });
    expect(res.body.apiUsage).toMatchObject({ limit: expect.any(Number), used: expect.any(Number) });
    expect(JSON.stringify(res.body)).not.toContain(token);
    id = res.body.id;
    const row = await storedRow(id);
    expect(row.accessToken).not.toContain(token);
    expect(crm.vault.open(row.accessToken!, `${id}/access`)).toBe(token);
  });

  it('is another organization\'s 404, never readable or removable from there', async () => {
    for (const [method, path] of [['GET', `/api/v1/crm/connections/${id}`], ['DELETE', `/api/v1/crm/connections/${id}`], ['POST', `/api/v1/crm/connections/${id}/check`]] as const) {
      const res = await t.request(method, path, { as: b.admin });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect(await connections(b.admin)).toEqual([]);
    expect((await storedRow(id)).status).toBe('active');
  });

  it('lists HubSpot\'s own fields with their types, and notices a field deleted in HubSpot', async () => {
    const fields = async () => (await t.request('GET', `/api/v1/crm/connections/${id}/fields?recordType=company`, { as: a.admin })).body.data as { name: string; kind: string; options?: string[] }[];
    const before = await fields();
    expect(before.find((f) => f.name === 'industry')).toMatchObject({ kind: 'picklist', options: expect.arrayContaining([expect.any(String)]) });
    expect(before.find((f) => f.name === 'domain')).toMatchObject({ kind: 'text', updateable: true });
    hs.control.deleteField('companies', 'industry');
    expect((await fields()).map((f) => f.name)).not.toContain('industry');
    const bad = await t.request('GET', `/api/v1/crm/connections/${id}/fields?recordType=lead`, { as: a.admin });
    expect(bad.status).toBe(400);
    expect((await t.request('GET', `/api/v1/crm/connections/${id}/fields?recordType=contact`, { as: a.rep })).status).toBe(403);
  });

  it('is checked on demand, reading the API usage HubSpot reports', async () => {
    const res = await t.request('POST', `/api/v1/crm/connections/${id}/check`, { as: a.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', apiUsage: { limit: expect.any(Number) } });
  });
});

describe('Salesforce with OAuth and PKCE', () => {
  let id: string;

  it('sends the admin to the consent page with a state and an S256 challenge, and connects on the way back', async () => {
    const { started, result } = await oauthConnect(a.admin, 'salesforce');
    const url = new URL(started.authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${sf.url}/services/oauth2/authorize`);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:8787/api/v1/crm/oauth/callback');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ provider: 'salesforce', status: 'active', authKind: 'oauth', instanceUrl: sf.url, canRefresh: true, externalAccountId: expect.any(String) });
    id = result.body.id;
    const row = await storedRow(id);
    expect(row.refreshToken).toMatch(/^v1\.t1\./);
  });

  it('refuses a state used twice, another admin\'s state, and a made-up one', async () => {
    const started = await t.request('POST', '/api/v1/crm/oauth/start', { as: a.admin, body: { provider: 'salesforce', sandbox: true } });
    const location = new URL(await sf.control.consent(started.body.authorizationUrl, 'allow'));
    const path = `${location.pathname}${location.search}`;
    // Another organization's admin, then another admin of the same organization: not theirs.
    for (const other of [b.admin, a.secondAdmin]) {
      const res = await t.request('GET', path, { as: other });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'state', message: 'unknown, used or expired' }]);
    }
    expect((await t.request('GET', path, { as: a.admin })).status).toBe(200);
    expect((await t.request('GET', path, { as: a.admin })).status).toBe(400);
    const forged = `/api/v1/crm/oauth/callback?state=forged&code=${location.searchParams.get('code')}`;
    expect((await t.request('GET', forged, { as: a.admin })).status).toBe(400);
    expect(await connections(b.admin)).toEqual([]);
  });

  it('a refusal on the consent page connects nothing and says why', async () => {
    const before = await storedRow(id);
    const { result } = await oauthConnect(a.admin, 'salesforce', 'deny');
    expect(result.status).toBe(400);
    expect(result.body.error.message).toMatch(/Salesforce did not grant access/);
    expect((await storedRow(id)).accessToken).toBe(before.accessToken);
  });

  it('renews an expired token once, even when many calls find it expired together', async () => {
    const before = await storedRow(id);
    sf.control.expireAccessTokens();
    sf.control.clearCalls();
    const checks = await Promise.all(Array.from({ length: 5 }, () => t.request('POST', `/api/v1/crm/connections/${id}/check`, { as: a.admin })));
    expect(checks.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    const refreshes = sf.control.calls().filter((c) => c.method === 'POST' && c.path.startsWith('/services/oauth2/token'));
    expect(refreshes).toHaveLength(1);
    const after = await storedRow(id);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.tokensRefreshedAt).not.toBeNull();
    expect(after.status).toBe('active');
  });

  it('two processes finding the token expired at once: the row lock lets one refresh, the other takes its token', async () => {
    const stale = openTokens(crm, await storedRow(id)).access!.accessToken;
    sf.control.expireAccessTokens();
    sf.control.clearCalls();
    // Two processes: each its own in-memory single-flight, one database.
    const processes = [crm, crmTestDeps({ salesforceUrl: sf.url, hubspotUrl: hs.url })].map((deps) => ({ db: t.database.db, clock: () => new Date(), crm: deps }));
    const [first, second] = await Promise.all(processes.map((ctx) => refreshAccess(ctx, a.orgId, id, stale)));
    expect(first!.accessToken).not.toBe(stale);
    expect(second!.accessToken).toBe(first!.accessToken);
    expect(sf.control.calls().filter((c) => c.path.startsWith('/services/oauth2/token'))).toHaveLength(1);
  });

  it('a revoked grant: needs reconnecting, the admins are told once, and no call is made again', async () => {
    sf.control.revokeGrant();
    sf.control.clearCalls();
    const res = await t.request('POST', `/api/v1/crm/connections/${id}/check`, { as: a.admin });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ crmCode: 'auth_revoked' });
    const row = await storedRow(id);
    expect(row.status).toBe('needs_reconnecting');
    expect(row.statusReason).toMatch(/connect it again/);
    const callsAfterRevoke = sf.control.calls().length;
    expect(callsAfterRevoke).toBeGreaterThan(0);

    for (let i = 0; i < 3; i++) {
      const again = await t.request('POST', `/api/v1/crm/connections/${id}/check`, { as: a.admin });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/needs reconnecting/);
    }
    expect(sf.control.calls()).toHaveLength(callsAfterRevoke);

    await t.deliverEvents();
    await t.deliverEvents();
    const notes = await t.database.db.select().from(notifications).where(eq(notifications.kind, 'crm_needs_reconnecting'));
    expect(notes.map((n) => n.userId).sort()).toEqual([a.admin.userId, a.secondAdmin.userId].sort());
    expect(notes[0]).toMatchObject({ orgId: a.orgId, title: 'Salesforce needs reconnecting', data: { connectionId: id, provider: 'salesforce' } });
    const listed = await t.request('GET', '/api/v1/notifications', { as: a.admin });
    expect(listed.body.data.map((n: { kind: string }) => n.kind)).toContain('crm_needs_reconnecting');
  });

  it('connecting again reuses the connection and makes it active', async () => {
    const { result } = await oauthConnect(a.admin, 'salesforce');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id, status: 'active', statusReason: null, lastError: null });
    expect((await t.request('POST', `/api/v1/crm/connections/${id}/check`, { as: a.admin })).status).toBe(200);
    const deals = await t.request('GET', `/api/v1/crm/connections/${id}/fields?recordType=deal`, { as: a.admin });
    expect(deals.body.data.find((f: { name: string }) => f.name === 'StageName')).toMatchObject({ kind: 'picklist', options: expect.arrayContaining([expect.any(String)]) });
    expect(deals.body.data.find((f: { name: string }) => f.name === 'Amount')).toMatchObject({ kind: 'number' });
  });

  it('disconnecting removes the tokens and stops calls', async () => {
    const res = await t.request('DELETE', `/api/v1/crm/connections/${id}`, { as: a.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'disconnected', canRefresh: false });
    const row = await storedRow(id);
    expect({ access: row.accessToken, refresh: row.refreshToken }).toEqual({ access: null, refresh: null });
    expect((await t.request('POST', `/api/v1/crm/connections/${id}/check`, { as: a.admin })).status).toBe(409);
  });
});

describe('HubSpot with OAuth', () => {
  it('connects, refreshes ahead of the stated expiry, and both CRMs stay connected side by side', async () => {
    const { result } = await oauthConnect(a.admin, 'hubspot');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ provider: 'hubspot', authKind: 'oauth', status: 'active', canRefresh: true, accessTokenExpiresAt: expect.any(String), externalAccountId: expect.stringMatching(/^\d+$/) });
    const id = result.body.id;
    const before = await storedRow(id);

    hs.control.clearCalls();
    shiftMs = before.accessTokenExpiresAt!.getTime() - Date.now() + 1000;
    try {
      const res = await t.request('POST', `/api/v1/crm/connections/${id}/check`, { as: a.admin });
      expect(res.status).toBe(200);
    } finally {
      shiftMs = 0;
    }
    expect(hubSpotTokenCalls(hs.control.calls())).toHaveLength(1);
    const after = await storedRow(id);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.accessTokenExpiresAt!.getTime()).toBeGreaterThan(before.accessTokenExpiresAt!.getTime());
    expect((await connections(a.admin)).map((c) => [c.provider, c.status])).toEqual([['hubspot', 'active'], ['salesforce', 'disconnected']]);
  });
});
