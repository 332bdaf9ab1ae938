// The reports as served (grouped SQL over the deals and the two rollups) against their definitions
// in core/reports run on every row, on the demo organization, for an admin, a manager and a rep;
// and the rollups against a recount after the kinds of changes people make.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityCounts } from '../../../core/reports/activity-counts.ts';
import { daysInStage } from '../../../core/reports/days-in-stage.ts';
import { forecast } from '../../../core/reports/forecast.ts';
import { pipelineByStage } from '../../../core/reports/pipeline-by-stage.ts';
import { salesVelocity } from '../../../core/reports/sales-velocity.ts';
import { stageConversion } from '../../../core/reports/stage-conversion.ts';
import type { ReportActivity, ReportDeal, ReportStage, ReportStageChange } from '../../../core/reports/types.ts';
import { winRatesByMonth, winRatesByOwner } from '../../../core/reports/win-rates.ts';
import type { Actor } from '../../../core/roles.ts';
import { isPersonActivityType } from '../../../core/schemas/activities.ts';
import { ReportQuery } from '../../../core/schemas/reports.ts';
import { rowsOf } from '../../../db/client.ts';
import { seedDemoData, type DemoUser } from '../../../db/demo-data.ts';
import { activities, deals, dealStageHistory, pipelineStages, user } from '../../../db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createApiKey } from '../identity/api-keys.service.ts';
import { ownerIdsInScope } from '../risk/at-risk.service.ts';
import { defaultPipelineId } from '../pipelines/pipelines.service.ts';
import { runReport } from './reports.service.ts';

let t: TestApp;
let orgId: string;
let users: DemoUser[];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const seeded = await seedDemoData(db, { now: new Date(), createUser: async (u) => (await db.insert(user).values({ email: u.email, name: u.name }).returning({ id: user.id }))[0]!.id });
  orgId = seeded.orgId;
  users = seeded.users;
}, 60_000);
afterAll(() => t.close());

const actorOf = (role: DemoUser['role']): Actor => ({ orgId, userId: users.find((u) => u.role === role)!.userId, role });

/** Every row of the report's scope, loaded as the reports did before they were grouped in SQL. */
async function rowsInScope(actor: Actor, q: ReportQuery) {
  return t.inOrg(orgId, async (s) => {
    const tx = s.db;
    const pipelineId = await defaultPipelineId(s);
    const stages: ReportStage[] = (await tx.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, pipelineId))).map((s) => ({ id: s.id, name: s.name, position: s.position, isWon: s.isWon, isLost: s.isLost }));
    const owners = await ownerIdsInScope(s, q.scope);
    const dealRows = await tx.select().from(deals).where(and(eq(deals.pipelineId, pipelineId), isNull(deals.deletedAt), owners ? inArray(deals.ownerId, owners) : undefined));
    const reportDeals: ReportDeal[] = dealRows.map((d) => ({
      id: d.id, ownerId: d.ownerId, stageId: d.stageId, valueCents: d.valueCents, currency: d.currency, probability: d.probability,
      createdAt: d.createdAt, expectedCloseDate: d.expectedCloseDate, outcome: d.outcome, closedAt: d.outcome ? d.stageChangedAt : null,
    }));
    const ids = dealRows.map((d) => d.id);
    const history: ReportStageChange[] = ids.length
      ? await tx.select({ dealId: dealStageHistory.dealId, toStageId: dealStageHistory.toStageId, changedAt: dealStageHistory.changedAt }).from(dealStageHistory).where(inArray(dealStageHistory.dealId, ids))
      : [];
    const acts: ReportActivity[] = (
      await tx.select({ ownerId: activities.ownerId, type: activities.type, occurredAt: activities.occurredAt }).from(activities).where(and(isNull(activities.deletedAt), owners ? inArray(activities.ownerId, owners) : undefined))
    ).flatMap((a) => (isPersonActivityType(a.type) ? [{ ...a, type: a.type }] : []));
    return { stages, deals: reportDeals, history, activities: acts };
  }, { actor });
}

const served = (actor: Actor, name: Parameters<typeof runReport>[1], query: Record<string, string> = {}) =>
  t.inOrg(orgId, (s) => runReport(s, name, ReportQuery.parse(query)), { actor }).then((r) => r.json as any);

describe('reports grouped in SQL', () => {
  it.each(['admin', 'manager', 'rep'] as const)('equal the core definitions on every row (%s)', async (role) => {
    const actor = actorOf(role);
    const all = await rowsInScope(actor, ReportQuery.parse({}));
    expect(all.deals.length).toBeGreaterThan(role === 'rep' ? 5 : 50);
    const usd = { currency: 'USD' };
    expect(await served(actor, 'pipeline-by-stage')).toEqual(pipelineByStage(all.stages, all.deals, usd));
    expect(await served(actor, 'stage-conversion')).toEqual({ rows: stageConversion(all.stages, all.history) });
    expect(await served(actor, 'win-rates')).toEqual({ currency: 'USD', byMonth: winRatesByMonth(all.deals, usd), byOwner: winRatesByOwner(all.deals, usd) });
    expect(await served(actor, 'sales-velocity')).toEqual(salesVelocity(all.deals, usd));
    expect(await served(actor, 'activity-counts')).toEqual({ rows: activityCounts(all.activities) });

    const days = (await served(actor, 'days-in-stage')).rows;
    const expectedDays = daysInStage(all.stages, all.history);
    expect(days.map((r: { deals: number }) => r.deals)).toEqual(expectedDays.map((r) => r.deals));
    // Sums of the same durations in another order may differ in the last bit; 1-decimal rounding
    // then differs at most by 0.1.
    days.forEach((r: { averageDays: number | null; medianDays: number | null }, i: number) => {
      expect(Math.abs((r.averageDays ?? 0) - (expectedDays[i]!.averageDays ?? 0))).toBeLessThanOrEqual(0.1);
      expect(r.medianDays).toEqual(expectedDays[i]!.medianDays);
    });

    const f = await served(actor, 'forecast');
    const expected = forecast({ ...usd, stages: all.stages, deals: all.deals, history: all.history, now: new Date() });
    expect({ ...f, winRateByStage: undefined }).toEqual({ ...expected, winRateByStage: undefined });
    expect(Object.fromEntries(f.winRateByStage.map(({ stageId, stageName: _n, ...w }: { stageId: string; stageName: string }) => [stageId, w]))).toEqual(expected.winRateByStage);
  });

  it('count activities between two instants that cut through days', async () => {
    const actor = actorOf('admin');
    const all = await rowsInScope(actor, ReportQuery.parse({}));
    const DAY = 86_400_000;
    const ranges = [
      { from: new Date(Date.now() - 40.3 * DAY), to: new Date(Date.now() - 3.7 * DAY) },
      { from: new Date(Date.now() - 1.2 * DAY), to: new Date(Date.now() - 0.9 * DAY) },
      { from: new Date(Date.now() - 10.5 * DAY) },
      { to: new Date(Date.now() - 20.25 * DAY) },
    ];
    for (const range of ranges) {
      const query = { ...(range.from ? { from: range.from.toISOString() } : {}), ...(range.to ? { to: range.to.toISOString() } : {}) };
      expect(await served(actor, 'activity-counts', query), JSON.stringify(query)).toEqual({ rows: activityCounts(all.activities, range) });
    }
  });

  it('keep their rollups equal to a recount after activities and deals change', async () => {
    const key = async (role: DemoUser['role']) => (await t.inOrg(orgId, (s) => createApiKey(s, 'rollups'), { actor: actorOf(role) })).key;
    const [rep, admin] = [await key('rep'), await key('admin')];
    const call = async (as: string, method: string, path: string, body?: unknown) => {
      const res = await t.request(method, `/api/v1${path}`, { as, body });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    const activity = await call(rep, 'POST', '/activities', { type: 'call', subject: 'Rollup check' });
    await call(rep, 'PATCH', `/activities/${activity.id}`, { type: 'meeting', occurredAt: new Date(Date.now() - 5 * 86_400_000).toISOString() });
    await call(admin, 'PATCH', `/activities/${activity.id}`, { ownerId: actorOf('manager').userId });
    await call(admin, 'DELETE', `/activities/${activity.id}`);
    await call(admin, 'POST', `/activities/${activity.id}/restore`);
    const stages = (await call(rep, 'GET', '/pipelines')).data[0].stages.map((s: { id: string }) => s.id);
    const deal = await call(rep, 'POST', '/deals', { name: 'Rollup deal' });
    for (const stage of [stages[1], stages[2], stages[1], stages[4]]) await call(rep, 'PATCH', `/deals/${deal.id}`, { stage });
    const moved = await call(rep, 'POST', '/deals', { name: 'Handed over' });
    await call(rep, 'PATCH', `/deals/${moved.id}`, { stage: stages[3] });
    await call(admin, 'PATCH', `/deals/${moved.id}`, { ownerId: actorOf('manager').userId });
    await call(admin, 'DELETE', `/deals/${deal.id}`);
    await call(admin, 'POST', `/deals/${deal.id}/restore`);
    const parked = await call(rep, 'POST', '/deals', { name: 'Parked' });
    await call(rep, 'PATCH', `/deals/${parked.id}`, { stage: stages[2] });
    await call(admin, 'DELETE', `/deals/${parked.id}`);
    const gone = await call(rep, 'POST', '/deals', { name: 'Deleted deal' });
    await t.database.db.execute(sql`delete from deals where id = ${gone.id}`);

    const counts = rowsOf(await t.database.db.execute(sql`
      select a.owner_id, a.type, a.day, a.n, c.activities from
        (select owner_id, type, (occurred_at at time zone 'UTC')::date as day, count(*)::int as n from activities where org_id = ${orgId} and deleted_at is null group by 1, 2, 3) a
        full join (select * from activity_day_counts where org_id = ${orgId} and activities <> 0) c
          on c.owner_id is not distinct from a.owner_id and c.type = a.type and c.day = a.day
      where a.n is distinct from c.activities`));
    expect(counts).toEqual([]);
    const paths = rowsOf<{ deal_id: string; stage_ids: unknown }>(await t.database.db.execute(sql`
      select h.deal_id, array_agg(h.to_stage_id order by h.changed_at, h.id) as stage_ids, p.stage_ids as stored
      from deal_stage_history h left join deal_stage_paths p on p.deal_id = h.deal_id
      where h.org_id = ${orgId} group by h.deal_id, p.stage_ids having p.stage_ids is distinct from array_agg(h.to_stage_id order by h.changed_at, h.id)`));
    expect(paths).toEqual([]);
    // Each rollup row carries its deal's scope as the deal has it now.
    const scopes = rowsOf(await t.database.db.execute(sql`
      select r.deal_id from (select deal_id, pipeline_id, owner_id, outcome, live from deal_stage_paths
                             union all select deal_id, pipeline_id, owner_id, null, live from deal_stage_stays) r
      join deals d on d.id = r.deal_id
      where (r.pipeline_id, r.owner_id, r.live) is distinct from (d.pipeline_id, d.owner_id, d.deleted_at is null)
         or (r.outcome is not null and r.outcome is distinct from d.outcome)`));
    expect(scopes).toEqual([]);
    const stays = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from deal_stage_stays where deal_id = ${deal.id}`));
    expect(stays[0]!.n).toBe(3); // it left Discovery, Qualification (twice: one total) and Proposal
    expect(rowsOf(await t.database.db.execute(sql`select 1 from deal_stage_paths where deal_id = ${gone.id}`))).toEqual([]);
  });
});
