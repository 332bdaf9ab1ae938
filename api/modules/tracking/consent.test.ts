// What may be tracked: the organization's consent mode and country overrides, recorded consent,
// recipients' opt-outs, who may change the settings, and what aggregate mode keeps.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../../core/tracking/tokens.ts';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, testTrackingKeyring, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { countHits, hit, MIN, registerTracked, reportSent, S, UA } from '../../../test-support/tracking.ts';

const START = Date.parse('2026-11-20T14:23:45Z');
let now = START;
let t: TestApp;
let a: OrgFixture;
let b: OrgFixture;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  a = await createOrgFixture(t, 'Consent');
  b = await createOrgFixture(t, 'Elsewhere');
});
afterAll(() => t.close());

const register = (as: Caller, to: string[], extra: Record<string, unknown> = {}) =>
  t.request('POST', '/api/v1/tracking/messages', { as, body: { to, html: '<p>Hi <a href="https://example.com/x">x</a></p>', subject: 'Hello', ...extra } });
const setPolicy = async (policy: unknown) => {
  const res = await t.request('PATCH', '/api/v1/tracking/settings', { as: a.admin, body: { policy } });
  expect(res.status).toBe(200);
  return res.body;
};
const contact = async (email: string, fields: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/contacts', { as: a.rep, body: { email, ...fields } });
  expect(res.status).toBe(201);
  return res.body;
};

describe('settings', () => {
  it('start from full tracking with France and Italy needing consent, 90 days of raw hits', async () => {
    const res = await t.request('GET', '/api/v1/tracking/settings', { as: a.rep });
    expect(res.body).toEqual({
      policy: { mode: 'full', countryOverrides: { FR: 'consented', IT: 'consented' } },
      retentionDays: 90,
      trackByDefault: true,
      description: 'Tracking is on for your organisation: opens and clicks will be recorded with their time, and with the recipient when there is only one.',
    });
  });

  it('policy and retention are for admins; the compose default is each member’s own', async () => {
    for (const caller of [a.rep, a.manager, a.readonly]) {
      for (const body of [{ policy: { mode: 'off' } }, { retentionDays: 30 }, { retentionDays: 30, trackByDefault: false }]) {
        const res = await t.request('PATCH', '/api/v1/tracking/settings', { as: caller, body });
        expect(res.status, `${JSON.stringify(body)}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    }
    expect((await t.request('PATCH', '/api/v1/tracking/settings', { as: a.readonly, body: { trackByDefault: false } })).status).toBe(403);
    expect((await t.request('PATCH', '/api/v1/tracking/settings', { as: a.rep, body: { trackByDefault: false } })).body.trackByDefault).toBe(false);
    expect((await t.request('GET', '/api/v1/tracking/settings', { as: a.otherRep })).body.trackByDefault).toBe(true);
    expect((await t.request('GET', '/api/v1/tracking/settings', { as: a.admin })).body.policy.mode).toBe('full');

    const changed = await t.request('PATCH', '/api/v1/tracking/settings', { as: a.admin, body: { retentionDays: 30 } });
    expect(changed.body.retentionDays).toBe(30);
    expect((await t.request('GET', '/api/v1/tracking/settings', { as: b.admin })).body.retentionDays).toBe(90);
  });

  it('read-only members may ask what would be tracked, but not register or record consent', async () => {
    expect((await t.request('POST', '/api/v1/tracking/decision', { as: a.readonly, body: { to: [a.contactEmail] } })).status).toBe(200);
    expect((await register(a.readonly, [a.contactEmail])).status).toBe(403);
    expect((await t.request('PUT', '/api/v1/tracking/consents', { as: a.readonly, body: { email: a.contactEmail, consented: true } })).status).toBe(403);
  });
});

describe('consent modes', () => {
  it('off: nothing is tracked and the body comes back unchanged', async () => {
    await setPolicy({ mode: 'off' });
    const res = await register(a.rep, [a.contactEmail]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ trackedMessageId: null, pixelUrl: null, links: [], optOutUrl: null, html: '<p>Hi <a href="https://example.com/x">x</a></p>' });
    expect(res.body.decision).toMatchObject({ track: false, reason: 'tracking_off' });
  });

  it('consented: tracked only once consent is recorded, and no longer once withdrawn', async () => {
    await setPolicy({ mode: 'consented' });
    const before = await register(a.rep, [a.contactEmail]);
    expect(before.body.decision).toMatchObject({ track: false, reason: 'consent_missing' });
    const consent = await t.request('PUT', '/api/v1/tracking/consents', { as: a.rep, body: { email: a.contactEmail.toUpperCase(), consented: true } });
    expect(consent.body).toMatchObject({ email: a.contactEmail, consented: true, consentedAt: expect.any(String) });
    const after = await register(a.rep, [a.contactEmail]);
    expect(after.status).toBe(201);
    expect(after.body.decision).toMatchObject({ track: true, reason: 'tracked', storeIdentity: true });
    // Consent in one organization says nothing in another.
    await t.request('PATCH', '/api/v1/tracking/settings', { as: b.admin, body: { policy: { mode: 'consented' } } });
    expect((await register(b.rep, [a.contactEmail])).body.decision.reason).toBe('consent_missing');

    await t.request('PUT', '/api/v1/tracking/consents', { as: a.rep, body: { email: a.contactEmail, consented: false } });
    expect((await register(a.rep, [a.contactEmail])).body.decision.reason).toBe('consent_missing');
  });

  it('a country override applies to recipients there, from the contact or its company', async () => {
    await setPolicy({ mode: 'full', countryOverrides: { FR: 'consented', IT: 'consented' } });
    const paris = await contact('claire@paris.test', { firstName: 'Claire', customFields: { country: 'FR' } });
    const company = await t.request('POST', '/api/v1/companies', { as: a.rep, body: { name: 'Milano Srl', domain: 'milano.test', customFields: { country: 'IT' } } });
    await contact('luca@milano.test', { companyId: company.body.id });
    const london = await contact('sam@london.test', { customFields: { country: 'GB' } });

    for (const email of [paris.email, 'luca@milano.test']) {
      const res = await register(a.rep, [email]);
      expect(res.body.decision, email).toMatchObject({ track: false, reason: 'consent_missing' });
      expect(res.body.decision.explanation).toMatch(/^In (France|Italy), pixels need the recipient’s consent/);
    }
    expect((await register(a.rep, [london.email])).status).toBe(201);
    // One pixel for several people: one of them in France without consent stops the whole message.
    expect((await register(a.rep, [london.email, paris.email])).body.decision.reason).toBe('consent_missing');

    await t.request('PUT', '/api/v1/tracking/consents', { as: a.rep, body: { email: paris.email, consented: true } });
    expect((await register(a.rep, [paris.email])).status).toBe(201);
  });

  it('aggregate: counts per message, nobody named, times cut to the day', async () => {
    await setPolicy({ mode: 'aggregate' });
    const res = await register(a.rep, [a.contactEmail]);
    expect(res.status).toBe(201);
    expect(res.body.decision).toMatchObject({ reason: 'tracked_aggregate', storeIdentity: false, storeExactTime: false });
    // Its links redirect (and clicks are recorded) once it is reported sent.
    const sent = await t.request('POST', `/api/v1/tracking/messages/${res.body.trackedMessageId}/sent`, { as: a.rep, body: { messageId: '<aggregate-1@consent.test>', sentAt: new Date(START).toISOString() } });
    expect(sent.status).toBe(200);
    // The tokens do not even name the recipient.
    const token = /\/o\/([A-Za-z0-9_-]+)\.gif$/.exec(res.body.pixelUrl)![1]!;
    expect(verifyToken(token, testTrackingKeyring)).toMatchObject({ recipient: null });

    now = START + 10 * MIN;
    await hit(t, res.body.pixelUrl, { ua: UA.appleMail });
    await hit(t, res.body.links[0].trackedUrl, { ua: UA.chrome });
    now += 20 * S;
    await t.tracking.hits.flush();
    const [summary] = (await t.request('GET', `/api/v1/tracking/messages`, { as: a.rep })).body.data.filter((m: { id: string }) => m.id === res.body.trackedMessageId);
    expect(summary).toMatchObject({
      attribution: { kind: 'a_recipient' },
      precision: 'day',
      opens: { count: 1, first: '2026-11-20T00:00:00.000Z', last: '2026-11-20T00:00:00.000Z' },
      clicks: [{ linkIndex: 0, count: 1, first: '2026-11-20T00:00:00.000Z', last: '2026-11-20T00:00:00.000Z' }],
    });
    await t.deliverEvents();
    const notes = (await t.request('GET', '/api/v1/notifications', { as: a.rep })).body.data.filter((n: { data: { trackedMessageId?: string } }) => n.data.trackedMessageId === res.body.trackedMessageId);
    expect(notes.map((n: { title: string }) => n.title)).toEqual(['A recipient opened “Hello”']);
    const opened = (await t.request('GET', `/api/v1/activities?type=email_opened`, { as: a.rep })).body.data[0];
    expect(opened).toMatchObject({ occurredAt: '2026-11-20T00:00:00.000Z', body: 'A recipient opened this email once; last on 2026-11-20.' });

    // A stored hit keeps its exact time only while it may still be needed to judge other hits
    // (bursts, a person's repeated loads), then it is cut to the day.
    const times = async () =>
      rowsOf<{ kind: string; at: string }>(
        await t.database.db.execute(sql`select kind, at::text as at from tracking_hits where tracked_message_id = ${res.body.trackedMessageId} order by kind desc`),
      ).map((r) => `${r.kind} ${new Date(r.at).toISOString()}`);
    expect(await times()).toEqual(['open 2026-11-20T14:33:45.000Z', 'click 2026-11-20T14:33:45.000Z']);
    now += MIN;
    await t.tracking.hits.flush();
    expect(await times()).toEqual(['open 2026-11-20T00:00:00.000Z', 'click 2026-11-20T00:00:00.000Z']);
  });
});

describe('opting out', () => {
  it('GET asks, POST records; later hits are not recorded and new messages are not tracked', async () => {
    await setPolicy({ mode: 'full' });
    const person = await contact('opt.out@buyer.test', { firstName: 'Olive' });
    const message = await registerTracked(t, a.rep, { to: [person.email], optOutLink: true, html: '<p><a href="https://example.com/offer">offer</a></p>' });
    await reportSent(t, a.rep, message.trackedMessageId);
    const path = new URL(message.optOutUrl!).pathname;

    expect((await t.app.request(path)).status).toBe(200);
    expect((await register(a.rep, [person.email])).status).toBe(201);

    const confirmed = await t.app.request(path, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Tracking stopped');

    const rows = await countHits(t);
    now += 10 * MIN;
    await hit(t, message.pixelUrl, { ua: UA.appleMail });
    await hit(t, message.links[0]!.trackedUrl, { ua: UA.chrome });
    await t.tracking.hits.flush();
    expect(await countHits(t)).toBe(rows);

    const again = await register(a.rep, [person.email]);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ trackedMessageId: null, decision: { track: false, reason: 'opted_out' } });
    // Opting out of one organization's tracking says nothing about another's.
    await t.request('PATCH', '/api/v1/tracking/settings', { as: b.admin, body: { policy: { mode: 'full' } } });
    expect((await register(b.rep, [person.email])).status).toBe(201);
    // Consent recorded afterwards does not override an opt-out.
    await t.request('PUT', '/api/v1/tracking/consents', { as: a.rep, body: { email: person.email, consented: true } });
    expect((await register(a.rep, [person.email])).body.decision.reason).toBe('opted_out');
  });

  it('from a message to several people, opts out every address it went to', async () => {
    const message = await registerTracked(t, a.rep, { to: ['first@group.test'], cc: ['second@group.test'], optOutLink: true });
    expect(verifyToken(/\/u\/(.+)$/.exec(message.optOutUrl!)![1]!, testTrackingKeyring)).toMatchObject({ recipient: null });
    const page = await (await t.app.request(new URL(message.optOutUrl!).pathname)).text();
    expect(page).toContain('every address it was sent to');
    await t.app.request(new URL(message.optOutUrl!).pathname, { method: 'POST' });
    for (const email of ['first@group.test', 'second@group.test']) {
      expect((await register(a.rep, [email])).body.decision.reason).toBe('opted_out');
    }
  });
});
