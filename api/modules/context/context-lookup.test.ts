// The context lookup builds its JSON in SQL (db/functions/context-lookup.sql); the record endpoints
// build theirs in TypeScript. The sidebar and the dashboard show both, so every object the lookup
// returns must equal, field by field, what its record endpoint answers for the same caller. Checked
// on a thread with several contacts, a company, deals with risk, notes, calls, emails and tasks
// (open and done), as a rep and as a manager.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Caller, type TestApp } from '../../../test-support/app.ts';
import { createOrgFixture, type OrgFixture } from '../../../test-support/fixtures.ts';

let t: TestApp;
let f: OrgFixture;
let secondEmail: string;

async function call(method: string, path: string, as: Caller, body?: unknown) {
  const res = await t.request(method, `/api/v1${path}`, { as, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(t, 'Lookup');
  secondEmail = 'dana.ruiz@lookup-industries.com';
  const second = await call('POST', '/contacts', f.rep, { email: secondEmail, firstName: 'Dana', lastName: 'Ruiz', title: 'VP Sales', phone: '+1 555 0100', tags: ['champion'], customFields: { tier: 'gold', seats: 40 } });
  await call('PATCH', `/deals/${f.dealId}`, f.rep, { contactIds: [f.contactId, second.id], expectedCloseDate: '2030-06-30', stage: f.stageIds[1] });
  await call('POST', '/activities', f.rep, { type: 'note', body: 'Budget approved', contactIds: [second.id], dealIds: [f.dealId] });
  await call('POST', '/emails', f.rep, {
    messageId: '<lookup-1@lookup.test>', from: f.contactEmail, to: [f.rep.email], cc: [secondEmail], subject: 'Re: terms', snippet: 'Looks good',
    sentAt: new Date(Date.now() - 3_600_000).toISOString(), direction: 'inbound', threadId: 'thread-lookup',
  });
  const done = await call('POST', '/tasks', f.rep, { subject: 'Send terms', contactIds: [second.id], dealIds: [f.dealId] });
  await call('PATCH', `/tasks/${done.id}`, f.rep, { completed: true });
  await call('POST', '/tasks', f.rep, { subject: 'Follow up', dueAt: '2030-02-01T10:00:00Z', companyIds: [f.companyId] });
});
afterAll(() => t.close());

describe('context lookup vs the record endpoints', () => {
  it.each(['rep', 'manager'] as const)('answers every contact, company, deal, activity and task exactly as its endpoint does (%s)', async (role) => {
    const as = f[role];
    const context = await call('GET', `/context?emails=${encodeURIComponent(`${f.contactEmail},${secondEmail},nobody@else.test`)}`, as);
    expect(context.unknownEmails).toEqual(['nobody@else.test']);
    const kinds = [
      ['contacts', 'contacts'],
      ['companies', 'companies'],
      ['deals', 'deals'],
      ['activities', 'activities'],
      ['tasks', 'tasks'],
    ] as const;
    let compared = 0;
    for (const [key, path] of kinds) {
      expect(context[key].length, key).toBeGreaterThan(0);
      for (const item of context[key]) {
        const fromEndpoint = await call('GET', `/${path}/${item.id}`, as);
        // Same fields, same values: nothing missing, nothing extra, nothing formatted differently.
        expect(Object.keys(item).sort(), `${key} ${item.id}`).toEqual(Object.keys(fromEndpoint).sort());
        expect(item, `${key} ${item.id}`).toEqual(fromEndpoint);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(8);
    // The deals carry risk, as the deal endpoint does: a real comparison of the nested fields.
    expect(context.deals[0].risk).toMatchObject({ band: expect.any(String), reasons: expect.any(Array) });
  });
});
