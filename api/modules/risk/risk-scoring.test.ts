// The set-based risk paths against their definitions in core/risk, on the demo organization: the
// SQL summary of activities scores every open deal exactly as its full activity list does, the
// SQL org history equals computeOrgRiskStats, and a long history's stats are refreshed at most hourly.
import { and, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreDeal } from '../../../core/risk/score.ts';
import { computeOrgRiskStats } from '../../../core/risk/stage-stats.ts';
import { seedDemoData } from '../../../db/demo-data.ts';
import { deals, orgRisk, user } from '../../../db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { aggregateOrgRiskStats } from './org-risk-stats.ts';
import {
  closedDealHistory,
  loadClosedDeals,
  loadDeals,
  LONG_HISTORY_MAX_AGE_MS,
  orgRiskProfile,
  recomputeRisk,
  refreshOrgRiskStatsIfStale,
} from './risk.service.ts';

let t: TestApp;
let orgId: string;
const now = new Date('2026-03-15T12:00:00Z');
const inOrg = <T>(work: (s: Scope) => Promise<T>) => t.inOrg(orgId, work, { now });

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  orgId = (await seedDemoData(db, { now, createUser: async (u) => (await db.insert(user).values({ email: u.email, name: u.name }).returning({ id: user.id }))[0]!.id })).orgId;
}, 60_000);
afterAll(() => t.close());

describe('set-based risk', () => {
  it('org history: the SQL aggregate equals computeOrgRiskStats over the closed deals', async () => {
    const [sqlStats, jsStats] = await inOrg(async (s) => [await aggregateOrgRiskStats(s), computeOrgRiskStats((await loadClosedDeals(s)).map(closedDealHistory))]);
    expect(Object.keys(jsStats.wonStageDays).length).toBeGreaterThan(2);
    expect(jsStats.replyGapNormDays).not.toBeNull();
    expect(sqlStats).toEqual(jsStats);
  });

  it('scores: every open deal scored from the SQL summary equals scoreDeal on its full activity list', async () => {
    const { stored, expected, single } = await inOrg(async (s) => {
      const profile = await orgRiskProfile(s);
      const stored = await recomputeRisk(s, 'all-open');
      const open = await loadDeals(s, and(isNull(deals.outcome), isNull(deals.deletedAt)));
      const expected = new Map(open.map((d) => [d.row.id, scoreDeal({ ...d.input, stats: profile.stats }, profile.settings, now)]));
      const someIds = [...expected.keys()].slice(0, 5);
      const single = await recomputeRisk(s, { dealIds: someIds });
      return { stored, expected, single };
    });
    expect(stored.size).toBeGreaterThan(20);
    expect(stored.size).toBe(expected.size);
    for (const [id, score] of expected) expect(stored.get(id), id).toEqual(score);
    for (const [id, score] of single) expect(score).toEqual(stored.get(id));
    // The demo data exercises most factors, so the comparison is not of empty reason lists.
    const codes = new Set([...stored.values()].flatMap((s) => s.reasons.map((r) => r.code)));
    expect([...codes]).toEqual(expect.arrayContaining(['no_reply', 'stalled_in_stage', 'engagement_down', 'single_threaded', 'late_stage']));
  });

  it('a close refreshes a short history at once, a long one at most hourly', async () => {
    await inOrg(async (s) => {
      expect(await refreshOrgRiskStatsIfStale(s)).toBe(true); // the demo org's history is short
      const long = { wonStageDays: { someStage: { medianDays: 5, wonDeals: 800 } }, replyGapNormDays: 3, medianWonValueCents: {} };
      await s.db.update(orgRisk).set({ stats: long, statsComputedAt: new Date(now.getTime() - 60_000) });
      expect(await refreshOrgRiskStatsIfStale(s)).toBe(false);
      await s.db.update(orgRisk).set({ stats: long, statsComputedAt: new Date(now.getTime() - LONG_HISTORY_MAX_AGE_MS - 1) });
      expect(await refreshOrgRiskStatsIfStale(s)).toBe(true);
      const [row] = await s.db.select().from(orgRisk);
      expect(row!.stats).toEqual(await aggregateOrgRiskStats(s));
    });
  });
});
