// Tenant isolation through the API: another organization's records are 404 on every route (never
// 403), and never appear in lists, searches or context lookups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmConnections, imports, notifications } from '../db/schema/index.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../test-support/fixtures.ts';

let t: TestApp;
let a: OrgFixture;
let b: OrgFixture;
let routes: { method: string; path: string }[];
let bravoNotificationId: string;
let bravoTrackedMessageId: string;
let bravoWebhookId: string;
let bravoSlackId: string;
let bravoCrmConnectionId: string;
let bravoWorkflowId: string;
let bravoImportId: string;

beforeAll(async () => {
  t = await createTestApp();
  a = await createOrgFixture(t, 'Alpha');
  b = await createOrgFixture(t, 'Bravo');
  const [note] = await t.database.db
    .insert(notifications)
    .values({ orgId: b.admin.orgId, userId: b.rep.userId, kind: 'deal_high_risk', dealId: b.dealId, title: 'Bravo deal at risk', dedupeKey: 'test' })
    .returning({ id: notifications.id });
  bravoNotificationId = note!.id;
  const [connection] = await t.database.db
    .insert(crmConnections)
    .values({ orgId: b.admin.orgId, provider: 'hubspot', status: 'active', authKind: 'direct_token' })
    .returning({ id: crmConnections.id });
  bravoCrmConnectionId = connection!.id;
  const followUp = { trigger: { type: 'event', event: 'deal.created' }, conditions: { match: 'all', conditions: [] }, actions: [{ type: 'create_task', subject: 'Call back', dueInDays: 1 }] };
  bravoWorkflowId = (await t.request('POST', '/api/v1/workflows', { as: b.admin, body: { name: 'Bravo follow-up', definition: followUp } })).body.id;
  const [upload] = await t.database.db
    .insert(imports)
    .values({ orgId: b.admin.orgId, object: 'contacts', byteSize: 20, encoding: 'utf-8', delimiter: ',', headers: ['Email'], totalRows: 1, mapping: { '0': 'email' } })
    .returning({ id: imports.id });
  bravoImportId = upload!.id;
  const tracked = await t.request('POST', '/api/v1/tracking/messages', { as: b.rep, body: { to: [b.contactEmail], subject: 'Bravo proposal', html: '<p>Hi</p>' } });
  bravoTrackedMessageId = tracked.body.trackedMessageId;
  bravoWebhookId = (await t.request('POST', '/api/v1/webhooks', { as: b.admin, body: { name: 'Bravo ERP', url: 'https://hooks.bravo.example/crm', eventTypes: ['deal.created'] } })).body.id;
  bravoSlackId = (await t.request('POST', '/api/v1/slack/connections', { as: b.admin, body: { channel: '#bravo', url: 'https://hooks.slack.com/services/T0BRAVO/B0BRAVO/bravosecret', kinds: ['deal_high_risk'] } })).body.id;
  const doc = await t.request('GET', '/api/v1/openapi.json');
  routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => t.close());

/** Bravo's id for each path parameter, chosen by the resource the path names. */
function bravoPath(path: string): string {
  const resource = path.split('/')[1]!;
  const ids: Record<string, string> = {
    contacts: b.contactId,
    companies: b.companyId,
    deals: b.dealId,
    activities: b.activityId,
    tasks: b.taskId,
    pipelines: b.pipelineId,
    invitations: b.invitationId,
    'api-keys': b.apiKeyId,
    members: b.rep.userId,
    notifications: bravoNotificationId,
    crm: bravoCrmConnectionId,
    teams: b.teamId,
    tracking: bravoTrackedMessageId,
    webhooks: bravoWebhookId,
    slack: bravoSlackId,
    workflows: bravoWorkflowId,
    imports: bravoImportId,
  };
  const id = ids[resource];
  if (!id) throw new Error(`No Bravo id for ${path}: add one to this table`);
  return '/api/v1' + path.replace('{id}', id).replace('{userId}', id).replace('{stageId}', b.stageIds[1]!).replace('{conflictId}', '00000000-0000-4000-8000-000000000001').replace('{runId}', '00000000-0000-4000-8000-000000000002');
}

/** A body valid enough to get past validation, so the lookup itself is what answers. */
function validBody(method: string, path: string): unknown {
  if (method === 'DELETE' || method === 'GET' || path.endsWith('/restore')) return undefined;
  if (path === '/pipelines/{id}/stage-order') return { stageIds: b.stageIds };
  if (path === '/pipelines/{id}/stages') return { name: 'Legal review', defaultProbability: 60 };
  if (path.startsWith('/pipelines')) return { name: 'Renamed' };
  if (path.startsWith('/members')) return { role: 'manager' };
  if (path.startsWith('/teams')) return { name: 'Hijacked' };
  if (path.startsWith('/contacts')) return { firstName: 'Hijacked' };
  if (path.startsWith('/companies')) return { name: 'Hijacked' };
  if (path.startsWith('/deals')) return { name: 'Hijacked' };
  if (path === '/tracking/messages/{id}/sent') return { messageId: '<hijacked@alpha.test>' };
  if (path === '/webhooks/{id}/rotate-secret') return { overlapHours: 1 };
  if (path.startsWith('/webhooks')) return { name: 'Hijacked' };
  if (path.startsWith('/slack')) return { channel: 'Hijacked' };
  if (path === '/crm/connections/{id}/sync') return { dryRun: false };
  if (path.endsWith('/resolve')) return { resolution: 'keep_crm' };
  if (path === '/workflows/{id}/test') return { recordId: b.dealId };
  if (path === '/workflows/{id}/runs/replay') return {};
  if (path.startsWith('/workflows')) return { name: 'Hijacked' };
  if (path === '/imports/{id}/start') return { dryRun: true };
  if (path.startsWith('/imports')) return { duplicates: 'update' };
  return { subject: 'Hijacked' };
}

describe('another organization\'s records', () => {
  it('are 404 on every route that takes an id, for every role', async () => {
    const withIds = routes.filter((r) => r.path.includes('{'));
    expect(withIds.length).toBeGreaterThanOrEqual(30);
    for (const caller of [a.admin, a.manager, a.rep, a.readonly]) {
      for (const route of withIds) {
        const res = await t.request(route.method, bravoPath(route.path), { as: caller, body: validBody(route.method, route.path) });
        expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
    }
  });

  it('are left untouched by those attempts', async () => {
    const contact = await t.request('GET', `/api/v1/contacts/${b.contactId}`, { as: b.admin });
    expect(contact.body).toMatchObject({ firstName: 'Pat', deletedAt: null });
    const deal = await t.request('GET', `/api/v1/deals/${b.dealId}`, { as: b.admin });
    expect(deal.body).toMatchObject({ name: 'Bravo expansion', deletedAt: null });
    const members = await t.request('GET', '/api/v1/members', { as: b.admin });
    expect(members.body.data.find((m: { userId: string }) => m.userId === b.rep.userId).role).toBe('rep');
    const pipeline = await t.request('GET', `/api/v1/pipelines/${b.pipelineId}`, { as: b.admin });
    expect(pipeline.body.stages.map((s: { id: string }) => s.id)).toEqual(b.stageIds);
  });

  it('cannot be referenced from our own writes', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/api/v1/contacts', { email: 'x@alpha.test', companyId: b.companyId }],
      ['POST', '/api/v1/contacts', { email: 'y@alpha.test', ownerId: b.rep.userId }],
      ['POST', '/api/v1/deals', { name: 'X', contactIds: [b.contactId] }],
      ['POST', '/api/v1/deals', { name: 'X', companyId: b.companyId }],
      ['POST', '/api/v1/deals', { name: 'X', pipelineId: b.pipelineId }],
      ['POST', '/api/v1/deals', { name: 'X', stage: b.stageIds[1] }],
      ['POST', '/api/v1/activities', { type: 'note', dealIds: [b.dealId] }],
      ['POST', '/api/v1/tasks', { subject: 'X', contactIds: [b.contactId] }],
      ['PATCH', `/api/v1/deals/${a.dealId}`, { stage: b.stageIds[2] }],
      ['PATCH', `/api/v1/members/${a.rep.userId}`, { teamId: b.teamId }],
    ];
    for (const [method, path, body] of cases) {
      const res = await t.request(method, path, { as: a.admin, body });
      expect({ path, body, status: res.status, code: res.body.error?.code }).toEqual({ path, body, status: 400, code: 'INVALID_REFERENCE' });
    }
  });

  it('never appear in lists, searches or context lookups', async () => {
    const bravoIds = new Set([b.contactId, b.companyId, b.dealId, b.otherRepDealId, b.activityId, b.taskId]);
    for (const path of ['/contacts', '/companies', '/deals', '/activities', '/tasks', '/contacts?q=pat', '/contacts?q=quinnbravo', '/companies?q=bravo', `/contacts?email=${b.contactEmail}`, '/members', '/pipelines', '/teams', '/invitations', '/api-keys']) {
      const res = await t.request('GET', `/api/v1${path}`, { as: a.admin });
      expect(res.status, path).toBe(200);
      const ids = res.body.data.map((r: { id?: string; userId?: string }) => r.id ?? r.userId);
      expect(ids.filter((id: string) => bravoIds.has(id) || id === b.rep.userId || id === b.pipelineId), path).toEqual([]);
    }
    const ownSearch = await t.request('GET', '/api/v1/contacts?q=pat%20quinnalpha', { as: a.admin });
    expect(ownSearch.body.data.map((c: { id: string }) => c.id)).toEqual([a.contactId]);

    const context = await t.request('GET', `/api/v1/context?emails=${b.contactEmail},${a.contactEmail}`, { as: a.admin });
    expect(context.body.contacts.map((c: { id: string }) => c.id)).toEqual([a.contactId]);
    expect(context.body.unknownEmails).toEqual([b.contactEmail]);
    const everything = JSON.stringify(context.body);
    for (const id of bravoIds) expect(everything).not.toContain(id);
  });

  it('are not logged to when an email names their contacts', async () => {
    const res = await t.request('POST', '/api/v1/emails', {
      as: a.rep,
      body: { messageId: '<cross@tenant>', from: a.rep.email, to: [b.contactEmail], sentAt: '2026-11-20T10:00:00Z', direction: 'outbound' },
    });
    expect(res.body).toMatchObject({ logged: false, contactIds: [] });
    const bravoTimeline = await t.request('GET', `/api/v1/activities?contactId=${b.contactId}&type=email`, { as: b.admin });
    expect(bravoTimeline.body.data).toEqual([]);
  });

  it('a Bravo API key or session never reaches Alpha data', async () => {
    const key = await t.request('POST', '/api/v1/api-keys', { as: b.admin, body: { name: 'probe' } });
    for (const token of [key.body.key, b.admin.token]) {
      const res = await t.request('GET', `/api/v1/contacts/${a.contactId}`, { as: token });
      expect(res.status).toBe(404);
      const switched = await t.request('GET', '/api/v1/contacts', { as: token, headers: { 'x-org-id': a.admin.orgId } });
      expect([403, 200]).toContain(switched.status);
      if (switched.status === 200) expect(switched.body.data.map((c: { id: string }) => c.id)).not.toContain(a.contactId);
    }
  });
});
