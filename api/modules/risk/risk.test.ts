// Stored deal risk through the API: recomputed on every change that can move it, shown on deals
// and in the sidebar's context lookup, listed by riskiness, explained, and a deal entering the
// high band notifies its owner and their manager once per transition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
let other: OrgFixture;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const dateDaysAgo = (n: number) => daysAgo(n).slice(0, 10);
const stage = (i: number) => f.stageIds[i]!; // Discovery, Qualification, Proposal, Negotiation, Closed Won, Closed Lost

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Risky');
  other = await createOrgFixture(t, 'Elsewhere');
  // The manager leads the team the rep is in; the other rep has no team.
  for (const who of [f.manager, f.rep]) {
    const res = await t.request('PATCH', `/api/v1/members/${who.userId}`, { as: f.admin, body: { teamId: f.teamId } });
    expect(res.status).toBe(200);
  }
});
afterAll(() => t.close());

const ok = async (method: string, path: string, as: Caller, body?: unknown) => {
  const res = await t.request(method, path, { as, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/**
 * A deal with no contact, a close date two months gone, the buyer silent for 40 days and the rep's
 * follow-ups stopped two weeks ago: several signs at full strength, high.
 */
async function quietDeal(as: Caller, name: string) {
  const deal = await ok('POST', '/api/v1/deals', as, { name, valueCents: 500_000, expectedCloseDate: dateDaysAgo(60) });
  await ok('POST', '/api/v1/activities', as, { type: 'call', subject: 'Last call', occurredAt: daysAgo(40), dealIds: [deal.id] });
  for (const days of [20, 22, 24, 26]) {
    await ok('POST', '/api/v1/activities', as, { type: 'email', direction: 'outbound', subject: 'Following up', occurredAt: daysAgo(days), dealIds: [deal.id] });
  }
  return deal.id as string;
}

const riskOf = async (dealId: string, as: Caller = f.rep) => (await ok('GET', `/api/v1/deals/${dealId}`, as)).risk;
/** The notifications a person has for a deal, once the consumers have run (as they do a moment after each change). */
const highRiskNotes = async (as: Caller, dealId: string) =>
  (await t.deliverEvents(), await ok('GET', '/api/v1/notifications', as)).data.filter((n: { kind: string; dealId: string }) => n.kind === 'deal_high_risk' && n.dealId === dealId);

describe('stored risk', () => {
  it('is computed when a deal is created, with coded reasons and a next action', async () => {
    const deal = await ok('POST', '/api/v1/deals', f.rep, { name: 'Fresh', contactIds: [f.contactId] });
    expect(deal.risk).toMatchObject({ band: 'low', nextAction: { code: expect.any(String) } });
    expect(deal.risk.reasons.map((r: { code: string }) => r.code)).toEqual(['single_threaded']);
    // One scale for people: points of 0–100, the reasons' points adding up to the score.
    expect(deal.risk.score).toBe(15);
    expect(deal.risk.reasons[0].weight).toBe(15);
    expect(deal.risk.strengths.map((x: { code: string }) => x.code)).toContain('on_pace');
  });

  it('follows activities linked to the deal: created, updated and deleted', async () => {
    const id = await quietDeal(f.rep, 'Quiet one');
    const quiet = await riskOf(id);
    expect(quiet.band).toBe('high');
    expect(quiet.reasons[0]).toMatchObject({ code: 'no_reply', numbers: { days: 40 } });
    expect(quiet.reasons[0].sentence).toContain('No reply, call or meeting with the buyer in 40 days');
    expect(quiet.score).toBe(85);

    const call = await ok('POST', '/api/v1/activities', f.rep, { type: 'call', subject: 'Checked in', dealIds: [id] });
    const afterCall = await riskOf(id);
    expect(afterCall.reasons.map((r: { code: string }) => r.code)).not.toContain('no_reply');
    expect(afterCall.score).toBeLessThan(quiet.score);

    await ok('PATCH', `/api/v1/activities/${call.id}`, f.rep, { occurredAt: daysAgo(35) });
    expect((await riskOf(id)).reasons[0]).toMatchObject({ code: 'no_reply', numbers: { days: 35 } });

    await ok('PATCH', `/api/v1/activities/${call.id}`, f.rep, { occurredAt: daysAgo(1) });
    expect((await riskOf(id)).reasons.map((r: { code: string }) => r.code)).not.toContain('no_reply');
    await ok('DELETE', `/api/v1/activities/${call.id}`, f.rep);
    expect((await riskOf(id)).reasons[0].code).toBe('no_reply');
  });

  it('follows the deal\'s own fields, and is cleared when the deal is won or lost', async () => {
    const deal = await ok('POST', '/api/v1/deals', f.rep, { name: 'Overdue', contactIds: [f.contactId] });
    const overdue = await ok('PATCH', `/api/v1/deals/${deal.id}`, f.rep, { expectedCloseDate: dateDaysAgo(45) });
    expect(overdue.risk.reasons.map((r: { code: string }) => r.code)).toContain('close_date_passed');
    const late = await ok('PATCH', `/api/v1/deals/${deal.id}`, f.rep, { stage: stage(3) });
    expect(late.risk.reasons.map((r: { code: string }) => r.code)).toContain('late_stage');
    const won = await ok('PATCH', `/api/v1/deals/${deal.id}`, f.rep, { stage: stage(4) });
    expect(won.risk).toBeNull();
    const reopened = await ok('PATCH', `/api/v1/deals/${deal.id}`, f.rep, { stage: stage(2) });
    expect(reopened.risk).not.toBeNull();
  });

  it('follows emails logged to the deal', async () => {
    const id = await quietDeal(f.rep, 'Silent buyer');
    await ok('PATCH', `/api/v1/deals/${id}`, f.rep, { contactIds: [f.contactId] });
    expect((await riskOf(id)).reasons[0].code).toBe('no_reply');
    const logged = await ok('POST', '/api/v1/emails', f.rep, {
      messageId: `<reply-${Date.now()}@risky.test>`, from: f.contactEmail, to: [f.rep.email], subject: 'Re: proposal', direction: 'inbound', sentAt: new Date().toISOString(),
    });
    expect(logged.dealIds).toContain(id);
    expect((await riskOf(id)).reasons.map((r: { code: string }) => r.code)).not.toContain('no_reply');
  });

  it('shows in lists and in the sidebar\'s context lookup', async () => {
    const list = await ok('GET', `/api/v1/deals?contactId=${f.contactId}`, f.manager);
    expect(list.data.length).toBeGreaterThan(0);
    for (const d of list.data) {
      if (d.outcome === null) expect(d.risk).toMatchObject({ score: expect.any(Number), band: expect.any(String), reasons: expect.any(Array) });
      else expect(d.risk).toBeNull();
    }
    const context = await ok('GET', `/api/v1/context?emails=${encodeURIComponent(f.contactEmail)}`, f.rep);
    expect(context.deals.length).toBeGreaterThan(0);
    for (const d of context.deals) {
      const single = await ok('GET', `/api/v1/deals/${d.id}`, f.rep);
      expect(d.risk).toEqual(single.risk);
    }
  });
});

describe('GET /deals/at-risk and /deals/:id/risk', () => {
  let repDeal: string;
  let otherRepDeal: string;
  beforeAll(async () => {
    repDeal = await quietDeal(f.rep, 'At risk (rep)');
    otherRepDeal = await quietDeal(f.otherRep, 'At risk (other rep)');
  });

  it('lists open deals at risk riskiest first, with reasons', async () => {
    const res = await t.request('GET', '/api/v1/deals/at-risk?scope=team', { as: f.admin });
    expect(res.status).toBe(200);
    const ids = res.body.data.map((d: { id: string }) => d.id);
    expect(ids).toEqual(expect.arrayContaining([repDeal, otherRepDeal]));
    const scores = res.body.data.map((d: { risk: { score: number } }) => d.risk.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(res.body.data.every((d: { risk: { band: string; reasons: unknown[] } }) => d.risk.band !== 'low' && d.risk.reasons.length > 0)).toBe(true);
    const high = await ok('GET', '/api/v1/deals/at-risk?scope=team&minBand=high', f.admin);
    expect(high.data.every((d: { risk: { band: string } }) => d.risk.band === 'high')).toBe(true);
  });

  it('gives reps only their own deals, whatever the scope; a team manager their team\'s', async () => {
    for (const scope of ['me', 'team']) {
      const mine = await ok('GET', `/api/v1/deals/at-risk?scope=${scope}`, f.rep);
      expect(mine.data.map((d: { id: string }) => d.id)).toContain(repDeal);
      expect(mine.data.every((d: { ownerId: string }) => d.ownerId === f.rep.userId)).toBe(true);
    }
    const team = await ok('GET', '/api/v1/deals/at-risk?scope=team', f.manager);
    expect(team.data.map((d: { id: string }) => d.id)).toContain(repDeal);
    expect(team.data.map((d: { id: string }) => d.id)).not.toContain(otherRepDeal);
    expect((await ok('GET', '/api/v1/deals/at-risk?scope=me', f.manager)).data).toEqual([]);
  });

  it('explains one deal; another rep\'s or another organization\'s deal is 404', async () => {
    const res = await t.request('GET', `/api/v1/deals/${repDeal}/risk`, { as: f.rep });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dealId: repDeal, dealName: 'At risk (rep)', risk: { band: 'high' } });
    expect(res.body.risk.reasons[0]).toMatchObject({ code: 'no_reply', sentence: expect.stringContaining('40 days'), weight: expect.any(Number), numbers: expect.any(Object) });
    expect((await t.request('GET', `/api/v1/deals/${otherRepDeal}/risk`, { as: f.rep })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/deals/${repDeal}/risk`, { as: other.manager })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/deals/${repDeal}/risk`, { as: other.admin })).status).toBe(404);
    const elsewhere = await ok('GET', '/api/v1/deals/at-risk?scope=team', other.admin);
    expect(elsewhere.data.map((d: { id: string }) => d.id)).not.toContain(repDeal);
    expect((await t.request('GET', '/api/v1/deals/at-risk?scope=everyone', { as: f.rep })).status).toBe(400);
  });
});

describe('high-risk notifications', () => {
  it('notify the owner and their team manager once per transition into the high band', async () => {
    const id = await quietDeal(f.rep, 'Slipping away');
    expect(await highRiskNotes(f.rep, id)).toHaveLength(1);
    expect(await highRiskNotes(f.manager, id)).toHaveLength(1);
    expect(await highRiskNotes(f.admin, id)).toHaveLength(0);
    const [note] = await highRiskNotes(f.rep, id);
    expect(note.title).toContain('Slipping away');
    expect(note.title).toBe('Slipping away is at high risk (85)');
    expect(note.body).toContain('No reply, call or meeting with the buyer in 40 days');
    expect(note.data).toMatchObject({ score: 85, band: 'high' });
    expect(note.currentRisk).toEqual({ score: 85, band: 'high' });

    // Still high after other changes: no new notification.
    await ok('PATCH', `/api/v1/deals/${id}`, f.rep, { valueCents: 600_000 });
    await ok('POST', '/api/v1/activities', f.rep, { type: 'note', body: 'Thinking about it', dealIds: [id] });
    expect((await riskOf(id)).band).toBe('high');
    expect(await highRiskNotes(f.rep, id)).toHaveLength(1);

    // Out of the high band, then back in: a second transition, a second notification.
    const call = await ok('POST', '/api/v1/activities', f.rep, { type: 'call', subject: 'Reached them', dealIds: [id] });
    expect((await riskOf(id)).band).not.toBe('high');
    // The alert's text stays as written; beside it, the deal's risk now.
    const [stale] = await highRiskNotes(f.rep, id);
    expect(stale.body).toContain('40 days');
    expect(stale.currentRisk).toEqual({ score: (await riskOf(id)).score, band: 'low' });
    await ok('DELETE', `/api/v1/activities/${call.id}`, f.rep);
    expect((await riskOf(id)).band).toBe('high');
    expect(await highRiskNotes(f.rep, id)).toHaveLength(2);
    expect(await highRiskNotes(f.manager, id)).toHaveLength(2);
  });

  it('go to the org\'s managers when the owner has no team, and are private to their recipient', async () => {
    const id = await quietDeal(f.otherRep, 'No team');
    const [mine] = await highRiskNotes(f.otherRep, id);
    expect(mine).toBeDefined();
    expect(await highRiskNotes(f.manager, id)).toHaveLength(1);
    expect(await highRiskNotes(f.rep, id)).toHaveLength(0);
    expect((await t.request('POST', `/api/v1/notifications/${mine.id}/read`, { as: f.rep })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/notifications/${mine.id}/read`, { as: other.admin })).status).toBe(404);
    const before = (await ok('GET', '/api/v1/notifications', f.otherRep)).unread;
    const read = await ok('POST', `/api/v1/notifications/${mine.id}/read`, f.otherRep);
    expect(read.readAt).not.toBeNull();
    const after = await ok('GET', '/api/v1/notifications?unread=true', f.otherRep);
    expect(after.unread).toBe(before - 1);
    expect(after.data.map((n: { id: string }) => n.id)).not.toContain(mine.id);
  });
});
