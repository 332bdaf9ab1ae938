// The Salesforce stand-in as jsforce sees it: OAuth with PKCE, refresh and revoke, query cursors to
// the end, describe, collections with per-record errors, faults and limits.
import jsforce from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SALESFORCE_SANDBOX_CLIENT, startSalesforceSandbox, type SalesforceSandbox } from './index.ts';

let sf: SalesforceSandbox;
let now = Date.parse('2026-06-01T12:00:00Z');
const redirectUri = 'http://localhost:8787/api/v1/crm/oauth/salesforce/callback';
const version = '62.0';

beforeAll(async () => {
  sf = await startSalesforceSandbox({ seed: 7, clock: () => now, volume: { companies: 30, contacts: 4_321, deals: 40, activities: 100 } });
});
afterAll(() => sf.close());
beforeEach(() => sf.control.reset());

const connect = () => {
  const { accessToken, refreshToken } = sf.control.issueToken();
  return new jsforce.Connection({
    instanceUrl: sf.url, accessToken, refreshToken, version,
    oauth2: { ...SALESFORCE_SANDBOX_CLIENT, redirectUri, loginUrl: sf.url },
  });
};

const failure = async (promise: PromiseLike<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to fail');
};

describe('OAuth', () => {
  it('runs the code flow with PKCE, refreshes an expired session and stops when the grant is revoked', async () => {
    const oauth2 = new jsforce.OAuth2({ ...SALESFORCE_SANDBOX_CLIENT, redirectUri, loginUrl: sf.url, useVerifier: true });
    const location = new URL(await sf.control.consent(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st-42' }), 'allow'));
    expect(location.searchParams.get('state')).toBe('st-42');
    const conn = new jsforce.Connection({ oauth2, version });
    const user = await conn.authorize(location.searchParams.get('code')!);
    expect(user.organizationId).toBe('00D5g000004SANDBX');
    expect(conn.instanceUrl).toBe(sf.url);
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(30);

    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    sf.control.expireAccessTokens();
    expect((await conn.query('SELECT Id FROM Account LIMIT 1')).records).toHaveLength(1);
    expect(refreshed).toHaveLength(1);

    sf.control.revokeGrant();
    const error = await failure(conn.query('SELECT Id FROM Account LIMIT 1'));
    expect(error.message).toBe('Unable to refresh session due to: expired access/refresh token');
  });

  it('refuses a code redeemed with the wrong verifier, and a user who denies', async () => {
    const oauth2 = new jsforce.OAuth2({ ...SALESFORCE_SANDBOX_CLIENT, redirectUri, loginUrl: sf.url, useVerifier: true });
    const location = new URL(await sf.control.consent(oauth2.getAuthorizationUrl({ state: 's' }), 'allow'));
    const other = new jsforce.OAuth2({ ...SALESFORCE_SANDBOX_CLIENT, redirectUri, loginUrl: sf.url, useVerifier: true });
    const error = await failure(other.requestToken(location.searchParams.get('code')!));
    expect(error.message).toContain('invalid code verifier');

    const denied = new URL(await sf.control.consent(oauth2.getAuthorizationUrl({ state: 's2' }), 'deny'));
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('s2');
  });

  it('revokes a refresh token through the revoke endpoint', async () => {
    const conn = connect();
    await conn.oauth2.revokeToken(conn.refreshToken!);
    sf.control.expireAccessTokens();
    expect((await failure(conn.query('SELECT Id FROM User'))).message).toContain('expired access/refresh token');
  });
});

describe('queries', () => {
  it('pages to the end with the cursor, 2,000 per page by default or the batch size asked for', async () => {
    const conn = connect();
    const all = await conn.query('SELECT Id, Email, LastName FROM Contact', { autoFetch: true, maxFetch: 100_000 });
    expect(all.records).toHaveLength(4_321);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(4_321);
    const pages = sf.control.calls().filter((c) => c.path.includes('/query'));
    expect(pages.map((p) => p.path.replace(/\?.*/, '').replace(/01g5g\w+/, 'LOCATOR'))).toEqual([
      `/services/data/v${version}/query`, `/services/data/v${version}/query/LOCATOR-2000`, `/services/data/v${version}/query/LOCATOR-4000`,
    ]);

    sf.control.clearCalls();
    const small = await conn.query('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 100_000, headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    expect(small.records).toHaveLength(4_321);
    expect(sf.control.calls().filter((c) => c.path.includes('/query'))).toHaveLength(9);
  });

  it('filters, sorts and limits with the SOQL subset, parent fields included', async () => {
    const conn = connect();
    const won = await conn.query<{ Name: string; Amount: number; IsWon: boolean; Account: { Name: string } | null }>(
      "SELECT Name, Amount, IsWon, Account.Name FROM Opportunity WHERE StageName = 'Closed Won' AND Amount >= 100 ORDER BY Amount DESC LIMIT 5",
    );
    expect(won.records.length).toBeGreaterThan(0);
    expect(won.records.every((r) => r.IsWon)).toBe(true);
    const amounts = won.records.map((r) => r.Amount);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(typeof won.records[0]!.Account?.Name).toBe('string');

    const since = await conn.query(`SELECT Id FROM Contact WHERE SystemModstamp > ${new Date(now - 60_000).toISOString()}`);
    expect(since.totalSize).toBe(0);
    const liked = await conn.query<{ Email: string }>("SELECT Email FROM Contact WHERE Email LIKE '%.example' AND (Title IN ('CEO', 'CTO') OR Title = 'CFO')");
    expect(liked.totalSize).toBeGreaterThan(0);

    expect((await failure(conn.query('SELECT Nope FROM Contact'))).name).toBe('INVALID_FIELD');
    expect((await failure(conn.query('SELECT Id FROM Nope'))).name).toBe('INVALID_TYPE');
    expect((await failure(conn.query("SELECT Id FROM Contact WHERE SystemModstamp > '2024-01-01'"))).name).toBe('MALFORMED_QUERY');
  });

  it('shows deletions through queryAll and getDeleted, changes through getUpdated', async () => {
    const conn = connect();
    const start = new Date(now - 5 * 60_000);
    const [first, second] = sf.control.records('Contact') as Array<{ Id: string }>;
    await conn.sobject('Contact').destroy(first!.Id);
    sf.control.update('Contact', second!.Id, { Title: 'Chief Revenue Officer' });
    now += 2 * 60_000; // the window covers whole minutes up to the present one
    const end = new Date(now);
    const deleted = await conn.sobject('Contact').deleted(start, end);
    expect(deleted.deletedRecords.map((d) => d.id)).toEqual([first!.Id]);
    const updated = await conn.sobject('Contact').updated(start, end);
    expect(updated.ids).toEqual([second!.Id]);
    const visible = await conn.query(`SELECT Id FROM Contact WHERE Id = '${first!.Id}'`);
    expect(visible.totalSize).toBe(0);
    const withDeleted = await conn.query<{ IsDeleted: boolean }>(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${first!.Id}'`, { scanAll: true });
    expect(withDeleted.records[0]!.IsDeleted).toBe(true);
  });
});

describe('describe and writes', () => {
  it('describes fields with their types and picklist values', async () => {
    const conn = connect();
    const opportunity = await conn.describe('Opportunity');
    const stage = opportunity.fields.find((f) => f.name === 'StageName')!;
    expect(stage.type).toBe('picklist');
    expect(stage.picklistValues!.map((p) => p.value)).toContain('Closed Won');
    expect(opportunity.fields.find((f) => f.name === 'Amount')!.type).toBe('currency');
    const stages = await conn.query<{ MasterLabel: string; IsWon: boolean }>('SELECT MasterLabel, IsWon FROM OpportunityStage WHERE IsClosed = true');
    expect(stages.records.map((s) => [s.MasterLabel, s.IsWon])).toEqual([['Closed Won', true], ['Closed Lost', false]]);
  });

  it('creates and updates with collections, answering per record; allOrNone rolls everything back', async () => {
    const conn = connect();
    const results = await conn.sobject('Contact').create([{ LastName: 'Valid', Email: 'valid@ok.example' }, { FirstName: 'No last name' }, { LastName: 'Bad', Email: 'not-an-email' }]);
    expect(results.map((r) => r.success)).toEqual([true, false, false]);
    const errors = results.map((r) => (r.success ? null : (r.errors[0] as unknown as { statusCode: string }).statusCode));
    expect(errors).toEqual([null, 'REQUIRED_FIELD_MISSING', 'INVALID_EMAIL_ADDRESS']);
    const created = results[0] as { id: string };
    expect((await conn.sobject('Contact').retrieve(created.id)).Name).toBe('Valid');

    const before = (await conn.query('SELECT COUNT() FROM Contact')).totalSize;
    const rolled = await conn.sobject('Contact').create([{ LastName: 'Kept?' }, { Email: 'x@y.example' }], { allOrNone: true });
    expect(rolled.map((r) => (r.success ? 'ok' : (r.errors[0] as unknown as { statusCode: string }).statusCode))).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'REQUIRED_FIELD_MISSING']);
    expect((await conn.query('SELECT COUNT() FROM Contact')).totalSize).toBe(before);
  });

  it('writes OpportunityHistory when a stage moves', async () => {
    const conn = connect();
    const opportunity = (await conn.query<{ Id: string }>("SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 1")).records[0]!;
    const history = async () => (await conn.query<{ StageName: string }>(`SELECT StageName FROM OpportunityHistory WHERE OpportunityId = '${opportunity.Id}' ORDER BY CreatedDate`)).records.map((h) => h.StageName);
    const before = await history();
    await conn.sobject('Opportunity').update({ Id: opportunity.Id, StageName: 'Closed Won' });
    expect(await history()).toEqual([...before, 'Closed Won']);
    const after = await conn.sobject('Opportunity').retrieve(opportunity.Id);
    expect([after.IsWon, after.Probability]).toEqual([true, 100]);
  });

  it('rejects a write a validation rule forbids, with Salesforce error codes', async () => {
    const conn = connect();
    sf.control.addValidationRule({ type: 'Contact', field: 'Title', message: 'Title may not be Intern', rejectIf: { equals: 'Intern' } });
    const contact = (sf.control.records('Contact') as Array<{ Id: string }>)[0]!;
    const error = await failure(conn.sobject('Contact').update({ Id: contact.Id, Title: 'Intern' }));
    expect([error.name, error.message]).toEqual(['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Title may not be Intern']);
    expect((await failure(conn.sobject('Contact').update({ Id: contact.Id, Nope: 1 }))).name).toBe('INVALID_FIELD');
    expect((await failure(conn.sobject('Contact').retrieve('003000000000000AAA'))).name).toBe('NOT_FOUND');
  });
});

describe('faults and limits', () => {
  it('reports api usage in Sforce-Limit-Info and refuses past the daily allowance', async () => {
    const conn = connect();
    sf.control.setLimits({ dailyApiRequests: 3 });
    await conn.query('SELECT Id FROM User');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 3 });
    await conn.query('SELECT Id FROM User');
    await conn.query('SELECT Id FROM User');
    const error = await failure(conn.query('SELECT Id FROM User'));
    expect(error.name).toBe('REQUEST_LIMIT_EXCEEDED');
    expect((await conn.limits().catch((e: Error) => e)) instanceof Error).toBe(true);
    sf.control.setLimits({ dailyApiRequests: 15_000 });
  });

  it('refuses requests past the concurrency limit', async () => {
    const conn = connect();
    sf.control.setLimits({ concurrency: 2, latencyMs: 150 });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => conn.query('SELECT Id FROM User')));
    sf.control.setLimits({ concurrency: 25, latencyMs: 0 });
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.name);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(['REQUEST_LIMIT_EXCEEDED']));
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(2);
  });

  it('answers 503 and 403 bursts in Salesforce format; jsforce retries reads, not writes', async () => {
    const conn = connect();
    sf.control.fault({ kind: 'status', status: 503, times: 2, match: { path: '/query' } });
    expect((await conn.query('SELECT Id FROM User')).totalSize).toBe(5);
    expect(sf.control.calls().map((c) => c.status)).toEqual([503, 503, 200]);

    sf.control.fault({ kind: 'status', status: 500, match: { method: 'POST' } });
    const error = await failure(conn.sobject('Account').create({ Name: 'Not created' }));
    expect(error.name).toBe('UNKNOWN_EXCEPTION');
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Not created'")).totalSize).toBe(0);

    sf.control.fault({ kind: 'status', status: 403, match: { method: 'PATCH' } });
    const account = (sf.control.records('Account') as Array<{ Id: string }>)[0]!;
    expect((await failure(conn.sobject('Account').update({ Id: account.Id, Name: 'x' }))).name).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  it('drops a request (jsforce retries the read) and cuts a page mid-body (jsforce never settles: callers need their own timeout)', async () => {
    const conn = connect();
    sf.control.fault({ kind: 'timeout', ms: 100, match: { path: /\/query\/.+-2000/ } });
    const all = await conn.query('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 100_000 });
    expect(all.records).toHaveLength(4_321);
    expect(sf.control.calls().map((c) => c.status)).toEqual([200, 0, 200, 200]);

    // jsforce pipes the body without forwarding its error, so a cut page leaves the promise pending.
    sf.control.fault({ kind: 'resetMidBody', match: { path: /\/query\/.+-2000/ } });
    const cut = await Promise.race([
      conn.query('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 100_000 }).then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('still pending'), 1_500)),
    ]);
    expect(cut).toBe('still pending');
    const retried = await conn.query('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 100_000 });
    expect(retried.records).toHaveLength(4_321);
  });

  it('leaves a record deleted between two pages out of the later page', async () => {
    const conn = connect();
    const ids = (await conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Id', { autoFetch: true, maxFetch: 100_000 })).records.map((r) => r.Id);
    sf.control.fault({ kind: 'hook', match: { path: /\/query\/.+-2000/ }, run: () => sf.control.remove('Contact', ids[3_000]!) });
    const paged = await conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Id', { autoFetch: true, maxFetch: 100_000 });
    expect(paged.totalSize).toBe(4_321);
    expect(paged.records).toHaveLength(4_320);
    expect(paged.records.map((r) => r.Id)).not.toContain(ids[3_000]);
  });

  it('makes a deleted or renamed field fail the query that names it, and answers describe without it', async () => {
    const conn = connect();
    sf.control.deleteField('Contact', 'Title');
    sf.control.renameField('Contact', 'Phone', 'Phone_Number__c');
    expect((await failure(conn.query('SELECT Id, Title FROM Contact'))).name).toBe('INVALID_FIELD');
    const fields = (await conn.describe('Contact')).fields.map((f) => f.name);
    expect(fields).not.toContain('Title');
    expect(fields).toContain('Phone_Number__c');
    const renamed = await conn.query<{ Phone_Number__c: string }>('SELECT Phone_Number__c FROM Contact LIMIT 1');
    expect(renamed.records[0]!.Phone_Number__c).toMatch(/^\+1 555/);
  });

  it('answers an expired direct token with INVALID_SESSION_ID when there is nothing to refresh with', async () => {
    const { accessToken } = sf.control.issueToken();
    const conn = new jsforce.Connection({ instanceUrl: sf.url, accessToken, version });
    sf.control.expireAccessTokens();
    expect((await failure(conn.query('SELECT Id FROM User'))).name).toBe('INVALID_SESSION_ID');
  });
});
