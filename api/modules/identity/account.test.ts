// Signing up and in, sessions as bearer tokens and cookies, invitations, API keys, members.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createLogger } from '../../log.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ log: createLogger('info', (line) => logLines.push(line)) });
});
afterAll(() => t.close());

describe('sign up and sign in', () => {
  it('signs up a new organization whose creator is its admin, with a default pipeline', async () => {
    const res = await t.request('POST', '/api/v1/signup', { body: { name: 'Ada Admin', email: 'ada@founders.test', password: 'a-long-password', organizationName: 'Founders Inc' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: { email: 'ada@founders.test' }, organization: { name: 'Founders Inc' }, role: 'admin' });
    const pipelines = await t.request('GET', '/api/v1/pipelines', { as: res.body.token });
    expect(pipelines.body.data[0].stages.map((s: { name: string }) => s.name)).toEqual(['Discovery', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost']);
    const again = await t.request('POST', '/api/v1/signup', { body: { name: 'Ada', email: 'ADA@founders.test', password: 'another-password', organizationName: 'Dup' } });
    expect(again.status).toBe(409);
  });

  it('signs in with email and password, and refuses a wrong password', async () => {
    expect((await t.request('POST', '/api/v1/session', { body: { email: 'ada@founders.test', password: 'wrong-password' } })).status).toBe(401);
    const res = await t.request('POST', '/api/v1/session', { body: { email: 'ada@founders.test', password: 'a-long-password' } });
    expect(res.status).toBe(200);
    const me = await t.request('GET', '/api/v1/me', { as: res.body.token });
    expect(me.body).toMatchObject({ user: { email: 'ada@founders.test' }, role: 'admin', organization: { name: 'Founders Inc' } });
  });

  it('accepts the dashboard\'s session cookie as well as a bearer token', async () => {
    const res = await t.app.request('/api/auth/sign-in/email', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost:8787' }, body: JSON.stringify({ email: 'ada@founders.test', password: 'a-long-password' }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).toContain('session_token');
    const me = await t.request('GET', '/api/v1/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('ada@founders.test');
  });

  it('signing out ends the session', async () => {
    const { body } = await t.request('POST', '/api/v1/session', { body: { email: 'ada@founders.test', password: 'a-long-password' } });
    expect((await t.request('DELETE', '/api/v1/session', { as: body.token })).status).toBe(204);
    const after = await t.request('GET', '/api/v1/me', { as: body.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('invitations', () => {
  it('an admin invites by email with a role; the link is returned and mailed; the invitee joins with that role', async () => {
    const org = await t.newOrg('Inviters');
    logLines.length = 0;
    const invite = await t.request('POST', '/api/v1/invitations', { as: org.admin, body: { email: 'New.Rep@Inviters.test', role: 'rep' } });
    expect(invite.status).toBe(201);
    expect(invite.body.inviteUrl).toMatch(/^http:\/\/localhost:8787\/invite\?token=/);
    const mailed = await t.database.db.execute(sql`select data->>'url' as url from mail_outbox where to_address = 'new.rep@inviters.test' and template = 'invitation'`);
    expect(rowsOf<{ url: string }>(mailed).map((m) => `http://localhost:8787${m.url}`)).toEqual([invite.body.inviteUrl]);
    // The secret link stays out of the server log.
    expect(logLines.join('\n')).not.toContain(invite.body.inviteUrl);
    const token = new URL(invite.body.inviteUrl).searchParams.get('token')!;
    const accepted = await t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'New Rep', password: 'new-rep-password' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ role: 'rep', organization: { id: org.orgId }, user: { email: 'new.rep@inviters.test' } });
    expect((await t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'Again', password: 'new-rep-password' } })).status).toBe(404);
    const list = await t.request('GET', '/api/v1/invitations', { as: org.admin });
    expect(list.body.data[0].acceptedAt).not.toBeNull();
    expect(list.body.data[0].inviteUrl).toBeUndefined(); // the secret link is only shown once
  });

  it('someone who already has an account joins a second organization with their password, and can switch with X-Org-Id', async () => {
    const first = await t.newOrg('First Co');
    const second = await t.newOrg('Second Co');
    const invite = await t.request('POST', '/api/v1/invitations', { as: second.admin, body: { email: first.admin.email, role: 'manager' } });
    const token = new URL(invite.body.inviteUrl).searchParams.get('token')!;
    expect((await t.request('POST', '/api/v1/invitations/accept', { body: { token, password: 'not-their-password' } })).status).toBe(401);
    const accepted = await t.request('POST', '/api/v1/invitations/accept', { body: { token, password: 'correct-horse-1' } });
    expect(accepted.status).toBe(200);
    const me = await t.request('GET', '/api/v1/me', { as: first.admin });
    expect(me.body.organization.id).toBe(first.orgId);
    expect(me.body.organizations.map((o: { id: string; role: string }) => [o.id, o.role])).toEqual([[first.orgId, 'admin'], [second.orgId, 'manager']]);
    const switched = await t.request('GET', '/api/v1/me', { as: first.admin, headers: { 'x-org-id': second.orgId } });
    expect(switched.body).toMatchObject({ organization: { id: second.orgId }, role: 'manager' });
    const foreign = await t.newOrg('Third Co');
    expect((await t.request('GET', '/api/v1/me', { as: first.admin, headers: { 'x-org-id': foreign.orgId } })).status).toBe(403);
  });

  it('an expired invitation is refused with 410', async () => {
    const org = await t.newOrg('Slowpokes');
    const invite = await t.request('POST', '/api/v1/invitations', { as: org.admin, body: { email: 'late@slow.test', role: 'rep' } });
    await t.database.db.execute(sql`update invitations set expires_at = now() - interval '1 minute' where id = ${invite.body.id}`);
    const token = new URL(invite.body.inviteUrl).searchParams.get('token')!;
    expect((await t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'Late', password: 'late-password' } })).status).toBe(410);
  });
});

describe('API keys', () => {
  it('are shown once, work as Bearer tokens with the owner\'s role, and stop working when revoked', async () => {
    const org = await t.newOrg('Keyholders');
    const rep = await org.member('rep');
    const created = await t.request('POST', '/api/v1/api-keys', { as: rep, body: { name: 'Zapier' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^crm_[A-Za-z0-9_-]{40,}$/);
    const list = await t.request('GET', '/api/v1/api-keys', { as: rep });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ name: 'Zapier', prefix: created.body.key.slice(0, 10) });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    const stored = await t.database.db.execute(sql`select key_hash from api_keys where id = ${created.body.id}`);
    expect(JSON.stringify(stored)).not.toContain(created.body.key);

    const me = await t.request('GET', '/api/v1/me', { as: created.body.key });
    expect(me.body).toMatchObject({ role: 'rep', user: { id: rep.userId } });
    expect((await t.request('DELETE', `/api/v1/api-keys/${created.body.id}`, { as: rep })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/me', { as: created.body.key })).status).toBe(401);
  });
});

describe('members', () => {
  it('an admin changes roles; the organization always keeps an admin; removing a member revokes their keys', async () => {
    const org = await t.newOrg('Staffing');
    const rep = await org.member('rep');
    const key = await t.request('POST', '/api/v1/api-keys', { as: rep, body: { name: 'cli' } });
    const promoted = await t.request('PATCH', `/api/v1/members/${rep.userId}`, { as: org.admin, body: { role: 'manager' } });
    expect(promoted.body.role).toBe('manager');
    expect((await t.request('GET', '/api/v1/me', { as: rep })).body.role).toBe('manager');
    expect((await t.request('PATCH', `/api/v1/members/${org.admin.userId}`, { as: org.admin, body: { role: 'rep' } })).status).toBe(409);
    expect((await t.request('DELETE', `/api/v1/members/${rep.userId}`, { as: org.admin })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/me', { as: key.body.key })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/me', { as: rep })).status).toBe(403);
  });

  it('puts members in teams', async () => {
    const org = await t.newOrg('Teamwork');
    const rep = await org.member('rep');
    const team = await t.request('POST', '/api/v1/teams', { as: org.admin, body: { name: 'Enterprise' } });
    expect((await t.request('POST', '/api/v1/teams', { as: org.admin, body: { name: 'Enterprise' } })).status).toBe(409);
    const moved = await t.request('PATCH', `/api/v1/members/${rep.userId}`, { as: org.admin, body: { teamId: team.body.id } });
    expect(moved.body.teamId).toBe(team.body.id);
  });
});

describe('the API description', () => {
  it('serves an OpenAPI 3 document generated from the schemas, and a reference page', async () => {
    const doc = await t.request('GET', '/api/v1/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/deals/{id}'].patch.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/DealUpdate');
    expect(doc.body.components.schemas.Contact.properties).toHaveProperty('email');
    const page = await t.app.request('/api/v1/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    expect(await (await t.app.request('/api/v1/docs/assets/init.js')).text()).toContain('/api/v1/openapi.json');
    const asset = await t.app.request('/api/v1/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
  });
});
