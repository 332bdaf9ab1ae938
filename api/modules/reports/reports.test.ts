// Pipeline reports through the API on a small hand-built organization, checked against numbers
// worked out by hand, with role scoping and CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportNames } from '../../../core/schemas/reports.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
let admin: Caller;
let rep: Caller;
let otherRep: Caller;
let manager: Caller;
let teamId: string;
let stages: string[]; // Discovery, Qualification, Proposal, Negotiation, Closed Won, Closed Lost

const ok = async (method: string, path: string, as: Caller, body?: unknown) => {
  const res = await t.request(method, path, { as, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

beforeAll(async () => {
  t = await createTestApp();
  const org = await t.newOrg('Numbers');
  admin = org.admin;
  [rep, otherRep, manager] = [await org.member('rep'), await org.member('rep'), await org.member('manager')];
  const team = await ok('POST', '/api/v1/teams', admin, { name: 'North' });
  teamId = team.id;
  for (const who of [rep, manager]) await ok('PATCH', `/api/v1/members/${who.userId}`, admin, { teamId: team.id });
  stages = (await ok('GET', '/api/v1/pipelines', rep)).data[0].stages.map((s: { id: string }) => s.id);
  // rep: A 1,000.00 in Discovery (10%); B 2,000.00 moved to Proposal (50%); D 4,000.00 won.
  await ok('POST', '/api/v1/deals', rep, { name: 'A', valueCents: 100_000 });
  const b = await ok('POST', '/api/v1/deals', rep, { name: 'B', valueCents: 200_000 });
  await ok('PATCH', `/api/v1/deals/${b.id}`, rep, { stage: stages[2] });
  const d = await ok('POST', '/api/v1/deals', rep, { name: 'D', valueCents: 400_000 });
  await ok('PATCH', `/api/v1/deals/${d.id}`, rep, { stage: stages[4] });
  // otherRep (no team): C 3,000.00 in Discovery; E 500.00 lost.
  await ok('POST', '/api/v1/deals', otherRep, { name: 'C', valueCents: 300_000 });
  const e = await ok('POST', '/api/v1/deals', otherRep, { name: 'E', valueCents: 50_000 });
  await ok('PATCH', `/api/v1/deals/${e.id}`, otherRep, { stage: stages[5] });
  for (let i = 0; i < 2; i++) await ok('POST', '/api/v1/activities', rep, { type: 'call', subject: `Call ${i}` });
  await ok('POST', '/api/v1/activities', otherRep, { type: 'meeting', subject: 'Demo' });
});
afterAll(() => t.close());

const report = async (name: string, as: Caller, query = '') => ok('GET', `/api/v1/reports/${name}${query}`, as);

describe('reports', () => {
  it('pipeline by stage: the organization for admins, their own for reps, the team for a team manager', async () => {
    const all = await report('pipeline-by-stage', admin);
    const row = (r: typeof all, i: number) => r.rows.find((x: { stageId: string }) => x.stageId === stages[i]);
    expect(row(all, 0)).toMatchObject({ stageName: 'Discovery', deals: 2, valueCents: 400_000, weightedValueCents: 40_000 });
    expect(row(all, 1)).toMatchObject({ deals: 0, valueCents: 0 });
    expect(row(all, 2)).toMatchObject({ stageName: 'Proposal', deals: 1, valueCents: 200_000, weightedValueCents: 100_000 });
    expect(all.total).toEqual({ deals: 3, valueCents: 600_000, weightedValueCents: 140_000 });
    expect((await report('pipeline-by-stage', rep)).total).toEqual({ deals: 2, valueCents: 300_000, weightedValueCents: 110_000 });
    expect((await report('pipeline-by-stage', rep, '?scope=team')).total).toEqual({ deals: 2, valueCents: 300_000, weightedValueCents: 110_000 });
    expect((await report('pipeline-by-stage', manager)).total).toEqual({ deals: 2, valueCents: 300_000, weightedValueCents: 110_000 });
    expect((await report('pipeline-by-stage', otherRep)).total).toEqual({ deals: 1, valueCents: 300_000, weightedValueCents: 30_000 });
  });

  it('win rates by owner and month, and sales velocity', async () => {
    const rates = await report('win-rates', admin);
    const byOwner = Object.fromEntries(rates.byOwner.map((r: { ownerId: string }) => [r.ownerId, r]));
    expect(byOwner[rep.userId]).toMatchObject({ won: 1, lost: 0, winRate: 1, wonValueCents: 400_000, averageDealSizeCents: 400_000 });
    expect(byOwner[otherRep.userId]).toMatchObject({ won: 0, lost: 1, winRate: 0, averageDealSizeCents: null });
    expect(rates.byMonth).toEqual([expect.objectContaining({ month: new Date().toISOString().slice(0, 7), won: 1, lost: 1, winRate: 0.5 })]);
    const velocity = await report('sales-velocity', admin);
    expect(velocity).toMatchObject({ currency: 'USD', openDeals: 3, averageDealSizeCents: 400_000, winRate: 0.5 });
  });

  it('stage conversion and days in stage from the stage history', async () => {
    const conversion = await report('stage-conversion', admin);
    const discovery = conversion.rows.find((r: { stageId: string }) => r.stageId === stages[0]);
    // All five entered Discovery; B and D moved on (to Proposal and Won), E was lost, A and C are still there.
    expect(discovery).toMatchObject({ entered: 5, reachedNext: 0, reachedLater: 2, stillInStage: 2 });
    const days = await report('days-in-stage', admin);
    expect(days.rows.find((r: { stageId: string }) => r.stageId === stages[0])).toMatchObject({ deals: 3, medianDays: 0 });
  });

  it('activity counts per rep and type, scoped like the rest', async () => {
    const all = (await report('activity-counts', admin)).rows;
    const mine = (await report('activity-counts', rep)).rows;
    expect(all.find((r: { ownerId: string }) => r.ownerId === rep.userId)).toMatchObject({ call: 2, total: 2 });
    expect(all.find((r: { ownerId: string }) => r.ownerId === otherRep.userId)).toMatchObject({ meeting: 1, total: 1 });
    expect(mine).toEqual([expect.objectContaining({ ownerId: rep.userId, call: 2 })]);
    expect((await report('activity-counts', manager)).rows.map((r: { ownerId: string }) => r.ownerId)).toEqual([rep.userId]);
  });

  it('exports every report as CSV', async () => {
    const res = await t.app.request('/api/v1/reports/pipeline-by-stage?format=csv', { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('stageId,stageName,deals,valueCents,weightedValueCents');
    expect(lines.at(-1)).toBe(',Total,3,600000,140000');
    for (const name of reportNames) {
      const r = await t.app.request(`/api/v1/reports/${name}?format=csv`, { headers: { authorization: `Bearer ${manager.token}` } });
      expect(r.status, name).toBe(200);
      expect((await r.text()).length, name).toBeGreaterThan(0);
      expect((await t.request('GET', `/api/v1/reports/${name}`, { as: rep })).status, name).toBe(200);
    }
    expect((await t.request('GET', '/api/v1/reports/forecast', { as: admin })).body.months).toHaveLength(2);
    expect((await t.request('GET', '/api/v1/reports/nonsense', { as: admin })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/reports/win-rates?currency=usd', { as: admin })).status).toBe(400);
  });
});

describe('report filters (owner, team, date range)', () => {
  const total = async (as: Caller, query: string) => (await report('pipeline-by-stage', as, query)).total;

  it('narrow an admin\'s numbers to one owner or one team', async () => {
    expect(await total(admin, `?ownerId=${otherRep.userId}`)).toEqual({ deals: 1, valueCents: 300_000, weightedValueCents: 30_000 });
    expect(await total(admin, `?teamId=${teamId}`)).toEqual({ deals: 2, valueCents: 300_000, weightedValueCents: 110_000 });
    const activity = (await report('activity-counts', admin, `?ownerId=${otherRep.userId}`)).rows;
    expect(activity).toEqual([expect.objectContaining({ ownerId: otherRep.userId, meeting: 1, total: 1 })]);
  });

  it('never widen what a role may see: a rep asking for another rep gets nothing, not theirs', async () => {
    expect(await total(rep, `?ownerId=${otherRep.userId}`)).toEqual({ deals: 0, valueCents: 0, weightedValueCents: 0 });
    expect(await total(manager, `?ownerId=${otherRep.userId}`)).toEqual({ deals: 0, valueCents: 0, weightedValueCents: 0 });
    expect(await total(manager, `?ownerId=${rep.userId}`)).toEqual({ deals: 2, valueCents: 300_000, weightedValueCents: 110_000 });
  });

  it('take closed deals and activities within the date range only', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    expect((await report('win-rates', admin, `?from=${encodeURIComponent(tomorrow)}`)).byOwner).toEqual([]);
    expect((await report('win-rates', admin, `?from=${encodeURIComponent(yesterday)}&to=${encodeURIComponent(tomorrow)}`)).byMonth).toEqual([
      expect.objectContaining({ won: 1, lost: 1 }),
    ]);
    expect((await report('activity-counts', admin, `?to=${encodeURIComponent(yesterday)}`)).rows).toEqual([]);
    expect((await t.request('GET', '/api/v1/reports/win-rates?from=yesterday', { as: admin })).status).toBe(400);
  });

  it('apply to the risk backtest, which reps may not run', async () => {
    const all = await ok('GET', '/api/v1/reports/risk-backtest', admin);
    const one = await ok('GET', `/api/v1/reports/risk-backtest?ownerId=${otherRep.userId}`, admin);
    expect(all.closedDeals).toBe(2);
    expect(one.closedDeals).toBe(1);
    expect((await t.request('GET', '/api/v1/reports/risk-backtest', { as: rep })).status).toBe(403);
  });
});
