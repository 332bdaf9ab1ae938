// One email, one activity, across hosts and reps: the same message logged from Gmail (by its own id
// when the header could not be read, or by its Message-ID), from Outlook (always the Message-ID) and
// through the API is one activity linked to all its contacts and deals; an activity first logged
// under a Gmail id takes the Message-ID when it arrives, with no duplicate left behind. Two tenants:
// another organization's ids never reach this one's emails.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { registerTracked } from '../../../test-support/tracking.ts';
import { conversationSubject } from './email-identity.ts';

let t: TestApp;
let f: OrgFixture;
let other: OrgFixture;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Reconcile');
  other = await createOrgFixture(t, 'Elsewhere');
});
afterAll(() => t.close());

/** A fresh message: its Message-ID, its Gmail id, and the log bodies each host would send. */
function message(overrides: Record<string, unknown> = {}) {
  const i = ++n;
  const rfc = `<CAF${i}x${process.pid}+reconcile@mail.gmail.com>`;
  const gmail = `gmail:18c${(0x1f0e5a3b2c4 + i).toString(16)}`;
  const base = {
    threadId: `thread-${i}`,
    subject: `Re: Renewal terms ${i}`,
    from: `Pat Quinn <${f.contactEmail}>`,
    to: [f.rep.email],
    cc: [],
    sentAt: `2026-11-20T09:${String(i % 60).padStart(2, '0')}:00Z`,
    snippet: 'Could you send the revised quote?',
    direction: 'inbound' as const,
    ...overrides,
  };
  return {
    rfc,
    gmail,
    /** Gmail when "Show original" could not be read: its own id, every recipient under To. */
    gmailFallback: { ...base, messageId: gmail },
    /** Gmail with the header read: the Message-ID and its own id. */
    gmailWithHeader: { ...base, messageId: rfc, hostMessageId: gmail },
    /** Outlook, or the API: the Message-ID. */
    outlook: { ...base, messageId: rfc },
  };
}

const log = async (body: unknown, as = f.rep) => {
  const res = await t.request('POST', '/api/v1/emails', { as, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { logged: boolean; alreadyLogged: boolean; activityId: string | null; contactIds: string[]; dealIds: string[] };
};

const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await t.database.db.execute(query));
const emailsFor = (ids: string[], orgId = f.rep.orgId) =>
  rows<{ id: string; message_id: string; to_addresses: string[]; cc_addresses: string[] }>(sql`
    select a.id, a.message_id, a.to_addresses, a.cc_addresses from activities a
    where a.org_id = ${orgId} and a.type = 'email' and (a.message_id in ${sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`}
      or a.id in (select activity_id from email_message_aliases where org_id = ${orgId} and alias in ${sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`}))`);

describe('one email, one activity, across hosts', () => {
  it('gives an activity first logged under a Gmail id the Message-ID when it arrives, and To/Cc with it', async () => {
    const m = message({ cc: [] });
    const fallback = await log({ ...m.gmailFallback, to: [f.rep.email, 'lee@reconcile-industries.com'] });
    expect(fallback.logged).toBe(true);
    const later = await log({ ...m.gmailWithHeader, to: [f.rep.email], cc: ['lee@reconcile-industries.com'] });
    expect(later).toMatchObject({ logged: false, alreadyLogged: true, activityId: fallback.activityId });
    const stored = await emailsFor([m.rfc, m.gmail]);
    expect(stored).toEqual([{ id: fallback.activityId, message_id: m.rfc, to_addresses: [f.rep.email], cc_addresses: ['lee@reconcile-industries.com'] }]);
    // Either id finds it again, from any host.
    expect(await log(m.gmailFallback)).toMatchObject({ alreadyLogged: true, activityId: fallback.activityId });
    expect(await log(m.outlook, f.otherRep)).toMatchObject({ alreadyLogged: true, activityId: fallback.activityId });
    expect(await emailsFor([m.rfc, m.gmail])).toHaveLength(1);
  });

  it('finds a Gmail-only log of an email Outlook logged by its Message-ID, by its fingerprint', async () => {
    const m = message();
    const outlook = await log(m.outlook, f.otherRep);
    // A minute later by Gmail's clock (its id is its receive time), subject as the thread shows it.
    const gmail = await log({ ...m.gmailFallback, subject: 'Renewal terms ' + n, sentAt: new Date(Date.parse(m.outlook.sentAt) + 60_000).toISOString() });
    expect(gmail).toMatchObject({ logged: false, alreadyLogged: true, activityId: outlook.activityId });
    expect(await emailsFor([m.rfc, m.gmail])).toHaveLength(1);
    // The Gmail id is now a name of it.
    expect(await log(m.gmailWithHeader)).toMatchObject({ alreadyLogged: true, activityId: outlook.activityId });
  });

  it('folds a duplicate into the Message-ID\'s activity when a log says both ids are one email, keeping every link', async () => {
    const m = message();
    // Gmail saw a Bcc the Outlook copy did not: the fingerprints differ, so these were two activities.
    const gmail = await log({ ...m.gmailFallback, to: [f.rep.email, 'hidden-bcc@elsewhere.example'] });
    const outlook = await log(m.outlook, f.otherRep);
    expect(outlook.activityId).not.toBe(gmail.activityId);
    // A tracked message the rep's client reported under the Gmail id.
    const tracked = await registerTracked(t, f.rep, { to: [f.contactEmail] });
    expect((await t.request('POST', `/api/v1/tracking/messages/${tracked.trackedMessageId}/sent`, { as: f.rep, body: { messageId: m.gmail } })).status).toBe(200);

    const merged = await log(m.gmailWithHeader);
    expect(merged).toMatchObject({ alreadyLogged: true, activityId: outlook.activityId });
    const left = await emailsFor([m.rfc, m.gmail]);
    expect(left.map((a) => a.id)).toEqual([outlook.activityId]);
    expect(await rows(sql`select 1 from activities where id = ${gmail.activityId}`)).toEqual([]);
    // Linked to the contact, their company and both open deals, once each.
    const links = await rows<{ n: number }>(sql`select count(*)::int n from activity_links where activity_id = ${outlook.activityId}`);
    expect(links[0]!.n).toBe(4);
    // The tracked message now answers to the Message-ID and hangs on the one activity.
    const summary = await t.request('GET', `/api/v1/tracking/messages?messageIds=${encodeURIComponent(m.rfc)}`, { as: f.rep });
    expect(summary.body.data.map((s: { id: string }) => s.id)).toEqual([tracked.trackedMessageId]);
    const [row] = await rows<{ activity_id: string }>(sql`select activity_id from tracked_messages where id = ${tracked.trackedMessageId}`);
    expect(row!.activity_id).toBe(outlook.activityId);
  });

  it('links the one activity to a contact created after it was first logged, when someone logs it again', async () => {
    const m = message({ cc: ['dana@reconcile-industries.com'] });
    const first = await log(m.outlook);
    expect(first.contactIds).toEqual([f.contactId]);
    const dana = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'dana@reconcile-industries.com', firstName: 'Dana' } });
    const again = await log(m.gmailWithHeader, f.otherRep);
    expect(again).toMatchObject({ alreadyLogged: true, activityId: first.activityId });
    expect(again.contactIds.sort()).toEqual([f.contactId, dana.body.id].sort());
    const timeline = await t.request('GET', `/api/v1/activities?contactId=${dana.body.id}&type=email`, { as: f.rep });
    expect(timeline.body.data.map((a: { id: string }) => a.id)).toEqual([first.activityId]);
  });

  it.each([
    ['another recipient', { to: ['someone.else@reconcile-industries.com'] }],
    ['ten minutes apart', { sentAt: '2026-11-20T10:30:00Z' }],
    ['another subject', { subject: 'A different question' }],
  ])('keeps two emails apart that only look alike (%s)', async (_case, change) => {
    const m = message({ sentAt: '2026-11-20T10:20:00Z' });
    const outlook = await log(m.outlook);
    const gmail = await log({ ...m.gmailFallback, ...change });
    expect(gmail.activityId).not.toBe(outlook.activityId);
    expect(gmail.logged).toBe(true);
  });

  it('logs once when the Gmail id and the Message-ID race in from two hosts', async () => {
    const m = message();
    const results = await Promise.all([log(m.gmailFallback), log(m.outlook, f.otherRep), log(m.gmailWithHeader), log(m.outlook)]);
    expect(new Set(results.map((r) => r.activityId)).size).toBe(1);
    expect(results.filter((r) => r.logged)).toHaveLength(1);
    const stored = await emailsFor([m.rfc, m.gmail]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.message_id).toBe(m.rfc);
  });

  it('never crosses organizations: the same ids in another tenant are another email', async () => {
    const m = message();
    const mine = await log(m.gmailWithHeader);
    const theirs = await log({ ...m.gmailWithHeader, from: `Pat <${other.contactEmail}>`, to: [other.rep.email] }, other.rep);
    expect(theirs.logged).toBe(true);
    expect(theirs.activityId).not.toBe(mine.activityId);
    expect(await emailsFor([m.rfc, m.gmail], other.rep.orgId)).toHaveLength(1);
    expect(await emailsFor([m.rfc, m.gmail])).toHaveLength(1);
    // A rep of the other tenant never reads this one's activity through the ids.
    expect((await t.request('GET', `/api/v1/activities/${mine.activityId}`, { as: other.rep })).status).toBe(404);
  });

  it('refuses a host id it cannot store, and changes nothing', async () => {
    const m = message();
    const res = await t.request('POST', '/api/v1/emails', { as: f.rep, body: { ...m.gmailWithHeader, hostMessageId: 'x'.repeat(999) } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await emailsFor([m.rfc, m.gmail])).toEqual([]);
  });

  it('stores a Message-ID in its canonical spelling, however the host wrote it', async () => {
    const m = message();
    await log({ ...m.outlook, messageId: `  ${m.rfc.slice(1, -1)}  ` });
    expect((await emailsFor([m.rfc]))[0]!.message_id).toBe(m.rfc);
    expect(await log(m.outlook)).toMatchObject({ alreadyLogged: true });
  });
});

describe('conversationSubject', () => {
  it.each([
    ['Re: Renewal', 'renewal'],
    ['RE: Fwd: re:  Renewal   terms', 'renewal terms'],
    ['AW: WG: Angebot', 'angebot'],
    ['Re[2]: Pricing', 'pricing'],
    ['Review of terms', 'review of terms'],
    [null, ''],
  ])('%j → %j', (subject, expected) => {
    expect(conversationSubject(subject)).toBe(expected);
  });
});
