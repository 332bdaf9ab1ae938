// Text Postgres cannot store (the NUL character) and bodies we would misread (a charset other than
// UTF-8) are refused at the edge, on every route, before anything is written.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
let admin: Caller;
let routes: { method: string; path: string; hasBody: boolean; query: string[] }[];

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.newOrg('Nul Bytes')).admin;
  const doc = await t.request('GET', '/api/v1/openapi.json');
  routes = Object.entries(doc.body.paths as Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string; name: string }[] }>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path: '/api/v1' + path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000'),
      hasBody: Boolean(op.requestBody),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
});
afterAll(() => t.close());

/** Rows in every table a request could write: refused requests leave it unchanged. */
async function snapshot() {
  const tables = rowsOf<{ table_name: string }>(await t.database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'rate_limits'`));
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) counts[table_name] = rowsOf<{ n: number }>(await t.database.db.execute(sql.raw(`select count(*)::int as n from "${table_name}"`)))[0]!.n;
  return counts;
}

// One string of every kind the API takes, each holding a NUL.
const nulBody = {
  name: 'Ada\u0000',
  email: 'ada\u0000@example.com',
  password: 'pass\u0000word',
  organizationName: 'Org\u0000',
  firstName: 'A\u0000',
  subject: 'Hi\u0000',
  body: 'Body\u0000',
  tags: ['t\u0000'],
  customFields: { note: 'x\u0000' },
  html: '<p>\u0000</p>',
  messageId: '<m\u0000@x>',
  to: ['a\u0000@b.co'],
  token: 'token-\u0000-0123456789',
};

describe('the NUL character', () => {
  it('is refused with 400 in the body of every route that takes one, and nothing is written', async () => {
    const before = await snapshot();
    const withBody = routes.filter((r) => r.hasBody);
    expect(withBody.length).toBeGreaterThanOrEqual(20);
    for (const route of withBody) {
      for (const body of [nulBody, { name: 'x', nested: { deeper: ['\u0000'] } }]) {
        const res = await t.request(route.method, route.path, { as: admin, body });
        expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body.error?.code }).toEqual({ route: `${route.method} ${route.path}`, status: 400, code: 'VALIDATION_FAILED' });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('is refused with 400 in every query parameter of every route', async () => {
    const withQuery = routes.filter((r) => r.query.length > 0);
    expect(withQuery.length).toBeGreaterThanOrEqual(6);
    for (const route of withQuery) {
      for (const name of route.query) {
        const res = await t.request(route.method, `${route.path}?${name}=a%00b`, { as: admin });
        expect({ route: `${route.method} ${route.path}?${name}`, status: res.status }).toEqual({ route: `${route.method} ${route.path}?${name}`, status: 400 });
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
    }
  });

  it.each([
    ['sign-up', '/api/v1/signup', { name: 'Eve\u0000', email: 'eve@nul.test', password: 'a-long-password', organizationName: 'Eve Co' }],
    ['better-auth’s sign-up', '/api/auth/sign-up/email', { name: 'Eve\u0000', email: 'eve2@nul.test', password: 'a-long-password' }],
    ['sign-in', '/api/v1/session', { email: 'eve\u0000@nul.test', password: 'a-long-password' }],
  ])('is refused with 400 by %s, which needs no sign-in', async (_label, path, body) => {
    const before = await snapshot();
    const res = await t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost:8787' }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
  });

  it('is told apart from the six characters \\u0000 written as text', async () => {
    const res = await t.request('POST', '/api/v1/teams', { as: admin, body: { name: 'Team \\u0000 literally' } });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Team \\u0000 literally');
  });
});

describe('the body charset', () => {
  const utf16 = (text: string) => Buffer.from(`\ufeff${text}`, 'utf16le');

  it.each(['utf-16', 'UTF-16LE', 'iso-8859-1', 'windows-1252'])('a body declared %s is refused with 415 and nothing is written', async (charset) => {
    const before = await snapshot();
    const res = await t.app.request('/api/v1/teams', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': `application/json; charset=${charset}` },
      body: utf16(JSON.stringify({ name: 'Ünïcode' })),
    });
    expect(res.status).toBe(415);
    const body = await res.json();
    expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(body.error.message).toContain('UTF-8');
    expect(await snapshot()).toEqual(before);
  });

  it.each([['utf-8', 1], ['UTF-8', 2], ['"utf-8"', 3], ['utf8', 4]])('a body declared %s is read as UTF-8', async (charset, n) => {
    const name = `Équipe ${n} ✓`;
    const res = await t.app.request('/api/v1/teams', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': `application/json; charset=${charset}` },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(201);
    expect((await res.json()).name).toBe(name);
  });

  it('applies to better-auth’s endpoints too', async () => {
    const res = await t.app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-16', origin: 'http://localhost:8787' },
      body: utf16(JSON.stringify({ email: admin.email, password: 'correct-horse-1' })),
    });
    expect(res.status).toBe(415);
  });
});
