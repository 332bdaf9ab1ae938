// The risk settings API: everyone in the org reads them, admins change them, bad input changes
// nothing, and a change rescores the open deals at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRiskSettings } from '../../../core/risk/settings.ts';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
let other: OrgFixture;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Tuned');
  other = await createOrgFixture(t, 'Untouched');
});
afterAll(() => t.close());

const settings = (as: Caller) => t.request('GET', '/api/v1/risk/settings', { as });
const patch = (as: Caller, body: unknown) => t.request('PATCH', '/api/v1/risk/settings', { as, body });

describe('risk settings', () => {
  it('are readable by every role: the defaults until the org changes something', async () => {
    for (const who of [f.admin, f.manager, f.rep, f.readonly]) {
      const res = await settings(who);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ settings: defaultRiskSettings, defaults: defaultRiskSettings, overrides: {} });
    }
  });

  it('can be changed by admins only', async () => {
    for (const who of [f.manager, f.rep, f.readonly]) {
      const res = await patch(who, { noReply: { defaultDays: 20 } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await settings(f.admin)).body.overrides).toEqual({});
  });

  it.each([
    ['a weight above 1', { noReply: { weight: 1.5 } }],
    ['an unknown section', { mood: { weight: 0.1 } }],
    ['an unknown field', { noReply: { wieght: 0.1 } }],
    ['a string for a number', { bands: { high: 'high' } }],
    ['a medium band above the default high band', { bands: { medium: 0.8 } }],
    ['not an object', [1, 2]],
  ])('refuse %s with 400 and change nothing', async (_label, body) => {
    const res = await patch(f.admin, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect((await settings(f.admin)).body.overrides).toEqual({});
  });

  it('merge a patch into the stored overrides and rescore open deals; the other org keeps its defaults', async () => {
    // Buyer silent for 12 days, no close date, one contact: the 10-day default flags the silence.
    const deal = (await t.request('POST', '/api/v1/deals', { as: f.rep, body: { name: 'Patient buyer', contactIds: [f.contactId] } })).body;
    await t.request('POST', '/api/v1/activities', { as: f.rep, body: { type: 'call', subject: 'Last call', occurredAt: daysAgo(12), dealIds: [deal.id] } });
    const codes = async () => (await t.request('GET', `/api/v1/deals/${deal.id}/risk`, { as: f.rep })).body.risk.reasons.map((r: { code: string }) => r.code);
    expect(await codes()).toContain('no_reply');

    const res = await patch(f.admin, { noReply: { defaultDays: 20 }, engagementDown: { points: { open: 0 } } });
    expect(res.status).toBe(200);
    expect(res.body.rescored).toBeGreaterThanOrEqual(1);
    expect(res.body.overrides).toEqual({ noReply: { defaultDays: 20 }, engagementDown: { points: { open: 0 } } });
    expect(res.body.settings.noReply).toEqual({ ...defaultRiskSettings.noReply, defaultDays: 20 });
    expect(await codes()).not.toContain('no_reply');

    // A second patch keeps the first one's fields.
    const second = await patch(f.admin, { noReply: { weight: 0.4 }, engagementDown: { points: { click: 2 } } });
    expect(second.body.overrides).toEqual({ noReply: { defaultDays: 20, weight: 0.4 }, engagementDown: { points: { open: 0, click: 2 } } });
    expect((await settings(other.admin)).body.overrides).toEqual({});
  });

  it('check rules on the merged result: a valid patch that breaks them with the stored values is a 400', async () => {
    expect((await patch(f.admin, { bands: { high: 0.5 } })).status).toBe(200);
    const res = await patch(f.admin, { bands: { medium: 0.55 } }); // fine against the default high, not against 0.5
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: 'bands' }));
    expect((await settings(f.admin)).body.settings.bands).toEqual({ medium: 0.4, high: 0.5 });
  });

  it('PUT replaces every override; {} restores the defaults', async () => {
    const res = await t.request('PUT', '/api/v1/risk/settings', { as: f.admin, body: { singleThreaded: { weight: 0.05 } } });
    expect(res.status).toBe(200);
    expect(res.body.overrides).toEqual({ singleThreaded: { weight: 0.05 } });
    expect((await t.request('PUT', '/api/v1/risk/settings', { as: f.manager, body: {} })).status).toBe(403);
    const reset = await t.request('PUT', '/api/v1/risk/settings', { as: f.admin, body: {} });
    expect(reset.body).toMatchObject({ settings: defaultRiskSettings, overrides: {} });
  });
});
