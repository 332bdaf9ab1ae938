// A page on another site can make the browser send our session cookie with its requests. Changes
// made with the cookie must therefore come from our own origin (PUBLIC_URL or TRUSTED_ORIGINS);
// bearer tokens and API keys, which browsers never attach on their own, are not concerned.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
let admin: Caller;
let cookie: string;

beforeAll(async () => {
  t = await createTestApp({ trustedOrigins: ['https://dashboard.example.com'] });
  admin = (await t.newOrg('Cookies')).admin;
  const res = await t.app.request('/api/auth/sign-in/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:8787' },
    body: JSON.stringify({ email: admin.email, password: 'correct-horse-1' }),
  });
  cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  expect(cookie).toContain('session_token');
});
afterAll(() => t.close());

const teams = async () => rowsOf<{ name: string }>(await t.database.db.execute(sql`select name from teams order by name`)).map((r) => r.name);
const createTeam = (name: string, headers: Record<string, string>) =>
  t.app.request('/api/v1/teams', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name }) });

describe('a change sent with the session cookie', () => {
  it.each([
    ['another site', { origin: 'https://evil.example' }],
    ['another port of our host', { origin: 'http://localhost:9999' }],
    ['an opaque origin (sandboxed frame, file:)', { origin: 'null' }],
    ['no Origin and a foreign Referer', { referer: 'https://evil.example/page' }],
    ['neither Origin nor Referer', {}],
  ])('from %s is refused with 403 CROSS_SITE_REQUEST and changes nothing', async (_label, headers) => {
    const before = await teams();
    const res = await createTeam('Hijacked', { cookie, ...headers });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('CROSS_SITE_REQUEST');
    expect(await teams()).toEqual(before);
  });

  it.each([
    ['our own origin', { origin: 'http://localhost:8787' }, 'Own Origin'],
    ['a trusted origin', { origin: 'https://dashboard.example.com' }, 'Trusted Origin'],
    ['no Origin but our own page as Referer', { referer: 'http://localhost:8787/app/settings' }, 'Own Referer'],
  ])('from %s goes through', async (_label, headers, name) => {
    const res = await createTeam(name, { cookie, ...headers });
    expect(res.status).toBe(201);
    expect(await teams()).toContain(name);
  });

  it('is refused on every unsafe method, not only POST', async () => {
    const [team] = rowsOf<{ id: string }>(await t.database.db.execute(sql`select id from teams limit 1`));
    const del = await t.app.request(`/api/v1/invitations/00000000-0000-4000-8000-000000000000`, { method: 'DELETE', headers: { cookie, origin: 'https://evil.example' } });
    expect(del.status).toBe(403);
    const patch = await t.app.request(`/api/v1/members/${admin.userId}`, {
      method: 'PATCH',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ teamId: team!.id }),
    });
    expect(patch.status).toBe(403);
  });

  it('reading with the cookie from another origin is not refused (browsers keep the answer from that page)', async () => {
    const res = await t.app.request('/api/v1/me', { headers: { cookie, origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
  });
});

describe('bearer tokens and API keys', () => {
  it('are not concerned by the origin', async () => {
    expect((await createTeam('Via Bearer', { authorization: `Bearer ${admin.token}`, origin: 'https://evil.example' })).status).toBe(201);
    const key = (await t.request('POST', '/api/v1/api-keys', { as: admin, body: { name: 'server' } })).body.key;
    expect((await createTeam('Via Key', { authorization: `Bearer ${key}`, origin: 'https://evil.example' })).status).toBe(201);
  });
});
