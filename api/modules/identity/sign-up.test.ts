// Signing up is one unit: the account, its organization, its membership and default pipeline exist
// together or not at all, and people racing for one address or one invitation get a 409, not a 500.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createLogger } from '../../log.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ log: createLogger('error', (line) => logLines.push(line)) });
  // A fault after the account is written: the organization's first membership cannot be stored.
  await t.database.db.execute(sql`
    create function refuse_cursed_membership() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from organizations o where o.id = new.org_id and o.name = 'Cursed Inc') then raise exception 'membership store is down'; end if;
      return new;
    end $$`);
  await t.database.db.execute(sql`create trigger refuse_cursed_membership before insert on memberships for each row execute function refuse_cursed_membership()`);
  // A fault on the statement that carries the person's name and address.
  await t.database.db.execute(sql`
    create function refuse_cursed_user() returns trigger language plpgsql as $$
    begin
      if new.email like '%@cursed-users.test' then raise exception 'user store is down'; end if;
      return new;
    end $$`);
  await t.database.db.execute(sql`create trigger refuse_cursed_user before insert on "user" for each row execute function refuse_cursed_user()`);
});
afterAll(() => t.close());

const signUp = (email: string, organizationName: string, password = 'a-long-password') =>
  t.request('POST', '/api/v1/signup', { body: { name: 'Pat Private', email, password, organizationName } });
const count = async (query: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await t.database.db.execute(query))[0]!.n;

describe('sign-up', () => {
  it('leaves nothing behind when it fails after creating the account: the address can sign up again', async () => {
    const failed = await signUp('pat.private@unlucky.test', 'Cursed Inc');
    expect(failed.status).toBe(500);
    expect(await count(sql`select count(*)::int as n from "user" where email = 'pat.private@unlucky.test'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from organizations where name = 'Cursed Inc'`)).toBe(0);
    // Not "a member of no organization" (403): there is no account at all.
    expect((await t.request('POST', '/api/v1/session', { body: { email: 'pat.private@unlucky.test', password: 'a-long-password' } })).status).toBe(401);

    const retried = await signUp('pat.private@unlucky.test', 'Lucky Inc');
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ organization: { name: 'Lucky Inc' }, role: 'admin' });
  });

  it('logs the failed statement without its parameters (names, addresses)', async () => {
    logLines.length = 0;
    expect((await signUp('pat.private@cursed-users.test', 'Fine Inc')).status).toBe(500);
    const log = logLines.join('\n');
    const entry = logLines.map((line) => JSON.parse(line)).find((e) => e.message === 'unhandled error');
    expect(entry).toMatchObject({ sqlstate: 'P0001', reason: 'user store is down', path: '/api/v1/signup' });
    expect(entry.query).toMatch(/^insert into "user"/);
    expect(log).not.toContain('cursed-users');
    expect(log).not.toContain('Pat Private');
    expect(log).not.toContain('params');
  });

  it('is not offered by better-auth’s own endpoint, whose accounts would belong to no organization', async () => {
    const res = await t.app.request('/api/auth/sign-up/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:8787' },
      body: JSON.stringify({ name: 'Side Door', email: 'side.door@sign-ups.test', password: 'a-long-password' }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await count(sql`select count(*)::int as n from "user" where email = 'side.door@sign-ups.test'`)).toBe(0);
  });

  it('answers concurrent sign-ups for one address with one account and 409s', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => signUp('race@sign-ups.test', `Racer ${i}`)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await count(sql`select count(*)::int as n from "user" where email = 'race@sign-ups.test'`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from organizations where name like 'Racer %'`)).toBe(1);
  });

  it('answers concurrent accepts of one invitation with one member and 409s', async () => {
    const org = await t.newOrg('Accept Race');
    const invite = await t.request('POST', '/api/v1/invitations', { as: org.admin, body: { email: 'twice@accept-race.test', role: 'rep' } });
    const token = new URL(invite.body.inviteUrl).searchParams.get('token')!;
    const results = await Promise.all(
      Array.from({ length: 3 }, () => t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'Twice', password: 'twice-password' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('CONFLICT');
    const members = (await t.request('GET', '/api/v1/members', { as: org.admin })).body.data;
    expect(members.filter((m: { email: string }) => m.email === 'twice@accept-race.test')).toHaveLength(1);
  });
});
