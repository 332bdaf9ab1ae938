// The daily recompute: time alone makes a quiet deal riskier, in every organization, and a deal
// that enters the high band this way notifies its owner and manager once, however often it runs.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealRisk, notifications } from '../../../db/schema/index.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';
import { riskRecomputeJob } from './risk-recompute.job.ts';

let t: TestApp;
let a: OrgFixture;
let b: OrgFixture;
const DAY = 86_400_000;
const start = new Date();
const later = (days: number) => new Date(start.getTime() + days * DAY);

beforeAll(async () => {
  t = await createTestApp();
  a = await createOrgFixture(t, 'Decay');
  b = await createOrgFixture(t, 'Decay Too');
});
afterAll(() => t.close());

/** A deal with one contact, closing in a week, and a call today: nothing wrong yet. */
async function freshDeal(f: OrgFixture, as: Caller, name: string) {
  const deal = (await t.request('POST', '/api/v1/deals', { as, body: { name, contactIds: [f.contactId], expectedCloseDate: later(7).toISOString().slice(0, 10) } })).body;
  await t.request('POST', '/api/v1/activities', { as, body: { type: 'call', subject: 'Kick-off', occurredAt: start.toISOString(), dealIds: [deal.id] } });
  return deal.id as string;
}

const stored = async (orgId: string, dealId: string) =>
  (await t.database.db.select().from(dealRisk).where(and(eq(dealRisk.orgId, orgId), eq(dealRisk.dealId, dealId))))[0]!;
const highRiskNotes = (dealId: string) => t.database.db.select().from(notifications).where(and(eq(notifications.dealId, dealId), eq(notifications.kind, 'deal_high_risk')));
/** The day's job for every organization, as the cron fans it out; then the consumers run. */
const run = async (now: Date) => {
  for (const orgId of [a.admin.orgId, b.admin.orgId]) await t.runJob(riskRecomputeJob, { orgId, day: now.toISOString().slice(0, 10) }, now);
  await t.deliverEvents();
};

describe('risk-recompute job', () => {
  it('rescores stale deals of every organization as of its time', async () => {
    const mine = await freshDeal(a, a.rep, 'Goes quiet');
    const theirs = await freshDeal(b, b.rep, 'Goes quiet too');
    const before = await stored(a.admin.orgId, mine);
    expect(before.band).toBe('low');
    expect(before.reasons.map((r) => r.code)).not.toContain('no_reply');

    await run(later(40));
    for (const [org, deal] of [[a, mine], [b, theirs]] as const) {
      const after = await stored(org.admin.orgId, deal);
      expect(after.computedAt).toEqual(later(40));
      expect(after.score).toBeGreaterThan(before.score);
      expect(after.band).toBe('high');
      expect(after.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['no_reply', 'close_date_passed', 'stalled_in_stage']));
      expect(after.reasons.find((r) => r.code === 'no_reply')!.numbers.days).toBe(40);
    }
  });

  it('notifies the owner and their manager once per transition into the high band', async () => {
    const deal = await freshDeal(a, a.otherRep, 'Notify once');
    await run(later(40));
    const first = await highRiskNotes(deal);
    expect(first.map((n) => n.userId).sort()).toEqual([a.otherRep.userId, a.manager.userId].sort());
    // The same run again (a retry), and the next days: still high, no new notification.
    await run(later(40));
    await run(later(41));
    expect(await highRiskNotes(deal)).toHaveLength(2);
    // Back to low after a reply, then high again: a new transition, a new notification each.
    await t.request('POST', '/api/v1/activities', { as: a.otherRep, body: { type: 'email', direction: 'inbound', subject: 'Re: proposal', occurredAt: later(41).toISOString(), dealIds: [deal] } });
    await t.request('PATCH', `/api/v1/deals/${deal}`, { as: a.otherRep, body: { expectedCloseDate: later(60).toISOString().slice(0, 10) } });
    await run(later(42));
    expect((await stored(a.admin.orgId, deal)).band).not.toBe('high');
    await run(later(90));
    expect((await stored(a.admin.orgId, deal)).band).toBe('high');
    expect(await highRiskNotes(deal)).toHaveLength(4);
  });
});
