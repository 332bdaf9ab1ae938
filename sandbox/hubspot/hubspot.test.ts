// The HubSpot stand-in as @hubspot/api-client sees it: OAuth and private-app tokens, paging,
// properties and pipelines, batches with per-record errors, search and its window, rate limits,
// faults, associations and signed webhooks.
import { createServer } from 'node:http';
import { Client, Signature } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX_APP, startHubSpotSandbox, type HubSpotSandbox } from './index.ts';

let hs: HubSpotSandbox;
const redirectUri = 'http://localhost:8787/api/v1/crm/oauth/hubspot/callback';
const { clientId, clientSecret } = HUBSPOT_SANDBOX_APP;

beforeAll(async () => {
  hs = await startHubSpotSandbox({ seed: 3, volume: { companies: 40, contacts: 1_234, deals: 60, activities: 150 } });
});
afterAll(() => hs.close());
beforeEach(() => {
  hs.control.reset();
  hs.control.setLimits({ perTenSeconds: 190, searchPerSecond: 5, daily: 250_000, latencyMs: 0 });
});

const privateClient = (retries = 0) => new Client({ accessToken: hs.control.privateAppToken(), basePath: hs.url, numberOfApiCallRetries: retries });
/** ApiException as the client throws it: code, parsed body, headers. */
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code: number; body: { category?: string; message?: string; policyName?: string; errors?: unknown[] }; headers: Record<string, string> };
  }
  throw new Error('expected the call to fail');
};

describe('OAuth', () => {
  it('runs the code flow, introspects, refreshes, and refuses a revoked grant', async () => {
    const authorize = `${hs.url}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=crm.objects.contacts.read&state=abc`;
    const location = new URL(await hs.control.consent(authorize, 'allow'));
    expect(location.searchParams.get('state')).toBe('abc');
    const oauth = new Client({ basePath: hs.url });
    const tokens = await oauth.oauth.tokensApi.create('authorization_code', location.searchParams.get('code')!, redirectUri, clientId, clientSecret);
    expect(tokens.expiresIn).toBe(1800);
    const info = await oauth.oauth.accessTokensApi.get(tokens.accessToken);
    expect([info.hubId, info.appId]).toEqual([4_000_001, HUBSPOT_SANDBOX_APP.appId]);

    const client = new Client({ accessToken: tokens.accessToken, basePath: hs.url, numberOfApiCallRetries: 0 });
    expect((await client.crm.contacts.basicApi.getPage(5)).results).toHaveLength(5);
    hs.control.expireAccessTokens();
    const expired = await failure(client.crm.contacts.basicApi.getPage(5));
    expect([expired.code, expired.body.category]).toEqual([401, 'EXPIRED_AUTHENTICATION']);

    const refreshed = await oauth.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, tokens.refreshToken);
    client.setAccessToken(refreshed.accessToken);
    expect((await client.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);

    await oauth.oauth.refreshTokensApi.archive(tokens.refreshToken);
    const revoked = await failure(oauth.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, tokens.refreshToken));
    expect([revoked.code, (revoked.body as { status?: string }).status]).toEqual([400, 'BAD_REFRESH_TOKEN']);
    expect((await failure(client.crm.contacts.basicApi.getPage(1))).body.category).toBe('INVALID_AUTHENTICATION');
  });

  it('redirects a user who denies with access_denied', async () => {
    const location = new URL(await hs.control.consent(`${hs.url}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=oauth&state=s`, 'deny'));
    expect(location.searchParams.get('error')).toBe('access_denied');
  });
});

describe('reads', () => {
  it('pages contacts to the end with after cursors', async () => {
    const client = privateClient();
    const ids = new Set<string>();
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.contacts.basicApi.getPage(100, after, ['email', 'firstname']);
      page.results.forEach((r) => ids.add(r.id));
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    expect([ids.size, pages]).toEqual([1_234, 13]);
    expect((await client.crm.contacts.getAll(100)).length).toBe(1_234);
  });

  it('answers properties with types and options, and deal pipelines with won/lost metadata', async () => {
    const client = privateClient();
    const properties = (await client.crm.properties.coreApi.getAll('contacts')).results;
    const lifecycle = properties.find((p) => p.name === 'lifecyclestage')!;
    expect([lifecycle.type, lifecycle.fieldType]).toEqual(['enumeration', 'select']);
    expect(lifecycle.options.map((o) => o.value)).toContain('customer');
    const pipeline = (await client.crm.pipelines.pipelinesApi.getAll('deals')).results[0]!;
    const closed = pipeline.stages.filter((s) => s.metadata?.isClosed === 'true').map((s) => [s.id, s.metadata?.probability]);
    expect(closed).toEqual([['closedwon', '1.0'], ['closedlost', '0.0']]);
    const owners = await client.crm.owners.ownersApi.getPage();
    expect(owners.results.map((o) => o.email)).toContain('riley.park@sandbox-sales.test');
  });

  it('keeps deal stage history and associations', async () => {
    const client = privateClient();
    const won = (hs.control.records('deals') as Array<{ id: string; properties: Record<string, string> }>).find((d) => d.properties.dealstage === 'closedwon')!;
    const deal = await client.crm.deals.basicApi.getById(won.id, ['dealstage'], ['dealstage']);
    const history = deal.propertiesWithHistory!.dealstage!.map((h) => h.value);
    expect(history[0]).toBe('closedwon');
    expect(history.at(-1)).toBe('appointmentscheduled');
    hs.control.update('deals', won.id, { amount: '12345' });
    const amounts = (await client.crm.deals.basicApi.getById(won.id, ['amount'], ['amount'])).propertiesWithHistory!.amount!.map((h) => h.value);
    expect(amounts).toEqual(['12345', won.properties.amount]);
    const contacts = await client.crm.associations.v4.basicApi.getPage('deals', won.id, 'contacts');
    expect(contacts.results.length).toBeGreaterThan(0);
    expect(contacts.results[0]!.associationTypes[0]!.typeId).toBe(3);
  });
});

describe('writes', () => {
  it('creates, updates and archives; archived records are listed only with archived=true', async () => {
    const client = privateClient();
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'new.person@acme.example', firstname: 'New' }, associations: [] });
    await client.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'CTO' } });
    expect((await client.crm.contacts.basicApi.getById(created.id, ['jobtitle'])).properties.jobtitle).toBe('CTO');
    await client.crm.contacts.basicApi.archive(created.id);
    expect((await failure(client.crm.contacts.basicApi.getById(created.id))).body.category).toBe('OBJECT_NOT_FOUND');
    const archived = await client.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((r) => r.id)).toEqual([created.id]);
    const duplicate = await failure(client.crm.contacts.basicApi.create({ properties: { email: (hs.control.records('contacts')[0]!.properties.email)! }, associations: [] }));
    expect([duplicate.code, duplicate.body.category]).toEqual([409, 'CONFLICT']);
  });

  it('merges two contacts: the other id reads as the primary, is listed as archived and moves its associations', async () => {
    const client = privateClient();
    const [primary, other] = hs.control.records('contacts') as Array<{ id: string }>;
    const companiesBefore = (await client.crm.associations.v4.basicApi.getPage('contacts', other!.id, 'companies')).results.map((r) => String(r.toObjectId));
    const merged = await client.crm.contacts.basicApi.merge({ primaryObjectId: primary!.id, objectIdToMerge: other!.id });
    expect(merged.id).toBe(primary!.id);
    expect(merged.properties.hs_merged_object_ids).toBe(other!.id);
    expect((await client.crm.contacts.basicApi.getById(other!.id)).id).toBe(primary!.id);
    const archived = await client.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((r) => r.id)).toEqual([other!.id]);
    const companiesAfter = (await client.crm.associations.v4.basicApi.getPage('contacts', primary!.id, 'companies')).results.map((r) => String(r.toObjectId));
    expect(companiesAfter).toEqual(expect.arrayContaining(companiesBefore));
  });

  it('answers batches: 207 with per-record errors for missing ids, 400 for invalid values (nothing written)', async () => {
    const client = privateClient();
    const [a, b] = hs.control.records('contacts') as Array<{ id: string }>;
    const read = await client.crm.contacts.batchApi.read({ inputs: [{ id: a!.id }, { id: '999999' }], properties: ['email'], propertiesWithHistory: [] });
    expect(read.results.map((r) => r.id)).toEqual([a!.id]);
    expect((read as { errors?: Array<{ category: string }> }).errors?.[0]?.category).toBe('OBJECT_NOT_FOUND');

    const updated = await client.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: { jobtitle: 'VP' } }, { id: '999999', properties: { jobtitle: 'VP' } }] });
    expect(updated.results.map((r) => r.id)).toEqual([a!.id]);
    expect((updated as { numErrors?: number }).numErrors).toBe(1);

    const invalid = await failure(client.crm.contacts.batchApi.update({ inputs: [{ id: b!.id, properties: { jobtitle: 'Kept?' } }, { id: a!.id, properties: { lifecyclestage: 'nonsense' } }] }));
    expect([invalid.code, invalid.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(hs.control.get('contacts', b!.id)!.properties.jobtitle).not.toBe('Kept?');
    const tooMany = await failure(client.crm.contacts.batchApi.create({ inputs: Array.from({ length: 101 }, (_, i) => ({ properties: { email: `bulk${i}@x.example` }, associations: [] })) }));
    expect(tooMany.code).toBe(400);
    const created = await client.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'one@x.example' }, associations: [] }, { properties: { email: 'two@x.example' }, associations: [] }] });
    expect(created.results).toHaveLength(2);
  });

  it('rejects values a validation rule or a property type refuses, and writes to a deleted property', async () => {
    const client = privateClient();
    const deal = hs.control.records('deals')[0]!;
    hs.control.addValidationRule({ type: 'deals', field: 'amount', message: 'Amount must be set before Contract Sent', rejectIf: 'blank' });
    const rule = await failure(client.crm.deals.basicApi.update(deal.id, { properties: { amount: '' } }));
    expect([rule.code, rule.body.category, rule.body.message]).toEqual([400, 'VALIDATION_ERROR', 'Amount must be set before Contract Sent']);
    const typed = await failure(client.crm.deals.basicApi.update(deal.id, { properties: { amount: 'lots' } }));
    expect(typed.body.message).toContain('INVALID_INTEGER');

    hs.control.deleteField('contacts', 'jobtitle');
    const contact = hs.control.records('contacts')[0]!;
    // A deleted property silently disappears from reads, as in HubSpot; writes name it.
    expect((await client.crm.contacts.basicApi.getById(contact.id, ['jobtitle', 'email'])).properties).not.toHaveProperty('jobtitle');
    const write = await failure(client.crm.contacts.basicApi.update(contact.id, { properties: { jobtitle: 'CEO' } }));
    expect(write.body.message).toContain('PROPERTY_DOESNT_EXIST');
  });
});

describe('search', () => {
  it('filters and sorts by modification time, pages with after, and refuses past 10,000 results', async () => {
    const client = privateClient();
    const contact = hs.control.records('contacts')[5]!;
    const since = Date.now() - 1;
    hs.control.update('contacts', contact.id, { jobtitle: 'Head of RevOps' });
    const changed = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(since) }] }],
      sorts: ['lastmodifieddate'], properties: ['jobtitle'], limit: 100, after: '0',
    });
    expect(changed.results.map((r) => [r.id, r.properties.jobtitle])).toEqual([[contact.id, 'Head of RevOps']]);

    const page = await client.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [], properties: ['email'], limit: 200, after: '1000' });
    expect([page.total, page.results.length, page.paging?.next?.after]).toEqual([1_234, 200, '1200']);
    const past = await failure(client.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [], properties: [], limit: 100, after: '9950' }));
    expect([past.code, past.body.category]).toEqual([400, 'VALIDATION_ERROR']);
  });
});

describe('rate limits and faults', () => {
  it('sends the rate-limit headers and answers 429 past the ten-second allowance', async () => {
    hs.control.setLimits({ perTenSeconds: 4 });
    const client = privateClient();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await client.crm.contacts.basicApi.getPageWithHttpInfo(1);
      seen.push(reply.headers['x-hubspot-ratelimit-remaining']!);
      expect(reply.headers['x-hubspot-ratelimit-max']).toBe('4');
      expect(reply.headers['x-hubspot-ratelimit-daily']).toBe('250000');
    }
    expect(seen).toEqual(['3', '2', '1', '0']);
    const limited = await failure(client.crm.contacts.basicApi.getPage(1));
    expect([limited.code, limited.body.category, limited.body.policyName]).toEqual([429, 'RATE_LIMITS', 'TEN_SECONDLY_ROLLING']);
    expect(limited.headers['x-hubspot-ratelimit-remaining']).toBe('0');
  });

  it('limits search to 5 requests a second with the secondly message', async () => {
    const client = privateClient();
    const body = { filterGroups: [], sorts: [], properties: [], limit: 1, after: '0' };
    const outcomes = await Promise.allSettled(Array.from({ length: 7 }, () => client.crm.contacts.searchApi.doSearch(body)));
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.body.message);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(new Set(refused)).toEqual(new Set(['You have reached your secondly limit.']));
  });

  it('omits the daily headers for OAuth tokens', async () => {
    const client = new Client({ accessToken: hs.control.issueToken().accessToken, basePath: hs.url, numberOfApiCallRetries: 0 });
    const reply = await client.crm.companies.basicApi.getPageWithHttpInfo(1);
    expect(reply.headers['x-hubspot-ratelimit-max']).toBe('190');
    expect(reply.headers).not.toHaveProperty('x-hubspot-ratelimit-daily');
  });

  it('answers 500/503 and 429 bursts in HubSpot format; the client retries them when asked to', async () => {
    hs.control.fault({ kind: 'status', status: 503, match: { path: '/crm/v3/objects/deals' } });
    const unavailable = await failure(privateClient().crm.deals.basicApi.getPage(1));
    expect([unavailable.code, unavailable.body.category]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    hs.control.fault({ kind: 'status', status: 500, times: 2, match: { path: '/crm/v3/objects/deals' } });
    expect((await privateClient(3).crm.deals.basicApi.getPage(1)).results).toHaveLength(1);
    hs.control.fault({ kind: 'status', status: 429, match: { path: '/crm/v3/objects/deals' } });
    const limited = await failure(privateClient().crm.deals.basicApi.getPage(1));
    expect([limited.code, limited.body.policyName]).toEqual([429, 'TEN_SECONDLY_ROLLING']);
  });

  it('drops and cuts connections: the client rejects with a network error', async () => {
    const client = privateClient();
    hs.control.fault({ kind: 'reset', match: { path: '/crm/v3/objects/companies' } });
    await expect(client.crm.companies.basicApi.getPage(1)).rejects.toThrow();
    hs.control.fault({ kind: 'timeout', ms: 200, match: { path: '/crm/v3/objects/companies' } });
    await expect(client.crm.companies.basicApi.getPage(1)).rejects.toThrow();
    hs.control.fault({ kind: 'resetMidBody', match: { path: '/crm/v3/objects/companies' } });
    await expect(client.crm.companies.basicApi.getPage(100)).rejects.toThrow();
    expect((await client.crm.companies.basicApi.getPage(100)).results).toHaveLength(40);
  });
});

describe('webhooks', () => {
  it('delivers changes signed v3 with the app secret, as the client library checks them', async () => {
    const received: Array<{ url: string; body: string; headers: Record<string, string | string[] | undefined> }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ url: req.url!, body, headers: req.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address() as { port: number };
    const url = `http://127.0.0.1:${address.port}/api/v1/crm/webhooks/hubspot`;
    hs.control.subscribeWebhooks({ url, events: ['contact.propertyChange', 'deal.creation'] });
    const contact = hs.control.records('contacts')[0]!;
    hs.control.update('contacts', contact.id, { jobtitle: 'Chief of Staff' });
    await privateClient().crm.deals.basicApi.create({ properties: { dealname: 'Webhook deal', pipeline: 'default', dealstage: 'appointmentscheduled' }, associations: [] });
    await hs.control.flushWebhooks();
    receiver.close();

    const events = received.flatMap((r) => JSON.parse(r.body) as Array<{ subscriptionType: string; objectId: number; propertyName?: string; propertyValue?: string; changeSource: string }>);
    expect(events.map((e) => [e.subscriptionType, e.changeSource])).toEqual([['contact.propertyChange', 'CRM_UI'], ['deal.creation', 'INTEGRATION']]);
    expect(events[0]).toMatchObject({ objectId: Number(contact.id), propertyName: 'jobtitle', propertyValue: 'Chief of Staff' });
    for (const r of received) {
      const valid = Signature.isValid({
        signatureVersion: 'v3', method: 'POST', clientSecret, requestBody: r.body, url,
        signature: String(r.headers['x-hubspot-signature-v3']), timestamp: Number(r.headers['x-hubspot-request-timestamp']),
      });
      expect(valid).toBe(true);
    }
    hs.control.unsubscribeWebhooks();
  });
});
