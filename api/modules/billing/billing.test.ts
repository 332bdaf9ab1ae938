// Plans, trial, Stripe checkout, webhooks and dunning through the API, with the real `stripe`
// library talking to the Stripe stand-in and the stand-in delivering signed webhooks.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEvents, mailOutbox } from '../../../db/schema/index.ts';
import type { Caller } from '../../../test-support/app.ts';
import { setEnterprise } from './billing.service.ts';
import { startBillingKit, storeContacts, storeOpenDeals, webhookSecret, type BillingKit } from './test-billing-kit.ts';

let k: BillingKit;
beforeAll(async () => {
  k = await startBillingKit();
});
afterAll(() => k.close());

const billing = async (as: Caller) => (await k.t.request('GET', '/api/v1/billing', { as })).body;

/** An admin subscribes through Checkout: the hosted page's "Pay" form, then the webhooks arrive. */
async function subscribe(admin: Caller, plan: 'starter' | 'pro', order: 'in-order' | 'reversed' = 'in-order') {
  const checkout = await k.t.request('POST', '/api/v1/billing/checkout', { as: admin, body: { plan } });
  expect(checkout.status).toBe(200);
  const page = await fetch(checkout.body.url);
  expect(await page.text()).toContain('Pay');
  const paid = await fetch(`${checkout.body.url}/pay`, { method: 'POST', body: new URLSearchParams({ card: '4242 4242 4242 4242' }), redirect: 'manual' });
  expect(paid.status).toBe(303);
  expect(paid.headers.get('location')).toBe('http://localhost:8787/app/settings/billing?checkout=done');
  expect(await k.stripe.control.deliverPending(order)).toEqual([200, 200, 200]);
  return (await billing(admin)).subscription;
}

const subscriptionIdOf = (orgId: string): string => k.stripe.control.events().map((e) => e.data.object).find((o) => o.object === 'subscription' && o.metadata.orgId === orgId)!.id;

describe('trial and plan limits', () => {
  it('starts every new organization on a 14-day Pro trial without a card, then falls to Free keeping all data', async () => {
    const org = await k.t.newOrg('Trialing');
    const rep = await org.member('rep');
    expect(await billing(org.admin)).toMatchObject({ plan: 'pro', trialing: true, trialDaysLeft: 14, subscription: null, seatsUsed: 2, canManage: true, dunning: { status: 'ok' } });
    expect(await billing(rep)).toMatchObject({ plan: 'pro', canManage: false });

    await storeContacts(k.t, org.orgId, 600);
    await storeOpenDeals(k.t, org.orgId, 120);
    // On Pro, past Free's numbers, writes go on.
    expect((await k.t.request('POST', '/api/v1/contacts', { as: rep, body: { email: 'during@trial.test' } })).status).toBe(201);
    expect((await k.t.request('PATCH', '/api/v1/risk/settings', { as: org.admin, body: { bands: { medium: 0.3, high: 0.6 } } })).status).toBe(200);

    k.advanceDays(15);
    const after = await billing(org.admin);
    expect(after).toMatchObject({ plan: 'free', trialing: false, trialDaysLeft: 0 });
    expect(after.usage).toEqual(expect.arrayContaining([
      { limit: 'contacts', label: 'contacts', used: 601, max: 500 },
      { limit: 'openDeals', label: 'open deals', used: 120, max: 100 },
      { limit: 'members', label: 'members', used: 2, max: 3 },
    ]));

    // Nothing stored is hidden by the downgrade.
    const listed = await k.t.request('GET', '/api/v1/contacts?q=during', { as: rep });
    expect(listed.body.data.map((c: { email: string }) => c.email)).toEqual(['during@trial.test']);
    // Only new writes past a limit are refused, with one code that says which limit and which plan lifts it.
    const contact = await k.t.request('POST', '/api/v1/contacts', { as: rep, body: { email: 'after@trial.test' } });
    expect(contact.status).toBe(402);
    expect(contact.body.error).toMatchObject({ code: 'PLAN_LIMIT', details: { limit: 'contacts', upgradeTo: 'starter' } });
    expect(contact.body.error.message).toMatch(/Free plan allows 500 contacts .* upgrade to Starter/);
    const deal = await k.t.request('POST', '/api/v1/deals', { as: rep, body: { name: 'One more' } });
    expect(deal.body.error).toMatchObject({ code: 'PLAN_LIMIT', details: { limit: 'openDeals', upgradeTo: 'starter' } });
    const risk = await k.t.request('PATCH', '/api/v1/risk/settings', { as: org.admin, body: { bands: { medium: 0.35, high: 0.6 } } });
    expect(risk.status).toBe(402);
    expect(risk.body.error).toMatchObject({ code: 'PLAN_LIMIT', details: { feature: 'riskSettings', upgradeTo: 'pro' } });
    // The settings made during the trial still show.
    expect((await k.t.request('GET', '/api/v1/risk/settings', { as: org.admin })).body.overrides).toMatchObject({ bands: { medium: 0.3, high: 0.6 } });
    // Updates of what exists are not creations: they go on.
    const existing = listed.body.data[0];
    expect((await k.t.request('PATCH', `/api/v1/contacts/${existing.id}`, { as: rep, body: { title: 'Buyer' } })).status).toBe(200);
    k.advanceDays(-15);
  });

  it('counts members with open invitations against Free\'s three', async () => {
    const org = await k.t.newOrg('Small Team');
    await org.member('rep');
    k.advanceDays(15);
    const third = await k.t.request('POST', '/api/v1/invitations', { as: org.admin, body: { email: 'third@small.test', role: 'rep' } });
    expect(third.status).toBe(201);
    const fourth = await k.t.request('POST', '/api/v1/invitations', { as: org.admin, body: { email: 'fourth@small.test', role: 'rep' } });
    expect(fourth.status).toBe(402);
    expect(fourth.body.error).toMatchObject({ code: 'PLAN_LIMIT', details: { limit: 'members', upgradeTo: 'starter' } });
    k.advanceDays(-15);
  });
});

describe('checkout, seats and plan changes', () => {
  it('subscribes an organization to Pro through Checkout with one seat per member, and keeps seats equal to members', async () => {
    const org = await k.t.newOrg('Buyer');
    await org.member('manager');
    const subscription = await subscribe(org.admin, 'pro');
    expect(subscription).toMatchObject({ plan: 'pro', status: 'active', seatsPaid: 2, cancelAtPeriodEnd: false, nextInvoice: { amount: 5_800, currency: 'usd' } });
    expect(await billing(org.admin)).toMatchObject({ plan: 'pro', trialing: false, seatsUsed: 2 });

    // A new member: the consumer sets the subscription's quantity (prorated), and Stripe's update comes back by webhook.
    const rep = await org.member('rep');
    await k.t.deliverEvents();
    const subId = subscriptionIdOf(org.orgId);
    expect(k.stripe.control.subscription(subId)!.items.data[0].quantity).toBe(3);
    expect((await billing(org.admin)).subscription.seatsPaid).toBe(3);
    // Deactivated: one seat less.
    expect((await k.t.request('POST', `/api/v1/members/${rep.userId}/deactivate`, { as: org.admin })).status).toBe(200);
    await k.t.deliverEvents();
    expect(k.stripe.control.subscription(subId)!.items.data[0].quantity).toBe(2);
    // Downgrade to Starter: switched at once, no second checkout.
    const down = await k.t.request('POST', '/api/v1/billing/checkout', { as: org.admin, body: { plan: 'starter' } });
    expect(down.body).toEqual({ url: null });
    expect(await billing(org.admin)).toMatchObject({ plan: 'starter', subscription: { plan: 'starter', seatsPaid: 2, nextInvoice: { amount: 2_400 } } });
    await k.stripe.control.deliverPending();
  });

  it('lets only admins change the plan or open the portal', async () => {
    const org = await k.t.newOrg('Roles');
    const manager = await org.member('manager');
    expect((await k.t.request('POST', '/api/v1/billing/checkout', { as: manager, body: { plan: 'pro' } })).status).toBe(403);
    expect((await k.t.request('POST', '/api/v1/billing/portal', { as: manager })).status).toBe(403);
    const noCustomer = await k.t.request('POST', '/api/v1/billing/portal', { as: org.admin });
    expect(noCustomer.body.error.code).toBe('CONFLICT');
    expect((await k.t.request('POST', '/api/v1/billing/checkout', { as: org.admin, body: { plan: 'enterprise' } })).status).toBe(400);
    // Enterprise is set by the operator (npm run admin -- billing:enterprise): unlimited, and not changed through Checkout.
    await k.t.inOrg(org.orgId, (s) => setEnterprise(s, true));
    expect(await billing(org.admin)).toMatchObject({ plan: 'enterprise', trialing: false, usage: expect.arrayContaining([{ limit: 'members', label: 'members', used: 2, max: null }]) });
    expect((await k.t.request('POST', '/api/v1/billing/checkout', { as: org.admin, body: { plan: 'pro' } })).body.error.code).toBe('CONFLICT');
  });
});

describe('the webhook endpoint', () => {
  const post = (body: string, signature: string) => k.t.request('POST', '/api/v1/billing/stripe-webhook', { raw: body, headers: { 'stripe-signature': signature } });
  const sign = (body: string, secret: string, t: number) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

  it('refuses forged, tampered and replayed deliveries and changes nothing', async () => {
    const org = await k.t.newOrg('Forged');
    const checkout = await k.t.request('POST', '/api/v1/billing/checkout', { as: org.admin, body: { plan: 'pro' } });
    k.stripe.control.pay(checkout.body.url.split('/').pop()!);
    const [created] = k.stripe.control.pending();
    const body = JSON.stringify(created);
    const nowS = Math.floor(k.now().getTime() / 1000);

    const forged = await post(body, sign(body, 'whsec_someone_else', nowS));
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('INVALID_SIGNATURE');
    expect((await post(body.replace('"active"', '"canceled"'), sign(body, webhookSecret, nowS))).status).toBe(400);
    expect((await post(body, '')).status).toBe(400);
    // A genuine delivery captured and sent again ten minutes later: outside Stripe's 5-minute tolerance.
    expect((await k.stripe.control.deliver(created!.id, { signedAt: nowS - 600 }))).toBe(400);
    expect(await billing(org.admin)).toMatchObject({ plan: 'pro', trialing: true, subscription: null });

    // Genuine: applied once; the same event again is a no-op.
    expect(await k.stripe.control.deliver(created!.id)).toBe(200);
    const again = await post(body, sign(body, webhookSecret, nowS));
    expect(again.body).toMatchObject({ received: true, duplicate: true });
    await k.stripe.control.deliverPending();
    const applied = await k.t.inOrg(org.orgId, (s) => s.db.select().from(domainEvents));
    expect(applied.filter((e) => e.type === 'billing.updated')).toHaveLength(1);
  });

  it('ends in the same state whatever order the events arrive in, delivered twice or late', async () => {
    const inOrder = await k.t.newOrg('In Order');
    const reversed = await k.t.newOrg('Reversed');
    const runs = [] as unknown[];
    for (const [org, order] of [[inOrder, 'in-order'], [reversed, 'reversed']] as const) {
      await subscribe(org.admin, 'pro', order);
      const subId = subscriptionIdOf(org.orgId);
      k.stripe.control.failPayment(subId);
      k.stripe.control.payOpenInvoice(subId);
      const pending = k.stripe.control.pending();
      const ids = order === 'reversed' ? pending.map((e) => e.id).reverse() : pending.map((e) => e.id);
      // Each delivered twice, the second copy late (after the others).
      for (const id of ids) expect(await k.stripe.control.deliver(id)).toBe(200);
      for (const id of ids) expect(await k.stripe.control.deliver(id)).toBe(200);
      const { subscription, dunning, plan } = await billing(org.admin);
      runs.push({ subscription, dunning, plan });
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toMatchObject({ plan: 'pro', subscription: { status: 'active', seatsPaid: 1 }, dunning: { status: 'ok', paymentFailedAt: null } });
  });
});

describe('dunning', () => {
  it('shows the failed payment, makes the organization read-only after 7 days (reads still work) until paid', async () => {
    const org = await k.t.newOrg('Dunning');
    const other = await k.t.newOrg('Unrelated');
    const rep = await org.member('rep');
    await subscribe(org.admin, 'pro');
    await k.t.deliverEvents();
    await k.stripe.control.deliverPending();
    const subId = subscriptionIdOf(org.orgId);
    k.stripe.control.failPayment(subId);
    await k.stripe.control.deliverPending();
    const failing = await billing(org.admin);
    expect(failing.dunning).toMatchObject({ status: 'grace', paymentFailedAt: k.now().toISOString() });
    expect(failing.subscription.status).toBe('past_due');
    const events = await k.t.inOrg(org.orgId, (s) => s.db.select().from(domainEvents));
    expect(events.filter((e) => e.type === 'billing.payment_failed')).toHaveLength(1);
    // The admins get the billing mail (once, even when the event is handed over again).
    await k.t.deliverEvents();
    await k.t.deliverEvents();
    const mails = await k.t.inOrg(org.orgId, (s) => s.db.select().from(mailOutbox));
    expect(mails.filter((m) => m.template === 'notice').map((m) => [m.toAddress, (m.data as { heading: string }).heading])).toEqual([[org.admin.email, 'Payment failed for Dunning']]);
    // In the grace period everything works.
    expect((await k.t.request('POST', '/api/v1/contacts', { as: rep, body: { email: 'grace@dunning.test' } })).status).toBe(201);

    k.advanceDays(7);
    const write = await k.t.request('POST', '/api/v1/contacts', { as: rep, body: { email: 'late@dunning.test' } });
    expect(write.status).toBe(402);
    expect(write.body.error.code).toBe('ORGANIZATION_READ_ONLY');
    expect(write.body.error.message).toContain('Nothing is lost');
    expect((await k.t.request('PATCH', '/api/v1/risk/settings', { as: org.admin, body: {} })).body.error.code).toBe('ORGANIZATION_READ_ONLY');
    // Reads and exports work; the admin can still reach the portal to pay.
    expect((await k.t.request('GET', '/api/v1/contacts?q=grace', { as: rep })).body.data).toHaveLength(1);
    expect((await k.t.request('GET', '/api/v1/deals/export', { as: org.admin })).status).toBe(200);
    const portal = await k.t.request('POST', '/api/v1/billing/portal', { as: org.admin });
    expect(portal.status).toBe(200);
    expect(await (await fetch(portal.body.url)).text()).toContain('Invoices');
    // Another organization is not concerned.
    expect((await k.t.request('POST', '/api/v1/contacts', { as: other.admin, body: { email: 'fine@other.test' } })).status).toBe(201);
    expect((await billing(other.admin)).dunning.status).toBe('ok');

    k.stripe.control.payOpenInvoice(subId);
    await k.stripe.control.deliverPending();
    expect((await billing(org.admin)).dunning).toEqual({ status: 'ok', paymentFailedAt: null, readOnlyFrom: null });
    expect((await k.t.request('POST', '/api/v1/contacts', { as: rep, body: { email: 'late@dunning.test' } })).status).toBe(201);
    k.advanceDays(-7);
  });
});
