// Anyone can sign up with an address they do not own. Such an account stays unverified until the
// address's owner follows the verification link, and it can never be attached to an organization
// someone else runs; an invitation (its token went to the address) lets the real owner take the
// address over, and the squatter keeps nothing that works.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createLogger } from '../../log.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ log: createLogger('info', (line) => logLines.push(line)) });
});
afterAll(() => t.close());

const signUp = (email: string, password: string, organizationName: string) =>
  t.request('POST', '/api/v1/signup', { body: { name: 'Some One', email, password, organizationName } });
const signIn = (email: string, password: string) => t.request('POST', '/api/v1/session', { body: { email, password } });
const verified = async (as: string) => {
  const res = await t.app.request('/api/auth/get-session', { headers: { authorization: `Bearer ${as}` } });
  return ((await res.json()) as { user?: { emailVerified?: boolean } } | null)?.user?.emailVerified;
};

async function invite(admin: Caller, email: string, role = 'rep') {
  const res = await t.request('POST', '/api/v1/invitations', { as: admin, body: { email, role } });
  expect(res.status).toBe(201);
  return new URL(res.body.inviteUrl).searchParams.get('token')!;
}

describe('verifying an address', () => {
  it('sign-up leaves it unverified, and answers and mails the link that verifies it', async () => {
    logLines.length = 0;
    const res = await signUp('owner@verify.test', 'owner-password', 'Verify Co');
    expect(res.status).toBe(201);
    expect(res.body.verificationUrl).toMatch(/^http:\/\/localhost:8787\/api\/auth\/verify-email\?token=/);
    const mailed = await t.database.db.execute(sql`select data->>'url' as url from mail_outbox where to_address = 'owner@verify.test' and template = 'email_verification'`);
    expect(rowsOf<{ url: string }>(mailed).map((m) => m.url)).toEqual([res.body.verificationUrl]);
    expect(logLines.join('\n')).not.toContain(res.body.verificationUrl);
    expect(await verified(res.body.token)).toBe(false);

    const followed = await t.app.request(new URL(res.body.verificationUrl).pathname + new URL(res.body.verificationUrl).search);
    expect(followed.status).toBe(200);
    expect(await verified(res.body.token)).toBe(true);
  });

  it('a tampered link verifies nothing', async () => {
    const res = await signUp('careful@verify.test', 'careful-password', 'Careful Co');
    const url = new URL(res.body.verificationUrl);
    const token = url.searchParams.get('token')!;
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const followed = await t.app.request(`${url.pathname}?token=${tampered}`);
    expect(followed.status).toBeGreaterThanOrEqual(400);
    expect(await verified(res.body.token)).toBe(false);
  });
});

describe('an address registered by someone who does not own it', () => {
  it('the real owner accepting an invitation takes it over: the squatter’s password, sessions and API keys stop working, and the owner gets nothing of theirs', async () => {
    const acme = await t.newOrg('Acme Takeover');
    // The squatter signs up with the victim's address, makes an organization and an API key.
    const squat = await signUp('victim@acme-takeover.test', 'squatter-password', 'Squatter Ltd');
    expect(squat.status).toBe(201);
    const squatKey = await t.request('POST', '/api/v1/api-keys', { as: squat.body.token, body: { name: 'persist' } });
    expect(squatKey.status).toBe(201);

    const token = await invite(acme.admin, 'victim@acme-takeover.test', 'manager');
    const accepted = await t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'Real Victim', password: 'the-real-owner-1' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ role: 'manager', organization: { id: acme.orgId }, user: { email: 'victim@acme-takeover.test', name: 'Real Victim' } });
    expect(accepted.body.user.id).not.toBe(squat.body.user.id);

    // Nothing the squatter had works any more.
    expect((await t.request('GET', '/api/v1/me', { as: squat.body.token })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/me', { as: squatKey.body.key })).status).toBe(401);
    expect((await signIn('victim@acme-takeover.test', 'squatter-password')).status).toBe(401);

    // The owner signs in to Acme, and only Acme: the squatter's organization did not come along.
    const owner = await signIn('victim@acme-takeover.test', 'the-real-owner-1');
    expect(owner.status).toBe(200);
    const me = await t.request('GET', '/api/v1/me', { as: owner.body.token });
    expect(me.body.organizations).toEqual([{ id: acme.orgId, name: 'Acme Takeover', role: 'manager' }]);
    expect(await verified(owner.body.token)).toBe(true);
    // The squatter is no member of Acme either.
    const members = (await t.request('GET', '/api/v1/members', { as: acme.admin })).body.data.map((m: { userId: string }) => m.userId);
    expect(members).not.toContain(squat.body.user.id);
  });

  it('a wrong password alone is refused with a way forward, and changes nothing', async () => {
    const org = await t.newOrg('Careful Inviters');
    const squat = await signUp('someone@careful-inviters.test', 'squatter-password', 'Elsewhere');
    const token = await invite(org.admin, 'someone@careful-inviters.test');
    const res = await t.request('POST', '/api/v1/invitations/accept', { body: { token, password: 'not-the-password' } });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/accept with your name and a new password/);
    expect((await t.request('GET', '/api/v1/me', { as: squat.body.token })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/invitations', { as: org.admin })).body.data[0].acceptedAt).toBeNull();
  });

  it('its own registrant, accepting with its password, keeps the account, which becomes verified', async () => {
    const org = await t.newOrg('Honest Inviters');
    const own = await signUp('honest@honest-inviters.test', 'honest-password', 'Honest Side Project');
    const token = await invite(org.admin, 'honest@honest-inviters.test');
    const res = await t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'Honest', password: 'honest-password' } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(own.body.user.id);
    const me = await t.request('GET', '/api/v1/me', { as: res.body.token });
    expect(me.body.organizations.map((o: { name: string }) => o.name)).toEqual(['Honest Side Project', 'Honest Inviters']);
    expect(await verified(res.body.token)).toBe(true);
  });

  it('a verified account is never taken over: a new name and password are refused', async () => {
    const org = await t.newOrg('Verified Inviters');
    const other = await t.newOrg('Verified Home');
    // Accepting an invitation verified the member's address.
    const member = await other.member('rep');
    const token = await invite(org.admin, member.email);
    const res = await t.request('POST', '/api/v1/invitations/accept', { body: { token, name: 'Impostor', password: 'impostor-password' } });
    expect(res.status).toBe(401);
    expect((await t.request('GET', '/api/v1/me', { as: member })).status).toBe(200);
  });

  it('signing up again with the address of an existing account is a conflict, verified or not', async () => {
    await signUp('taken@conflicts.test', 'taken-password', 'First');
    const again = await signUp('TAKEN@conflicts.test', 'another-password', 'Second');
    expect(again.status).toBe(409);
  });
});
