// Domain events: every change writes its event to the outbox in the same transaction (with the
// actor, the record and a before/after of what changed); a failed change writes none; consumers are
// handed each event at least once and act once; the database announces each event at commit.
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent, EventType } from '../../../core/events.ts';
import { domainEvents, eventDeliveries, notifications } from '../../../db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { silentLogger } from '../../log.ts';
import type { EventConsumer } from './consumer.ts';
import { deliverEvent, deliverPendingInline } from './delivery.ts';
import { replayEvents } from './replay.ts';
import { openEventStream, type EventAnnouncement } from './stream.ts';

let t: TestApp;
let f: OrgFixture;
let other: OrgFixture;

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Eventful');
  other = await createOrgFixture(t, 'Elsewhere');
});
afterAll(() => t.close());

const lastSeq = async () => (await t.database.db.select({ seq: sql<number>`coalesce(max(${domainEvents.seq}), 0)::int` }).from(domainEvents))[0]!.seq;
const eventsSince = (seq: number) => t.database.db.select().from(domainEvents).where(gt(domainEvents.seq, seq)).orderBy(asc(domainEvents.seq));

async function call(method: string, path: string, as: OrgFixture['rep'], body?: unknown) {
  const res = await t.request(method, `/api/v1${path}`, { as, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

describe('the outbox', () => {
  it('records each change with its type, organization, actor, record and what changed', async () => {
    const before = await lastSeq();
    const deal = await call('POST', '/deals', f.rep, { name: 'Evented deal', valueCents: 500_000, contactIds: [f.contactId] });
    const proposal = f.stageIds[2]!;
    await call('PATCH', `/deals/${deal.id}`, f.rep, { stage: proposal, valueCents: 750_000 });
    await call('PATCH', `/deals/${deal.id}`, f.manager, { ownerId: f.otherRep.userId });
    const won = f.stageIds[4]!;
    await call('PATCH', `/deals/${deal.id}`, f.manager, { stage: won });
    const events = await eventsSince(before);
    const mine = events.filter((e) => e.recordId === deal.id && e.type !== 'deal.risk_changed');
    expect(mine.map((e) => e.type)).toEqual([
      'deal.created',
      'deal.updated', 'deal.stage_changed',
      'deal.updated', 'deal.owner_changed',
      'deal.updated', 'deal.stage_changed', 'deal.closed_won',
    ]);
    for (const e of mine) expect(e).toMatchObject({ orgId: f.admin.orgId, recordType: 'deal', dispatchedAt: null });
    expect(mine[0]!.actorId).toBe(f.rep.userId);
    expect(mine[1]!.changes).toMatchObject({ stageId: { old: f.stageIds[0], new: proposal }, valueCents: { old: 500_000, new: 750_000 } });
    expect(mine[3]!.actorId).toBe(f.manager.userId);
    expect(mine[3]!.changes).toMatchObject({ ownerId: { old: f.rep.userId, new: f.otherRep.userId } });
    expect(mine[7]!.changes).toMatchObject({ outcome: { old: null, new: 'won' } });
    // A snapshot of the record after the change travels with it, for consumers that send it on.
    expect(mine[7]!.data).toMatchObject({ deal: { id: deal.id, name: 'Evented deal', outcome: 'won', valueCents: 750_000 } });
    // Its first score is no change of risk (it travels in the created deal's snapshot); closing
    // took its score away, which is not an event either.
    expect(mine[0]!.data).toMatchObject({ deal: { risk: { band: expect.any(String) } } });
    for (const e of events.filter((x) => x.recordId === deal.id && x.type === 'deal.risk_changed')) expect(e.changes.band!.old).not.toBeNull();
  });

  it.each([
    ['contact.created', 'POST', '/contacts', { email: 'ev.one@eventful.test', firstName: 'Ev' }],
    ['company.created', 'POST', '/companies', { name: 'Evented Co', domain: 'evented-co.test' }],
    ['activity.created', 'POST', '/activities', { type: 'note', body: 'An evented note' }],
    ['task.created', 'POST', '/tasks', { subject: 'Evented task' }],
  ] as [EventType, string, string, unknown][])('%s on %s %s', async (type, method, path, body) => {
    const before = await lastSeq();
    const created = await call(method, path, f.rep, body);
    const events = await eventsSince(before);
    expect(events.map((e) => [e.type, e.recordId])).toContainEqual([type, created.id]);
  });

  it('records updates, completions, deletes, restores and logged emails', async () => {
    const before = await lastSeq();
    const contact = await call('POST', '/contacts', f.rep, { email: 'ev.two@eventful.test' });
    await call('PATCH', `/contacts/${contact.id}`, f.rep, { title: 'CFO' });
    const task = await call('POST', '/tasks', f.rep, { subject: 'Call back', dealIds: [f.dealId] });
    await call('PATCH', `/tasks/${task.id}`, f.rep, { completed: true });
    await call('DELETE', `/contacts/${contact.id}`, f.admin);
    await call('POST', `/contacts/${contact.id}/restore`, f.admin);
    const email = await call('POST', '/emails', f.rep, {
      messageId: '<evented-1@eventful.test>', from: f.contactEmail, to: [f.rep.email], subject: 'Re: pricing', sentAt: new Date().toISOString(), direction: 'inbound',
    });
    const types = (await eventsSince(before)).map((e) => `${e.type} ${e.recordId}`);
    expect(types).toEqual(
      expect.arrayContaining([
        `contact.updated ${contact.id}`,
        `task.updated ${task.id}`,
        `task.completed ${task.id}`,
        `contact.deleted ${contact.id}`,
        `contact.restored ${contact.id}`,
        `email.logged ${email.activityId}`,
      ]),
    );
    const updated = (await eventsSince(before)).find((e) => e.type === 'contact.updated')!;
    expect(updated.changes).toEqual({ title: { old: null, new: 'CFO' } });
  });

  it('writes nothing for a change that fails, and nothing for a change that changes nothing', async () => {
    const before = await lastSeq();
    const refused = await t.request('PATCH', `/api/v1/deals/${f.dealId}`, { as: f.readonly, body: { valueCents: 1 } });
    expect(refused.status).toBe(403);
    const invalid = await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Bad stage', stage: other.stageIds[0] } });
    expect(invalid.status).toBe(400);
    const deal = await call('GET', `/deals/${f.dealId}`, f.rep);
    await call('PATCH', `/deals/${f.dealId}`, f.rep, { name: deal.name });
    expect(await eventsSince(before)).toEqual([]);
  });

  it('keeps each organization\'s events to itself under RLS', async () => {
    const seen = await t.inOrg(other.admin.orgId, (s) => s.db.select({ orgId: domainEvents.orgId }).from(domainEvents));
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((e) => e.orgId))).toEqual(new Set([other.admin.orgId]));
  });
});

describe('delivery to consumers', () => {
  it('hands a consumer each event it wants, once, even when delivered again (a retry, a replay)', async () => {
    const seen: DomainEvent[] = [];
    const probe: EventConsumer = { name: 'test-probe', types: ['contact.created'], handle: async (_s, e) => void seen.push(e) };
    await deliverPendingInline(t.database.db, () => new Date(), []); // what the fixtures left: dispatched, for no one
    const contact = await call('POST', '/contacts', f.rep, { email: 'ev.three@eventful.test' });
    await deliverPendingInline(t.database.db, () => new Date(), [probe]);
    expect(seen.map((e) => [e.type, e.recordId, e.actorId])).toEqual([['contact.created', contact.id, f.rep.userId]]);
    // The same event again: the delivery is on record, so nothing happens.
    expect(await deliverEvent(t.database.db, () => new Date(), probe, seen[0]!.orgId, seen[0]!.id)).toBe('already-delivered');
    expect(seen).toHaveLength(1);
    const deliveries = await t.database.db.select().from(eventDeliveries).where(and(eq(eventDeliveries.consumer, 'test-probe'), eq(eventDeliveries.eventId, seen[0]!.id)));
    expect(deliveries).toHaveLength(1);
  });

  it('rolls a failing consumer\'s work back with its delivery record, so the retry does it', async () => {
    let attempts = 0;
    const flaky: EventConsumer = {
      name: 'test-flaky',
      types: ['company.created'],
      async handle(s, e) {
        attempts++;
        await s.db.insert(notifications).values({ orgId: s.orgId, userId: f.rep.userId!, kind: 'email_opened', title: `for ${e.recordId}`, dedupeKey: `flaky:${e.id}` });
        if (attempts === 1) throw new Error('flaky consumer');
      },
    };
    const company = await call('POST', '/companies', f.rep, { name: 'Flaky Co', domain: 'flaky-co.test' });
    const [event] = await t.database.db.select().from(domainEvents).where(and(eq(domainEvents.type, 'company.created'), eq(domainEvents.recordId, company.id)));
    await expect(deliverEvent(t.database.db, () => new Date(), flaky, event!.orgId, event!.id)).rejects.toThrow(/flaky/);
    expect(await t.database.db.select().from(notifications).where(eq(notifications.dedupeKey, `flaky:${event!.id}`))).toEqual([]);
    expect(await deliverEvent(t.database.db, () => new Date(), flaky, event!.orgId, event!.id)).toBe('delivered');
    expect(await deliverEvent(t.database.db, () => new Date(), flaky, event!.orgId, event!.id)).toBe('already-delivered');
    expect(await t.database.db.select().from(notifications).where(eq(notifications.dedupeKey, `flaky:${event!.id}`))).toHaveLength(1);
    expect(attempts).toBe(2);
  });
});

describe('the live announcement', () => {
  it('announces each committed event to listeners, and nothing for a rolled-back change', async () => {
    const stream = await openEventStream(t.database, silentLogger);
    const heard: EventAnnouncement[] = [];
    stream.subscribe((e) => heard.push(e));
    try {
      await t.request('PATCH', `/api/v1/deals/${f.dealId}`, { as: f.readonly, body: { valueCents: 1 } }); // refused: nothing
      const contact = await call('POST', '/contacts', f.rep, { email: 'ev.four@eventful.test' });
      await expect.poll(() => heard.map((e) => [e.type, e.recordId, e.orgId]), { timeout: 5000 }).toContainEqual(['contact.created', contact.id, f.admin.orgId]);
      expect(heard.every((e) => e.type !== 'deal.updated')).toBe(true);
    } finally {
      await stream.close();
    }
  });
});

describe('replaying a time range', () => {
  it('reaches only consumers that never finished an event, unless consumers are named', async () => {
    const seen: string[] = [];
    const probe: EventConsumer = { name: 'test-replay', types: ['contact.created'], handle: async (_s, e) => void seen.push(e.recordId) };
    const contact = await call('POST', '/contacts', f.rep, { email: 'ev.replay@eventful.test' });
    // A range around this one event: earlier contacts were never handed to this consumer, and a
    // replay would (rightly) give them to it.
    const [event] = await t.database.db.select().from(domainEvents).where(and(eq(domainEvents.type, 'contact.created'), eq(domainEvents.recordId, contact.id)));
    const from = event!.occurredAt;
    const to = new Date(from.getTime() + 1);
    await deliverPendingInline(t.database.db, () => new Date(), []);
    await replayEvents(t.database.db, { from, to, orgId: f.admin.orgId });
    await deliverPendingInline(t.database.db, () => new Date(), [probe]);
    expect(seen).toEqual([contact.id]);

    expect(await replayEvents(t.database.db, { from, to, orgId: f.admin.orgId })).toMatchObject({ forgottenDeliveries: 0 });
    await deliverPendingInline(t.database.db, () => new Date(), [probe]);
    expect(seen).toEqual([contact.id]); // handled already: nothing again

    const replayed = await replayEvents(t.database.db, { from, to, orgId: f.admin.orgId, consumers: ['test-replay'] });
    expect(replayed).toMatchObject({ forgottenDeliveries: 1 });
    await deliverPendingInline(t.database.db, () => new Date(), [probe]);
    expect(seen).toEqual([contact.id, contact.id]);
    await expect(replayEvents(t.database.db, { from: to, to: from })).rejects.toThrow(/start before/);
  });
});
