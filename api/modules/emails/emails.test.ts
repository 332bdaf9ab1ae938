// Logging emails: exactly once per Message-ID, linked to every known contact, their companies and
// their open deals; unknown addresses create nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../db/client.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
let second: { id: string; email: string };

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Mailer');
  const res = await t.request('POST', '/api/v1/contacts', { as: f.rep, body: { email: 'Lee.Chen@Mailer-Industries.com', firstName: 'Lee', lastName: 'Chen' } });
  second = { id: res.body.id, email: 'lee.chen@mailer-industries.com' };
});
afterAll(() => t.close());

const email = (messageId: string, extra: Record<string, unknown> = {}) => ({
  messageId,
  threadId: 'thread-1',
  subject: 'Pricing for next year',
  from: `"Pat Quinn" <${'PAT.QUINN@mailer-industries.com'}>`,
  to: [f.rep.email],
  cc: [`Lee Chen <${second.email}>`, 'stranger@elsewhere.org'],
  sentAt: '2026-11-20T15:04:05Z',
  snippet: 'Could you send the revised quote?',
  direction: 'inbound',
  ...extra,
});

const emailCount = async (messageId: string) =>
  rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int n from activities where message_id = ${messageId}`))[0]!.n;

describe('POST /emails', () => {
  it('links the email to every known participant, their company and their open deals', async () => {
    const res = await t.request('POST', '/api/v1/emails', { as: f.rep, body: email('<first@mailer>') });
    expect(res.status).toBe(200);
    expect(res.body.logged).toBe(true);
    expect(res.body.contactIds.sort()).toEqual([f.contactId, second.id].sort());
    expect(res.body.companyIds).toEqual([f.companyId]); // Lee joined the company by email domain
    // Linked to both deals the people are on, but the answer names only the one this rep may see.
    expect(res.body.dealIds).toEqual([f.dealId]);
    const linked = rowsOf<{ deal_id: string }>(await t.database.db.execute(sql`select deal_id from activity_links where activity_id = ${res.body.activityId} and deal_id is not null`));
    expect(linked.map((l) => l.deal_id).sort()).toEqual([f.dealId, f.otherRepDealId].sort());

    const timeline = await t.request('GET', `/api/v1/activities?contactId=${second.id}&type=email`, { as: f.rep });
    expect(timeline.body.data).toHaveLength(1);
    expect(timeline.body.data[0]).toMatchObject({ subject: 'Pricing for next year', direction: 'inbound', from: 'pat.quinn@mailer-industries.com', occurredAt: '2026-11-20T15:04:05.000Z', messageId: '<first@mailer>' });
  });

  it('logs a message once, however often it is sent, and answers what it was linked to', async () => {
    const again = await t.request('POST', '/api/v1/emails', { as: f.rep, body: email('<first@mailer>') });
    expect(again.body).toMatchObject({ logged: false, alreadyLogged: true });
    expect(again.body.contactIds.sort()).toEqual([f.contactId, second.id].sort());
    expect(await emailCount('<first@mailer>')).toBe(1);
  });

  it('logs once under concurrent requests for the same message', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => t.request('POST', '/api/v1/emails', { as: f.rep, body: email('<race@mailer>') })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(results.filter((r) => r.body.logged)).toHaveLength(1);
    expect(results.filter((r) => r.body.alreadyLogged)).toHaveLength(7);
    expect(await emailCount('<race@mailer>')).toBe(1);
  });

  it('logs once when two reps log the same message (a thread both are on)', async () => {
    await t.request('POST', '/api/v1/emails', { as: f.rep, body: email('<shared@mailer>') });
    const other = await t.request('POST', '/api/v1/emails', { as: f.otherRep, body: email('<shared@mailer>') });
    expect(other.body.alreadyLogged).toBe(true);
    expect(await emailCount('<shared@mailer>')).toBe(1);
  });

  it('never names another rep\'s deal to a rep, whoever logged the email first; a manager sees both', async () => {
    const first = await t.request('POST', '/api/v1/emails', { as: f.otherRep, body: email('<private@mailer>') });
    expect(first.body.dealIds).toEqual([f.otherRepDealId]);
    const again = await t.request('POST', '/api/v1/emails', { as: f.rep, body: email('<private@mailer>') });
    expect(again.body).toMatchObject({ alreadyLogged: true, dealIds: [f.dealId] });
    // What the rep was not told is indeed not theirs to see.
    expect((await t.request('GET', `/api/v1/deals/${f.otherRepDealId}`, { as: f.rep })).status).toBe(404);
    const manager = await t.request('POST', '/api/v1/emails', { as: f.manager, body: email('<private@mailer>') });
    expect(manager.body.dealIds.sort()).toEqual([f.dealId, f.otherRepDealId].sort());
  });

  it('creates nothing when no address matches a contact', async () => {
    const res = await t.request('POST', '/api/v1/emails', { as: f.rep, body: email('<nobody@x>', { from: 'stranger@elsewhere.org', to: ['other@nowhere.net'], cc: [] }) });
    expect(res.body).toEqual({ logged: false, alreadyLogged: false, activityId: null, contactIds: [], companyIds: [], dealIds: [] });
    expect(await emailCount('<nobody@x>')).toBe(0);
    const contacts = await t.request('GET', '/api/v1/contacts?email=stranger@elsewhere.org', { as: f.rep });
    expect(contacts.body.data).toEqual([]);
  });

  it('does not link closed deals', async () => {
    const won = f.stageIds[4]!;
    await t.request('PATCH', `/api/v1/deals/${f.otherRepDealId}`, { as: f.otherRep, body: { stage: won } });
    const res = await t.request('POST', '/api/v1/emails', { as: f.rep, body: email('<after-win@mailer>') });
    expect(res.body.dealIds).toEqual([f.dealId]);
  });
});

describe('GET /context', () => {
  it('returns what the sidebar shows for a thread in one call', async () => {
    const res = await t.request('GET', `/api/v1/context?emails=${encodeURIComponent(`PAT.QUINN@mailer-industries.com,${second.email},unknown@new.io`)}`, { as: f.rep });
    expect(res.status).toBe(200);
    const c = res.body;
    expect(c.contacts.map((x: { id: string }) => x.id).sort()).toEqual([f.contactId, second.id].sort());
    expect(c.contacts[0].owner).toMatchObject({ id: f.rep.userId });
    expect(c.unknownEmails).toEqual(['unknown@new.io']);
    expect(c.companies.map((x: { id: string }) => x.id)).toEqual([f.companyId]);
    expect(c.deals.map((d: { id: string }) => d.id)).toEqual([f.dealId]);
    expect(c.deals[0]).toMatchObject({ name: 'Mailer expansion', valueCents: 1_250_000, stageInfo: { name: 'Discovery' }, owner: { id: f.rep.userId } });
    expect(c.activities.length).toBeGreaterThanOrEqual(3);
    const times = c.activities.map((a: { occurredAt: string }) => a.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(c.tasks.map((x: { id: string }) => x.id)).toEqual([f.taskId]);
    expect(c.activities.map((a: { id: string }) => a.id)).not.toContain(f.taskId);
  });

  it('drops a completed task from the open tasks and keeps it in the timeline', async () => {
    await t.request('PATCH', `/api/v1/tasks/${f.taskId}`, { as: f.rep, body: { completed: true } });
    const res = await t.request('GET', `/api/v1/context?emails=${f.contactEmail}`, { as: f.rep });
    expect(res.body.tasks).toEqual([]);
    expect(res.body.activities.find((a: { id: string }) => a.id === f.taskId)?.completedAt).toBeTruthy();
  });

  it('finds nothing for unknown people and ignores malformed addresses', async () => {
    const res = await t.request('GET', '/api/v1/context?emails=nobody@nowhere.test,not-an-email', { as: f.rep });
    expect(res.body).toMatchObject({ contacts: [], companies: [], deals: [], activities: [], tasks: [], unknownEmails: ['nobody@nowhere.test'] });
  });
});
