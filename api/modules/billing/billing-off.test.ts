// Without STRIPE_SECRET_KEY billing is off: no plans are enforced and the billing routes say so.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('answers 503 on the billing routes, and limits nothing even long after the trial', async () => {
  const org = await t.newOrg('Self Hosted');
  const billing = await t.request('GET', '/api/v1/billing', { as: org.admin });
  expect(billing.status).toBe(503);
  expect(billing.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('STRIPE_SECRET_KEY') });
  expect((await t.request('POST', '/api/v1/billing/checkout', { as: org.admin, body: { plan: 'pro' } })).status).toBe(503);
  expect((await t.request('POST', '/api/v1/billing/stripe-webhook', { raw: '{}', headers: { 'stripe-signature': 't=1,v1=00' } })).status).toBe(401);
  expect((await t.request('PATCH', '/api/v1/risk/settings', { as: org.admin, body: { bands: { medium: 0.3, high: 0.6 } } })).status).toBe(200);
});
