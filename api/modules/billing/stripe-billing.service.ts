// What the billing page asks of Stripe: Checkout for a new subscription, a plan switch for a live
// one, the customer portal, and seats kept equal to active members. Stripe is called outside any
// database transaction; what it answers is stored in the organization's scope afterwards.
import type Stripe from 'stripe';
import type { PaidPlanId } from '../../../core/billing/plans.ts';
import { AppError, forbidden } from '../../../core/errors.ts';
import { isAdmin } from '../../../core/roles.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { activeMembers, applySubscription, billingRow, saveCustomer } from './billing.service.ts';
import type { BillingDeps } from './stripe-client.ts';

type InScope = <T>(work: (s: Scope) => Promise<T>) => Promise<T>;
const liveStatuses = new Set(['active', 'trialing', 'past_due']);

async function priceFor(billing: BillingDeps, plan: PaidPlanId): Promise<Stripe.Price> {
  const key = billing.lookupKeys[plan];
  const found = await billing.stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 });
  const price = found.data[0];
  if (!price) throw new AppError('UNAVAILABLE', `Billing is misconfigured: Stripe has no active price with the lookup key "${key}"`);
  return price;
}

/**
 * Upgrade or downgrade between Starter and Pro: Checkout when there is no live subscription (the
 * answer's url), or the live subscription's price switched at once, prorated (url null).
 */
export async function changePlan(billing: BillingDeps, inScope: InScope, plan: PaidPlanId, urls: { success: string; cancel: string }) {
  const { orgId, row, seats } = await inScope(async (s) => {
    if (!isAdmin(s.actor)) throw forbidden('Only admins can change the plan');
    return { orgId: s.orgId, row: await billingRow(s), seats: await activeMembers(s) };
  });
  if (row.plan === 'enterprise') throw new AppError('CONFLICT', 'This organization is on Enterprise: its plan is changed by its account manager');
  const price = await priceFor(billing, plan);
  if (row.stripeSubscriptionId && row.subscriptionStatus && liveStatuses.has(row.subscriptionStatus)) {
    const current = await billing.stripe.subscriptions.retrieve(row.stripeSubscriptionId);
    const item = current.items.data[0];
    if (!item) throw new AppError('CONFLICT', 'The subscription has no item to change');
    const updated = await billing.stripe.subscriptions.update(current.id, { items: [{ id: item.id, price: price.id, quantity: Math.max(1, seats) }], proration_behavior: 'create_prorations' });
    await inScope((s) => applySubscription(s, updated, billing.lookupKeys));
    return { url: null };
  }
  let customerId = row.stripeCustomerId;
  if (!customerId) {
    // The same key for the organization: two clicks racing make one customer (Stripe replays the first answer).
    const customer = await billing.stripe.customers.create({ metadata: { orgId } }, { idempotencyKey: `inbox-crm-customer-${orgId}` });
    customerId = customer.id;
    await inScope((s) => saveCustomer(s, customerId!));
  }
  const session = await billing.stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customerId,
    client_reference_id: orgId,
    line_items: [{ price: price.id, quantity: Math.max(1, seats) }],
    subscription_data: { metadata: { orgId } },
    metadata: { orgId },
    success_url: urls.success,
    cancel_url: urls.cancel,
  });
  return { url: session.url };
}

/** The customer portal (cards, invoices, cancellation) for admins of an organization that has a Stripe customer. */
export async function portalSession(billing: BillingDeps, inScope: InScope, returnUrl: string) {
  const row = await inScope(async (s) => {
    if (!isAdmin(s.actor)) throw forbidden('Only admins can manage payment');
    return billingRow(s);
  });
  if (!row.stripeCustomerId) throw new AppError('CONFLICT', 'There is no payment to manage yet: choose a plan first');
  const session = await billing.stripe.billingPortal.sessions.create({ customer: row.stripeCustomerId, return_url: returnUrl });
  return { url: session.url };
}

/**
 * Seats follow active members: the subscription's quantity is set to their number (prorated by
 * Stripe). `key` makes a redelivered event's update a replay, not a second change.
 */
export async function syncSeats(billing: BillingDeps, inScope: InScope, key: string) {
  const { row, seats } = await inScope(async (s) => ({ row: await billingRow(s), seats: await activeMembers(s) }));
  if (!row.stripeSubscriptionId || !row.subscriptionStatus || !liveStatuses.has(row.subscriptionStatus)) return 'no-subscription';
  const sub = await billing.stripe.subscriptions.retrieve(row.stripeSubscriptionId);
  const item = sub.items.data[0];
  const wanted = Math.max(1, seats);
  if (!item || item.quantity === wanted) return 'unchanged';
  await billing.stripe.subscriptionItems.update(item.id, { quantity: wanted, proration_behavior: 'create_prorations' }, { idempotencyKey: key });
  const updated = await billing.stripe.subscriptions.retrieve(sub.id);
  await inScope((s) => applySubscription(s, updated, billing.lookupKeys));
  return 'updated';
}
