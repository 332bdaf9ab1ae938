// Onboarding through the API: the checklist follows the organization's real state, marks are per
// organization and admins-only, the sample data loads once (scored, so at-risk deals show) and
// goes in one call, keeping what someone edited and never touching another tenant or own records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
let admin: Caller;
let rep: Caller;
let other: { admin: Caller; orgId: string };

beforeAll(async () => {
  t = await createTestApp();
  const org = await t.newOrg('Onboarders');
  admin = org.admin;
  other = await t.newOrg('Elsewhere');
  rep = await org.member('rep');
});
afterAll(() => t.close());

const status = (body: { steps: { id: string; status: string }[] }) => Object.fromEntries(body.steps.map((s) => [s.id, s.status]));

describe('GET/PATCH /onboarding', () => {
  it('starts with the data step to do and the welcome shown to admins only; the invitation counts for the team', async () => {
    const mine = await t.request('GET', '/api/v1/onboarding', { as: admin });
    expect(mine.status).toBe(200);
    // The rep joined through an invitation: the team step is done by the state, not a click.
    expect(status(mine.body)).toEqual({ data: 'todo', pipeline: 'todo', team: 'done', extension: 'todo', insights: 'todo' });
    expect(mine.body).toMatchObject({ showWelcome: true, dismissed: false, complete: false, remaining: 4, sampleData: { loaded: false, records: 0 } });
    const asRep = await t.request('GET', '/api/v1/onboarding', { as: rep });
    expect(asRep.body.showWelcome).toBe(false);
    const fresh = await t.request('GET', '/api/v1/onboarding', { as: other.admin });
    expect(status(fresh.body).team).toBe('todo');
  });

  it('stores marks per organization, admins only, and refuses unknown steps', async () => {
    const patched = await t.request('PATCH', '/api/v1/onboarding', { as: admin, body: { steps: { pipeline: 'done', extension: 'skipped' } } });
    expect(patched.status).toBe(200);
    expect(status(patched.body)).toMatchObject({ pipeline: 'done', extension: 'skipped' });
    expect(status((await t.request('GET', '/api/v1/onboarding', { as: other.admin })).body)).toMatchObject({ pipeline: 'todo', extension: 'todo' });
    expect((await t.request('PATCH', '/api/v1/onboarding', { as: rep, body: { steps: { insights: 'done' } } })).status).toBe(403);
    const bad = await t.request('PATCH', '/api/v1/onboarding', { as: admin, body: { steps: { billing: 'done' } } });
    expect(bad.status).toBe(400);
    const back = await t.request('PATCH', '/api/v1/onboarding', { as: admin, body: { steps: { extension: 'todo' } } });
    expect(status(back.body).extension).toBe('todo');
  });

  it('can be put away and brought back', async () => {
    const away = await t.request('PATCH', '/api/v1/onboarding', { as: admin, body: { dismissed: true } });
    expect(away.body).toMatchObject({ dismissed: true, showWelcome: false });
    const back = await t.request('PATCH', '/api/v1/onboarding', { as: admin, body: { dismissed: false } });
    expect(back.body).toMatchObject({ dismissed: false, showWelcome: true });
  });
});

describe('sample data', () => {
  it('loads marked sample records once, scored so at-risk deals and the pipeline show', async () => {
    expect((await t.request('POST', '/api/v1/onboarding/sample-data', { as: rep })).status).toBe(403);
    const loaded = await t.request('POST', '/api/v1/onboarding/sample-data', { as: admin });
    expect(loaded.status).toBe(201);
    expect(loaded.body.sampleData.loaded).toBe(true);
    expect(status(loaded.body).data).toBe('done');
    expect(loaded.body.steps.find((s: { id: string }) => s.id === 'data').doneBecause).toBe('Sample data loaded');

    const deals = await t.request('GET', '/api/v1/deals?limit=100', { as: admin });
    expect(deals.body.data.length).toBeGreaterThanOrEqual(8);
    expect(deals.body.data.every((d: { name: string; source: string }) => d.name.endsWith('(Sample)') && d.source === 'sample')).toBe(true);
    const contacts = await t.request('GET', '/api/v1/contacts?tag=sample&limit=100', { as: admin });
    expect(contacts.body.data.length).toBe(10);
    const atRisk = await t.request('GET', '/api/v1/deals/at-risk', { as: admin });
    expect(atRisk.status).toBe(200);
    expect(atRisk.body.data.length).toBeGreaterThan(0);
    expect(atRisk.body.data[0].risk.reasons.length).toBeGreaterThan(0);
    const year = 365 * 86_400_000;
    const range = `from=${new Date(Date.now() - year).toISOString()}&to=${new Date(Date.now() + year).toISOString()}`;
    const pipeline = await t.request('GET', `/api/v1/reports/pipeline-by-stage?${range}`, { as: admin });
    expect(pipeline.body.total.deals).toBe(8); // the open sample deals
    const forecast = await t.request('GET', '/api/v1/reports/forecast', { as: admin });
    expect(forecast.status).toBe(200);

    const again = await t.request('POST', '/api/v1/onboarding/sample-data', { as: admin });
    expect(again.status).toBe(409);
    // Nothing reached the other organization.
    expect((await t.request('GET', '/api/v1/deals', { as: other.admin })).body.data).toEqual([]);
  });

  it('removes exactly the unedited sample records in one call, keeping edited ones and the user\'s own', async () => {
    const own = await t.request('POST', '/api/v1/contacts', { as: admin, body: { email: 'real.person@customer.test', firstName: 'Real' } });
    expect(own.status).toBe(201);
    const deals = (await t.request('GET', '/api/v1/deals?limit=100', { as: admin })).body.data as { id: string; name: string; companyId: string }[];
    const edited = deals[0]!;
    expect((await t.request('PATCH', `/api/v1/deals/${edited.id}`, { as: admin, body: { name: 'Renamed by me' } })).status).toBe(200);
    const otherOrgContact = await t.request('POST', '/api/v1/contacts', { as: other.admin, body: { email: 'someone@elsewhere.test' } });
    expect(otherOrgContact.status).toBe(201);

    expect((await t.request('DELETE', '/api/v1/onboarding/sample-data', { as: rep })).status).toBe(403);
    const removed = await t.request('DELETE', '/api/v1/onboarding/sample-data', { as: admin });
    expect(removed.status).toBe(200);
    expect(removed.body.kept).toEqual({ companies: 1, contacts: 0, deals: 1, activities: 0 });
    expect(removed.body.removed).toMatchObject({ companies: 4, contacts: 10, deals: deals.length - 1 });
    expect(removed.body.state.sampleData).toMatchObject({ loaded: false, records: 0 });

    const left = (await t.request('GET', '/api/v1/deals?limit=100', { as: admin })).body.data;
    expect(left.map((d: { name: string }) => d.name)).toEqual(['Renamed by me']);
    expect(left[0].companyId).toBe(edited.companyId); // its company stayed with it
    const contacts = (await t.request('GET', '/api/v1/contacts?limit=100', { as: admin })).body.data;
    expect(contacts.map((c: { email: string }) => c.email)).toEqual(['real.person@customer.test']);
    expect((await t.request('GET', `/api/v1/contacts/${otherOrgContact.body.id}`, { as: other.admin })).status).toBe(200);
    // Removing twice is harmless.
    const twice = await t.request('DELETE', '/api/v1/onboarding/sample-data', { as: admin });
    expect(twice.body.removed).toEqual({ companies: 0, contacts: 0, deals: 0, activities: 0 });
  });
});
