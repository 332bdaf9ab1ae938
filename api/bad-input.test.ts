// Bad input on every route gets a 4xx with { error: { code, message } }, never a 500, and
// changes nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/client.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
let routes: { method: string; path: string; hasBody: boolean; hasQuery: boolean }[];
let trackedMessageId: string;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Sloppy');
  trackedMessageId = (await t.request('POST', '/api/v1/tracking/messages', { as: f.admin, body: { to: [f.contactEmail], html: '<p>Hi</p>' } })).body.trackedMessageId;
  const doc = await t.request('GET', '/api/v1/openapi.json');
  routes = Object.entries(doc.body.paths as Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string }[] }>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      hasBody: Boolean(op.requestBody),
      hasQuery: (op.parameters ?? []).some((p) => p.in === 'query'),
    })),
  );
});
afterAll(() => t.close());

/** A count of every row in the organization's tables: bad requests must leave it unchanged. */
async function snapshot() {
  const rows = rowsOf<{ n: number; t: string }>(
    await t.database.db.execute(sql`
      select 'contacts' t, count(*)::int n from contacts union all select 'companies', count(*)::int from companies
      union all select 'deals', count(*)::int from deals union all select 'activities', count(*)::int from activities
      union all select 'links', count(*)::int from activity_links union all select 'history', count(*)::int from deal_stage_history
      union all select 'audit', count(*)::int from audit_log union all select 'stages', count(*)::int from pipeline_stages
      union all select 'members', count(*)::int from memberships union all select 'invitations', count(*)::int from invitations
      union all select 'updated', count(*)::int from contacts where updated_at > created_at
      union all select 'tracked', count(*)::int from tracked_messages union all select 'tracked sent', count(*)::int from tracked_messages where message_id is not null
      union all select 'consents', count(*)::int from tracking_consents union all select 'tracking settings', count(*)::int from tracking_settings
      union all select 'sender views', count(*)::int from sender_views`),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

const ownPath = (path: string) =>
  '/api/v1' +
  path
    .replace('{id}', ({ contacts: f.contactId, companies: f.companyId, deals: f.dealId, activities: f.activityId, tasks: f.taskId, pipelines: f.pipelineId, invitations: f.invitationId, 'api-keys': f.apiKeyId, teams: f.teamId, tracking: trackedMessageId } as Record<string, string>)[path.split('/')[1]!] ?? f.contactId)
    .replace('{userId}', f.rep.userId)
    .replace('{stageId}', f.stageIds[0]!)
    // Ids of records this fixture has none of (a CRM conflict, a workflow run): a well-formed one.
    .replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');

const expectClientError = (res: { status: number; body: any }, label: string, code?: string) => {
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  expect(typeof res.body.error?.code, label).toBe('string');
  expect(typeof res.body.error?.message, label).toBe('string');
  if (code) expect(res.body.error.code, label).toBe(code);
};

describe('every route', () => {
  it('answers malformed JSON, a JSON array, a string and null with 400 and changes nothing', async () => {
    const before = await snapshot();
    const withBody = routes.filter((r) => r.hasBody);
    expect(withBody.length).toBeGreaterThanOrEqual(20);
    for (const route of withBody) {
      const path = route.path.startsWith('/') ? ownPath(route.path) : route.path;
      const label = `${route.method} ${route.path}`;
      expectClientError(await t.request(route.method, path, { as: f.admin, raw: '{"name": "x",' }), `${label} malformed`, 'INVALID_JSON');
      expectClientError(await t.request(route.method, path, { as: f.admin, raw: '[1,2]' }), `${label} array`, 'VALIDATION_FAILED');
      expectClientError(await t.request(route.method, path, { as: f.admin, raw: '"text"' }), `${label} string`, 'VALIDATION_FAILED');
      expectClientError(await t.request(route.method, path, { as: f.admin, raw: 'null' }), `${label} null`, 'VALIDATION_FAILED');
      expectClientError(await t.request(route.method, path, { as: f.admin, body: { unexpectedField: 1, name: 7, email: 7, subject: 7 } }), `${label} wrong types`);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers an id that is not a UUID with 400 and an unknown UUID with 404', async () => {
    const withIds = routes.filter((r) => r.path.includes('{'));
    for (const route of withIds) {
      const body = route.hasBody ? {} : undefined;
      const malformed = '/api/v1' + route.path.replace(/\{\w+\}/g, 'not-a-uuid');
      expectClientError(await t.request(route.method, malformed, { as: f.admin, body }), `${route.method} ${malformed}`, 'VALIDATION_FAILED');
      if (route.hasBody) continue; // an empty body may fail validation before the lookup
      const unknown = '/api/v1' + route.path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.request(route.method, unknown, { as: f.admin });
      expect(res.status, `${route.method} ${unknown}`).toBe(404);
    }
  });

  it('answers bad query values with 400', async () => {
    const lists = routes.filter((r) => r.method === 'GET' && r.hasQuery);
    expect(lists.length).toBeGreaterThanOrEqual(6);
    for (const route of lists) {
      if (route.path === '/context') continue;
      for (const query of ['limit=abc', 'limit=0', 'limit=100000', 'cursor=garbage', 'deleted=maybe']) {
        expectClientError(await t.request('GET', `/api/v1${route.path}?${query}`, { as: f.admin }), `${route.path}?${query}`, 'VALIDATION_FAILED');
      }
    }
  });

  it('refuses requests without credentials or with a bad token with 401', async () => {
    for (const route of routes.filter((r) => !['/signup', '/session', '/invitations/accept', '/openapi.json'].includes(r.path) || r.method === 'DELETE')) {
      const path = ownPath(route.path);
      expectClientError(await t.request(route.method, path, {}), `${route.method} ${route.path} anonymous`, 'UNAUTHENTICATED');
      expectClientError(await t.request(route.method, path, { as: 'crm_forged' }), `${route.method} ${route.path} forged key`, 'UNAUTHENTICATED');
      expectClientError(await t.request(route.method, path, { as: 'garbage-session' }), `${route.method} ${route.path} bad session`, 'UNAUTHENTICATED');
    }
  });
});

describe('field by field', () => {
  const long = (n: number) => 'x'.repeat(n);
  it.each([
    ['POST', '/contacts', { email: 'not-an-email' }],
    ['POST', '/contacts', { email: `${long(400)}@x.com` }],
    ['POST', '/contacts', { email: 'ok@x.com', firstName: long(201) }],
    ['POST', '/contacts', { email: 'ok@x.com', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    ['POST', '/contacts', { email: 'ok@x.com', tags: [long(51)] }],
    ['POST', '/contacts', { email: 'ok@x.com', customFields: { nested: { no: 1 } } }],
    ['POST', '/contacts', { email: 'ok@x.com', companyId: 'nope' }],
    ['POST', '/companies', { name: '' }],
    ['POST', '/companies', { name: 'X', domain: 'not a domain' }],
    ['POST', '/deals', { name: 'X', valueCents: -1 }],
    ['POST', '/deals', { name: 'X', valueCents: 1.5 }],
    ['POST', '/deals', { name: 'X', currency: 'dollars' }],
    ['POST', '/deals', { name: 'X', currency: 'ABC' }],
    ['POST', '/deals', { name: 'X', currency: 'usd' }],
    ['PATCH', `/deals/00000000-0000-4000-8000-000000000000`, { currency: 'XYZ' }],
    ['POST', '/deals', { name: 'X', probability: 101 }],
    ['POST', '/deals', { name: 'X', expectedCloseDate: '2026-13-45' }],
    ['POST', '/deals', { name: long(201) }],
    ['POST', '/activities', { type: 'fax' }],
    ['POST', '/activities', { type: 'note', body: long(100_001) }],
    ['POST', '/activities', { type: 'note', occurredAt: 'yesterday' }],
    ['POST', '/tasks', { subject: '' }],
    ['POST', '/tasks', { subject: 'x', dueAt: '2026-01-01' }],
    ['POST', '/emails', { messageId: '<a@b>', from: 'x@y.com', sentAt: 'now', direction: 'outbound' }],
    ['POST', '/emails', { messageId: '<a@b>', from: 'x@y.com', sentAt: '2026-01-01T00:00:00Z', direction: 'sideways' }],
    ['POST', '/emails', { messageId: '', from: 'x@y.com', sentAt: '2026-01-01T00:00:00Z', direction: 'inbound' }],
    ['POST', '/emails', { messageId: '<a@b>', from: 'x@y.com', to: Array(501).fill('a@b.co'), sentAt: '2026-01-01T00:00:00Z', direction: 'inbound' }],
    ['POST', '/signup', { name: 'X', email: 'x@y.com', password: 'short', organizationName: 'X' }],
    ['POST', '/invitations', { email: 'x@y.com', role: 'owner' }],
    ['POST', '/api-keys', { name: long(101) }],
    ['POST', '/tracking/messages', { to: ['not-an-email'], html: '<p>x</p>' }],
    ['POST', '/tracking/messages', { to: ['a@b.co'], html: 7 }],
    ['POST', '/tracking/messages', { to: ['a@b.co'], html: long(900_001) }],
    ['POST', '/tracking/messages', { to: Array(101).fill('a@b.co'), html: '<p>x</p>' }],
    ['POST', '/tracking/decision', { to: 'a@b.co' }],
    ['POST', '/tracking/sender-views', { messageIds: [] }],
    ['POST', '/tracking/sender-views', { messageIds: [long(999)] }],
    ['PATCH', '/tracking/settings', { retentionDays: 0 }],
    ['PATCH', '/tracking/settings', { retentionDays: 3651 }],
    ['PATCH', '/tracking/settings', { policy: { mode: 'sometimes' } }],
    ['PATCH', '/tracking/settings', { policy: { mode: 'full', countryOverrides: { france: 'off' } } }],
    ['PATCH', '/tracking/settings', { trackByDefault: 'yes' }],
    ['PUT', '/tracking/consents', { email: 'nope', consented: true }],
    ['PUT', '/tracking/consents', { email: 'a@b.co' }],
  ])('%s %s %j → 400', async (method, path, body) => {
    const before = await snapshot();
    expectClientError(await t.request(method, `/api/v1${path}`, { as: f.admin, body }), `${method} ${path}`);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['no message ids', '/tracking/messages?messageIds=,'],
    ['too many message ids', `/tracking/messages?messageIds=${Array.from({ length: 101 }, (_, i) => `m${i}`).join(',')}`],
    ['an unknown parameter', '/tracking/messages?messageIds=a&sender=me'],
    ['no thread ids', '/tracking/threads'],
    ['empty thread ids', '/tracking/threads?threadIds='],
  ])('tracking lists with %s → 400', async (_label, path) => {
    expectClientError(await t.request('GET', `/api/v1${path}`, { as: f.admin }), path, 'VALIDATION_FAILED');
  });

  it('reporting a tracked message sent with a bad body changes nothing', async () => {
    const before = await snapshot();
    for (const body of [{}, { messageId: '' }, { messageId: 'x', sentAt: 'yesterday' }, { messageId: 'x', threadId: long(999) }, { messageId: 'x', extra: 1 }]) {
      expectClientError(await t.request('POST', `/api/v1/tracking/messages/${trackedMessageId}/sent`, { as: f.admin, body }), JSON.stringify(body), 'VALIDATION_FAILED');
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['emails', '/context?emails='],
    ['too many', `/context?emails=${Array.from({ length: 51 }, (_, i) => `p${i}@x.com`).join(',')}`],
  ])('context lookup with %s → 400', async (_label, path) => {
    expectClientError(await t.request('GET', `/api/v1${path}`, { as: f.admin }), path, 'VALIDATION_FAILED');
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await t.request('POST', '/api/v1/activities', { as: f.admin, raw: JSON.stringify({ type: 'note', body: 'x'.repeat(1_100_000) }) });
    expectClientError(res, 'huge body', 'PAYLOAD_TOO_LARGE');
    expect(res.status).toBe(413);
  });

  it('rejects a PATCH that would half-apply: a valid field next to a bad reference changes nothing', async () => {
    const before = await t.request('GET', `/api/v1/deals/${f.dealId}`, { as: f.admin });
    const res = await t.request('PATCH', `/api/v1/deals/${f.dealId}`, { as: f.admin, body: { name: 'Renamed', contactIds: ['00000000-0000-4000-8000-000000000000'] } });
    expectClientError(res, 'half patch', 'INVALID_REFERENCE');
    const after = await t.request('GET', `/api/v1/deals/${f.dealId}`, { as: f.admin });
    expect(after.body).toEqual(before.body);
  });
});
