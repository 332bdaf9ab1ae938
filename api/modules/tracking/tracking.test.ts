// End to end through the API: register a tracked message, report it sent, fetch its pixel and follow
// its links as people and as machines would, and read back what counted: in the summaries, the
// context lookup, the sent-list labels, the timeline, the engagement events and what their consumers
// do (the sender's notification, the deal's risk).
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../../core/tracking/tokens.ts';
import { deals, dealRisk, domainEvents } from '../../../db/schema/index.ts';
import { createTestApp, testTrackingKeyring, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { countHits, hit, IP, MIN, registerTracked, S, UA } from '../../../test-support/tracking.ts';
import { loadDeals } from '../risk/risk.service.ts';
import { HitBuffer } from './hit-buffer.ts';
import { silentLogger } from '../../log.ts';

const SENT = Date.parse('2026-11-20T09:00:00Z');
let now = SENT;
let t: TestApp;
let a: OrgFixture;
let b: OrgFixture;
let message: Awaited<ReturnType<typeof registerTracked>>;
const HOST_ID = '<proposal-1@alpha.test>';
const THREAD = 'thread-alpha-1';

/** Moves the clock to `at` (ms after SENT) and settles what is due then. */
async function settleAt(at: number) {
  now = SENT + at;
  await t.tracking.hits.flush();
}
async function summary(as = a.rep) {
  const res = await t.request('GET', `/api/v1/tracking/messages?messageIds=${encodeURIComponent(HOST_ID)}`, { as });
  expect(res.status).toBe(200);
  return res.body.data[0];
}
const emailOpenedNotifications = async (as = a.rep) =>
  (await t.request('GET', '/api/v1/notifications', { as })).body.data.filter((n: { kind: string }) => n.kind === 'email_opened');
const trackingActivities = async (type: 'email_opened' | 'email_clicked') =>
  (await t.request('GET', `/api/v1/activities?type=${type}&contactId=${a.contactId}`, { as: a.rep })).body.data;
/** The engagement events tracking emitted, oldest first. */
const engagementEvents = async () =>
  t.database.db
    .select({ type: domainEvents.type, orgId: domainEvents.orgId, recordId: domainEvents.recordId, actorId: domainEvents.actorId, data: domainEvents.data })
    .from(domainEvents)
    .where(inArray(domainEvents.type, ['email.opened', 'email.clicked']))
    .orderBy(asc(domainEvents.seq));

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  a = await createOrgFixture(t, 'Alpha');
  b = await createOrgFixture(t, 'Bravo');
});
afterAll(() => t.close());

describe('a tracked message, end to end', () => {
  it('registers, is logged and reported sent', async () => {
    const logged = await t.request('POST', '/api/v1/emails', {
      as: a.rep,
      body: { messageId: HOST_ID, threadId: THREAD, from: a.rep.email, to: [a.contactEmail], subject: 'Proposal', sentAt: new Date(SENT).toISOString(), direction: 'outbound' },
    });
    expect(logged.body.logged).toBe(true);
    message = await registerTracked(t, a.rep, {
      to: [a.contactEmail],
      subject: 'Proposal',
      threadId: THREAD,
      html: '<html><body><p><a href="https://example.com/a">A</a> <a href="https://example.com/b">B</a> <a href="https://example.com/c">C</a></p></body></html>',
    });
    expect(message.decision).toMatchObject({ reason: 'tracked', storeIdentity: true, storeExactTime: true });
    const sent = await t.request('POST', `/api/v1/tracking/messages/${message.trackedMessageId}/sent`, {
      as: a.rep,
      body: { messageId: HOST_ID, threadId: THREAD, sentAt: new Date(SENT).toISOString() },
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ id: message.trackedMessageId, messageId: HOST_ID, threadId: THREAD, sentAt: '2026-11-20T09:00:00.000Z', recipientCount: 1 });
    expect(sent.body.opens).toEqual({ count: 0, first: null, last: null });
  });

  it('counts the person and the image proxy, not the prefetch, the scanners or the sender’s own mailbox', async () => {
    const [linkA, linkB, linkC] = message.links;
    const honeypot = /<a href="([^"]+)" style="display:none"/.exec(message.html)![1]!;
    const at = async (ms: number, url: string, options: Parameters<typeof hit>[2]) => {
      now = SENT + ms;
      await hit(t, url, options);
    };
    // Seconds after sending: Gmail showing the sender's sent copy, Apple's prefetch, Safe Links' check.
    await at(2 * S, message.pixelUrl, { ua: UA.gmailProxy, ip: IP.google });
    await at(3 * S, message.pixelUrl, { ua: UA.appleMpp, ip: IP.apple });
    await at(4 * S, linkA!.trackedUrl, { ua: UA.chrome, ip: IP.microsoft, method: 'HEAD' });
    // The recipient reads it in Apple Mail, later in Gmail.
    await at(30 * MIN, message.pixelUrl, { ua: UA.appleMail });
    await at(45 * MIN, message.pixelUrl, { ua: UA.gmailProxy, ip: IP.google });
    // A scanner follows every link within seconds, the hidden one too.
    await at(50 * MIN, linkA!.trackedUrl, {});
    await at(50 * MIN + S, linkB!.trackedUrl, {});
    await at(50 * MIN + 2 * S, linkC!.trackedUrl, {});
    await at(50 * MIN + 3 * S, honeypot, {});
    // The recipient clicks one link.
    await at(60 * MIN, linkB!.trackedUrl, { ua: UA.chrome });

    // Five seconds on, the click is still inside its settle window.
    await settleAt(60 * MIN + 5 * S);
    expect(await summary()).toMatchObject({ pendingClicks: 1, clicks: [], opens: { count: 2 } });

    await settleAt(61 * MIN);
    const s = await summary();
    expect(s).toEqual({
      id: message.trackedMessageId,
      messageId: HOST_ID,
      threadId: THREAD,
      subject: 'Proposal',
      sentAt: '2026-11-20T09:00:00.000Z',
      recipientCount: 1,
      attribution: { kind: 'recipient', email: a.contactEmail },
      precision: 'exact',
      opens: { count: 2, first: '2026-11-20T09:30:00.000Z', last: '2026-11-20T09:45:00.000Z' },
      clicks: [{ linkIndex: 1, url: 'https://example.com/b', count: 1, first: '2026-11-20T10:00:00.000Z', last: '2026-11-20T10:00:00.000Z' }],
      machineHits: { image_proxy: 1, apple_mpp: 1, scanner: 5, sender_self: 0, unknown: 0 },
      pendingClicks: 0,
    });
    expect(await countHits(t)).toBe(10);
  });

  it('says so in one engagement event per new (kind, link, day), with what the consumers need', async () => {
    const events = await engagementEvents();
    expect(events.map((e) => e.type)).toEqual(['email.opened', 'email.clicked']);
    const [opened, clicked] = events;
    const openActivity = (await trackingActivities('email_opened'))[0];
    const clickActivity = (await trackingActivities('email_clicked'))[0];
    expect(opened).toEqual({
      type: 'email.opened',
      orgId: a.admin.orgId,
      recordId: message.trackedMessageId,
      actorId: null,
      data: {
        trackedMessageId: message.trackedMessageId,
        senderId: a.rep.userId,
        activityId: openActivity.id,
        // The email's deals: the contact is on the rep's deal and on a colleague's.
        dealIds: [a.dealId, a.otherRepDealId].sort(),
        subject: 'Proposal',
        firstCountedOpen: true,
        openedAt: '2026-11-20T09:30:00.000Z',
        messageId: HOST_ID,
        threadId: THREAD,
        recipientName: 'Pat Quinnalpha',
        explanation: expect.stringMatching(/loaded the image directly/),
      },
    });
    expect(clicked!.data).toMatchObject({
      trackedMessageId: message.trackedMessageId,
      activityId: clickActivity.id,
      dealIds: [a.dealId, a.otherRepDealId].sort(),
      firstCountedOpen: false,
      linkIndex: 1,
      url: 'https://example.com/b',
      clickedAt: '2026-11-20T10:00:00.000Z',
    });
    expect(clicked!.data).not.toHaveProperty('openedAt');
    // Nothing else happened yet: notifying and rescoring are the consumers' work, after the commit.
    expect(await emailOpenedNotifications()).toEqual([]);
    await t.deliverEvents();
  });

  it('shows the same summary in the context lookup, and labels the thread opened', async () => {
    const context = await t.request('GET', `/api/v1/context?emails=${a.contactEmail}&messageIds=${encodeURIComponent(`${HOST_ID},<other@alpha.test>`)}`, { as: a.rep });
    expect(context.status).toBe(200);
    expect(context.body.tracking).toEqual([await summary()]);
    const withoutIds = await t.request('GET', `/api/v1/context?emails=${a.contactEmail}`, { as: a.rep });
    expect(withoutIds.body.tracking).toEqual([]);
    const threads = await t.request('GET', `/api/v1/tracking/threads?threadIds=${THREAD},thread-unknown`, { as: a.rep });
    expect(threads.body.data).toEqual([{ threadId: THREAD, state: 'opened', opens: 2, lastOpenAt: '2026-11-20T09:45:00.000Z' }]);
  });

  it('notifies the sender once, on the first human open', async () => {
    const notes = await emailOpenedNotifications();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      title: `Pat Quinnalpha opened “Proposal”`,
      dealId: null,
      data: { trackedMessageId: message.trackedMessageId, messageId: HOST_ID, threadId: THREAD, subject: 'Proposal' },
    });
    expect(await emailOpenedNotifications(a.manager)).toEqual([]);
  });

  it('puts one open and one click on the timeline, linked like the email', async () => {
    const email = (await t.request('GET', `/api/v1/activities?type=email&contactId=${a.contactId}`, { as: a.rep })).body.data[0];
    const [opened] = await trackingActivities('email_opened');
    expect(opened).toMatchObject({
      subject: 'Proposal',
      ownerId: a.rep.userId,
      occurredAt: '2026-11-20T09:30:00.000Z',
      body: 'Pat Quinnalpha opened this email 2 times; last at 2026-11-20 09:45 UTC.',
      contactIds: email.contactIds,
      dealIds: email.dealIds,
    });
    expect(email.dealIds).toContain(a.dealId);
    const clicked = await trackingActivities('email_clicked');
    expect(clicked).toHaveLength(1);
    expect(clicked[0].body).toBe('Pat Quinnalpha clicked https://example.com/b once; last at 2026-11-20 10:00 UTC.');
    // The recipient's doing, not the rep's: the team activity report leaves them out.
    const counts = (await t.request('GET', '/api/v1/reports/activity-counts', { as: a.admin })).body.rows.find((r: { ownerId: string }) => r.ownerId === a.rep.userId);
    expect(counts).not.toHaveProperty('email_opened');
    expect(counts.total).toBe(counts.email + counts.call + counts.meeting + counts.note + counts.task);
    expect(counts.email).toBe(1);
    // Written by tracking only: not creatable, not editable.
    expect((await t.request('POST', '/api/v1/activities', { as: a.rep, body: { type: 'email_opened' } })).status).toBe(400);
    expect((await t.request('PATCH', `/api/v1/activities/${opened.id}`, { as: a.rep, body: { subject: 'x' } })).status).toBe(403);
  });

  it('feeds the deal’s risk: engagement loaded, score recomputed when the events were handled', async () => {
    const [loaded] = await t.inOrg(a.admin.orgId, (s) => loadDeals(s, eq(deals.id, a.dealId)));
    expect(loaded!.input.engagement).toEqual(
      expect.arrayContaining([
        { kind: 'open', at: new Date('2026-11-20T09:30:00Z') },
        { kind: 'click', at: new Date('2026-11-20T10:00:00Z') },
      ]),
    );
    expect(loaded!.input.engagement).toHaveLength(2);
    expect(loaded!.input.activities.every((x) => ['email', 'call', 'meeting', 'note', 'task'].includes(x.type))).toBe(true);
    const [risk] = await t.database.db.select().from(dealRisk).where(and(eq(dealRisk.orgId, a.admin.orgId), eq(dealRisk.dealId, a.dealId)));
    expect(risk!.computedAt.toISOString()).toBe('2026-11-20T10:01:00.000Z');
  });

  it('later opens update the same activity and never notify again', async () => {
    now = SENT + 3 * 60 * MIN;
    await hit(t, message.pixelUrl, { ua: UA.outlookDesktop });
    await settleAt(3 * 60 * MIN + 10 * S);
    await t.deliverEvents();
    expect((await summary()).opens).toEqual({ count: 3, first: '2026-11-20T09:30:00.000Z', last: '2026-11-20T12:00:00.000Z' });
    expect(await emailOpenedNotifications()).toHaveLength(1);
    // The same day: no new engagement, so no new event for the timeline's and risk's unit.
    expect((await engagementEvents()).map((e) => e.type)).toEqual(['email.opened', 'email.clicked']);
    const opened = await trackingActivities('email_opened');
    expect(opened).toHaveLength(1);
    expect(opened[0].body).toBe('Pat Quinnalpha opened this email 3 times; last at 2026-11-20 12:00 UTC.');
  });

  it('does not count the sender looking at their own sent message, even when the report comes just after the fetch', async () => {
    const before = await summary();
    now = SENT + 4 * 60 * MIN;
    const report = await t.request('POST', '/api/v1/tracking/sender-views', { as: a.rep, body: { messageIds: [HOST_ID, '<not-tracked@alpha.test>'] } });
    expect(report.body).toEqual({ recorded: 1 });
    now += 2 * S;
    await hit(t, message.pixelUrl, { ua: UA.gmailProxy, ip: IP.google });
    // Later: Gmail fetches first, the extension's report arrives two seconds after.
    now = SENT + 5 * 60 * MIN;
    await hit(t, message.pixelUrl, { ua: UA.gmailProxy, ip: IP.google });
    now += 2 * S;
    await t.request('POST', '/api/v1/tracking/sender-views', { as: a.rep, body: { messageIds: [HOST_ID] } });
    await settleAt(5 * 60 * MIN + 10 * S);
    const after = await summary();
    expect(after.opens).toEqual(before.opens);
    expect(after.machineHits.sender_self).toBe(2);
    // Someone else's report about this message is ignored.
    expect((await t.request('POST', '/api/v1/tracking/sender-views', { as: a.otherRep, body: { messageIds: [HOST_ID] } })).body).toEqual({ recorded: 0 });
  });
});

describe('who sees it', () => {
  it('the sender, managers, admins and read-only members; not another rep', async () => {
    for (const caller of [a.rep, a.manager, a.admin, a.readonly]) {
      expect((await t.request('GET', `/api/v1/tracking/messages/${message.trackedMessageId}`, { as: caller })).status).toBe(200);
    }
    expect((await t.request('GET', `/api/v1/tracking/messages/${message.trackedMessageId}`, { as: a.otherRep })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/tracking/messages?messageIds=${encodeURIComponent(HOST_ID)}`, { as: a.otherRep })).body.data).toEqual([]);
    expect((await t.request('GET', `/api/v1/tracking/messages`, { as: a.otherRep })).body.data).toEqual([]);
    expect((await t.request('GET', `/api/v1/tracking/messages`, { as: a.manager })).body.data.map((m: { id: string }) => m.id)).toEqual([message.trackedMessageId]);
  });

  it('only the sender reports it sent', async () => {
    const res = await t.request('POST', `/api/v1/tracking/messages/${message.trackedMessageId}/sent`, { as: a.manager, body: { messageId: '<hijack@alpha.test>' } });
    expect(res.status).toBe(403);
    expect((await summary()).messageId).toBe(HOST_ID);
  });

  it('another organization sees nothing at all', async () => {
    for (const caller of [b.admin, b.manager, b.rep]) {
      expect((await t.request('GET', `/api/v1/tracking/messages/${message.trackedMessageId}`, { as: caller })).status).toBe(404);
      expect((await t.request('GET', `/api/v1/tracking/messages?messageIds=${encodeURIComponent(HOST_ID)}`, { as: caller })).body.data).toEqual([]);
      expect((await t.request('GET', `/api/v1/tracking/messages?threadIds=${THREAD}`, { as: caller })).body.data).toEqual([]);
      expect((await t.request('GET', `/api/v1/tracking/threads?threadIds=${THREAD}`, { as: caller })).body.data).toEqual([]);
      const context = await t.request('GET', `/api/v1/context?emails=${a.contactEmail}&messageIds=${encodeURIComponent(HOST_ID)}`, { as: caller });
      expect(context.body.tracking).toEqual([]);
      expect((await t.request('POST', '/api/v1/tracking/sender-views', { as: caller, body: { messageIds: [HOST_ID] } })).body).toEqual({ recorded: 0 });
    }
    expect(await emailOpenedNotifications(b.rep)).toEqual([]);
  });
});

describe('the hit buffer', () => {
  it('drops hits of messages it does not know, and says so in its counters', async () => {
    const rows = await countHits(t);
    const { dropped } = t.tracking.hits.counters;
    const ghost = signToken({ kind: 'open', messageId: '00000000-0000-4000-8000-000000000000', recipient: null }, testTrackingKeyring);
    const res = await t.app.request(`/o/${ghost}.gif`, { headers: { 'user-agent': UA.chrome } });
    expect(res.status).toBe(200);
    now += 10 * S;
    await t.tracking.hits.flush();
    expect(t.tracking.hits.counters.dropped).toBe(dropped + 1);
    expect(await countHits(t)).toBe(rows);
  });

  it('writes a burst in batches and, on drain, everything still queued', async () => {
    const rows = await countHits(t);
    const buffer = new HitBuffer({ db: t.database.db, log: silentLogger, now: () => now, maxBatch: 7 });
    const base = { trackedMessageId: message.trackedMessageId, recipientId: null, kind: 'open' as const, linkIndex: null, honeypot: false, method: 'GET', userAgent: UA.appleMail, network: null, ipPrefix: '203.0.113.0/24' };
    for (let i = 0; i < 25; i++) buffer.push({ ...base, at: now });
    expect(await countHits(t)).toBe(rows);
    await buffer.drain();
    expect(buffer.counters).toMatchObject({ accepted: 25, written: 25, dropped: 0, queued: 0 });
    expect(await countHits(t)).toBe(rows + 25);
  });

  it('keeps what it wrote but had not settled for the next start, which settles it', async () => {
    // Well away from the sender's last view.
    now += 10 * MIN;
    const started = now;
    const first = new HitBuffer({ db: t.database.db, log: silentLogger, now: () => now });
    first.push({ trackedMessageId: message.trackedMessageId, recipientId: null, kind: 'click', linkIndex: 2, honeypot: false, at: now, method: 'GET', userAgent: UA.chrome, network: null, ipPrefix: null });
    now += S;
    await first.drain();
    expect((await summary()).pendingClicks).toBe(1);
    // A new process, later: its first pass settles the click.
    now = started + MIN;
    const second = new HitBuffer({ db: t.database.db, log: silentLogger, now: () => now });
    await second.flush();
    const s = await summary();
    expect(s.pendingClicks).toBe(0);
    expect(s.clicks.find((c: { linkIndex: number }) => c.linkIndex === 2)).toMatchObject({ count: 1, url: 'https://example.com/c' });
  });

  it('refuses new hits, and counts them, once its memory is full', () => {
    const buffer = new HitBuffer({ db: t.database.db, log: silentLogger, now: () => now, maxQueued: 2 });
    const open = { trackedMessageId: message.trackedMessageId, recipientId: null, kind: 'open' as const, linkIndex: null, honeypot: false, at: now, method: 'GET', userAgent: null, network: null, ipPrefix: null };
    for (let i = 0; i < 3; i++) buffer.push(open);
    expect(buffer.counters).toMatchObject({ accepted: 2, discarded: 1, queued: 2 });
  });

  it('keeps hits queued when the database refuses them, and writes them once it is back', async () => {
    const rows = await countHits(t);
    const broken = { execute: () => Promise.reject(new Error('connection lost')) } as unknown as typeof t.database.db;
    const buffer = new HitBuffer({ db: broken, log: silentLogger, now: () => now });
    buffer.push({ trackedMessageId: message.trackedMessageId, recipientId: null, kind: 'open', linkIndex: null, honeypot: false, at: now, method: 'GET', userAgent: UA.appleMail, network: null, ipPrefix: null });
    await buffer.flush();
    expect(buffer.counters).toMatchObject({ accepted: 1, written: 0, queued: 1 });
    Object.assign(broken, { execute: t.database.db.execute.bind(t.database.db) });
    await buffer.drain();
    expect(buffer.counters).toMatchObject({ written: 1, queued: 0 });
    expect(await countHits(t)).toBe(rows + 1);
  });
});
