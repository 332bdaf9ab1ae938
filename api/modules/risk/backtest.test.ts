// The risk backtest on the demo organization, whose histories make silence and stalls precede
// losses (with noise): our score must separate won from lost, beat the baseline, and land near
// chance when the outcomes are shuffled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData, type DemoUser } from '../../../db/demo-data.ts';
import { user } from '../../../db/schema/index.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { createApiKey } from '../identity/api-keys.service.ts';
import { riskBacktest } from './backtest.service.ts';

let t: TestApp;
let orgId: string;
let users: DemoUser[];
const now = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const seeded = await seedDemoData(db, {
    now,
    createUser: async (u) => (await db.insert(user).values({ email: u.email, name: u.name }).returning({ id: user.id }))[0]!.id,
  });
  orgId = seeded.orgId;
  users = seeded.users;
}, 60_000);
afterAll(() => t.close());

const keyFor = async (role: DemoUser['role']) => {
  const u = users.find((x) => x.role === role)!;
  return (await t.inOrg(orgId, (s) => createApiKey(s, 'test'), { actor: { orgId, userId: u.userId, role } })).key;
};

describe('risk backtest on the demo data', () => {
  it('separates won from lost 7 days before close (AUC >= 0.7) and beats the baseline', async () => {
    const report = await t.inOrg(orgId, (s) => riskBacktest(s, { daysBeforeClose: 7 }));
    expect(report.closedDeals).toBeGreaterThan(150);
    expect(report.ours.n + report.ours.skipped).toBe(report.closedDeals);
    expect(report.ours.auc).toBeGreaterThanOrEqual(0.7);
    expect(report.ours.auc!).toBeGreaterThan(report.baseline.auc!);
    expect(report.aucGain).toBeGreaterThan(0);
    // The bands mean something: high-risk deals were won less often than low-risk ones.
    const rate = (band: string) => report.ours.bands.find((b) => b.band === band)!.winRate!;
    expect(rate('high')).toBeLessThan(rate('low'));
  });

  it('is near chance when the outcomes are shuffled', async () => {
    for (const seed of [1, 2, 3]) {
      const report = await t.inOrg(orgId, (s) => riskBacktest(s, { daysBeforeClose: 7, seed }));
      expect(report.oursShuffled.auc).toBeGreaterThan(0.35);
      expect(report.oursShuffled.auc).toBeLessThan(0.65);
    }
  });

  it('is served to managers and admins at GET /reports/risk-backtest; reps and readonly get 403', async () => {
    const res = await t.request('GET', '/api/v1/reports/risk-backtest?daysBeforeClose=14', { as: await keyFor('manager') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ daysBeforeClose: 14, ours: { auc: expect.any(Number) }, baseline: { auc: expect.any(Number) } });
    expect((await t.request('GET', '/api/v1/reports/risk-backtest', { as: await keyFor('admin') })).body.daysBeforeClose).toBe(7);
    expect((await t.request('GET', '/api/v1/reports/risk-backtest', { as: await keyFor('rep') })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/reports/risk-backtest', { as: await keyFor('readonly') })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/reports/risk-backtest?daysBeforeClose=0', { as: await keyFor('manager') })).status).toBe(400);
  });

  it('another organization sees none of these deals', async () => {
    const other = await t.newOrg('Elsewhere');
    const res = await t.request('GET', '/api/v1/reports/risk-backtest', { as: other.admin });
    expect(res.status).toBe(200);
    expect(res.body.closedDeals).toBe(0);
    expect(res.body.ours.auc).toBeNull();
  });
});
