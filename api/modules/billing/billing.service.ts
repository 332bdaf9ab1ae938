// An organization's plan, trial, subscription and usage, and the checks every write that a plan
// limits goes through. What Stripe says is applied by applySubscription, always from a subscription
// just reloaded from Stripe (never from an event's copy), so events in any order end in the same state.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { dunningOf, GRACE_DAYS, effectivePlan, limitLabels, limitNames, mayAdd, mayUse, plans, TRIAL_DAYS, trialDaysLeft, type BillingState, type FeatureName, type LimitName, type PlanId, type WriteDecision } from '../../../core/billing/plans.ts';
import { AppError } from '../../../core/errors.ts';
import { isAdmin } from '../../../core/roles.ts';
import { contacts, deals, invitations, memberships, orgBilling } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { isoOrNull } from '../records/records.ts';
import type { BillingDeps } from './stripe-client.ts';

type BillingRow = typeof orgBilling.$inferSelect;
const DAY_MS = 86_400_000;

/** A new organization's 14-day Pro trial, without a card. */
export async function startTrial(s: Scope) {
  await s.db.insert(orgBilling).values({ orgId: s.orgId, plan: 'free', trialEndsAt: new Date(s.now().getTime() + TRIAL_DAYS * DAY_MS) }).onConflictDoNothing();
}

/** The organization's billing row; one made otherwise (the demo seed, the operator) gets its trial on first use. */
export async function billingRow(s: Scope): Promise<BillingRow> {
  const [row] = await s.db.select().from(orgBilling).where(eq(orgBilling.orgId, s.orgId));
  if (row) return row;
  await startTrial(s);
  const [made] = await s.db.select().from(orgBilling).where(eq(orgBilling.orgId, s.orgId));
  return made!;
}

const stateOf = (row: BillingRow): BillingState => ({ plan: row.plan, trialEndsAt: row.trialEndsAt, subscriptionStatus: row.subscriptionStatus, paymentFailedAt: row.paymentFailedAt });

export async function planInEffect(s: Scope): Promise<{ row: BillingRow; plan: PlanId; trialing: boolean }> {
  const row = await billingRow(s);
  return { row, ...effectivePlan(stateOf(row), s.now()) };
}

/** How much of each limited thing the organization holds now (active members count open invitations too). */
export async function usageOf(s: Scope, limit: LimitName): Promise<number> {
  const count = sql<number>`count(*)::int`;
  if (limit === 'contacts') return (await s.db.select({ n: count }).from(contacts).where(isNull(contacts.deletedAt)))[0]!.n;
  if (limit === 'openDeals') return (await s.db.select({ n: count }).from(deals).where(and(isNull(deals.deletedAt), isNull(deals.outcome))))[0]!.n;
  const members = await activeMembers(s);
  const [open] = await s.db.select({ n: count }).from(invitations).where(and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, s.now())));
  return members + open!.n;
}

export async function activeMembers(s: Scope): Promise<number> {
  const [row] = await s.db.select({ n: sql<number>`count(*)::int` }).from(memberships).where(isNull(memberships.deactivatedAt));
  return row!.n;
}

const refuse = (decision: WriteDecision) => {
  if (decision.allowed) return;
  throw new AppError('PLAN_LIMIT', decision.message, { limit: decision.limit ?? null, feature: decision.feature ?? null, upgradeTo: decision.upgradeTo });
};

/** Refuses (402 PLAN_LIMIT) a write that would take `limit` past the plan's. */
export async function assertMayAdd(s: Scope, limit: LimitName, adding = 1) {
  const { plan } = await planInEffect(s);
  if (plans[plan].limits[limit] === null) return;
  refuse(mayAdd(plan, limit, await usageOf(s, limit), adding));
}

/** Refuses (402 PLAN_LIMIT) a write that needs a feature the plan lacks. */
export async function assertMayUse(s: Scope, feature: FeatureName) {
  refuse(mayUse((await planInEffect(s)).plan, feature));
}

/** Refuses every write (402 ORGANIZATION_READ_ONLY) once a failed payment's grace period is over. */
export async function assertWritable(s: Scope) {
  const dunning = dunningOf(stateOf(await billingRow(s)), s.now());
  if (dunning.status === 'read_only') {
    throw new AppError(
      'ORGANIZATION_READ_ONLY',
      `A payment failed and the ${GRACE_DAYS}-day grace period ended on ${dunning.readOnlyFrom.toISOString().slice(0, 10)}: this organization is read-only until an admin pays the open invoice (Billing → Manage payment). Nothing is lost, and reading and exports still work.`,
      { readOnlyFrom: dunning.readOnlyFrom.toISOString() },
    );
  }
}

export async function billingOverview(s: Scope) {
  const { row, plan, trialing } = await planInEffect(s);
  const state = stateOf(row);
  const dunning = dunningOf(state, s.now());
  const usage = [];
  for (const limit of limitNames) usage.push({ limit, label: limitLabels[limit], used: await usageOf(s, limit), max: plans[plan].limits[limit] });
  return {
    plan,
    planName: plans[plan].name,
    trialing,
    trialDaysLeft: trialDaysLeft(state, s.now()),
    trialEndsAt: isoOrNull(row.trialEndsAt),
    subscription: row.stripeSubscriptionId
      ? {
          plan: row.plan,
          status: row.subscriptionStatus ?? 'incomplete',
          seatsPaid: row.seatsPaid,
          currentPeriodEnd: isoOrNull(row.currentPeriodEnd),
          cancelAtPeriodEnd: row.cancelAtPeriodEnd,
          nextInvoice:
            row.nextInvoiceAmount !== null && row.currency && row.currentPeriodEnd && !row.cancelAtPeriodEnd && row.subscriptionStatus !== 'canceled'
              ? { amount: row.nextInvoiceAmount, currency: row.currency, date: row.currentPeriodEnd.toISOString() }
              : null,
        }
      : null,
    seatsUsed: await activeMembers(s),
    dunning: {
      status: dunning.status,
      paymentFailedAt: isoOrNull(row.paymentFailedAt),
      readOnlyFrom: dunning.status === 'ok' ? null : dunning.readOnlyFrom.toISOString(),
    },
    usage,
    features: [...plans[plan].features],
    canManage: isAdmin(s.actor),
  };
}

/** The plan a subscription pays for, from its price's lookup key. */
export function planOfSubscription(sub: Stripe.Subscription, lookupKeys: BillingDeps['lookupKeys']): PlanId | null {
  const key = sub.items.data[0]?.price.lookup_key;
  if (key === lookupKeys.pro) return 'pro';
  if (key === lookupKeys.starter) return 'starter';
  return null;
}

const failingStatuses = new Set(['past_due', 'unpaid']);

/**
 * Stores what a freshly reloaded subscription says. Idempotent: the same subscription gives the same
 * row, whatever happened before. A canceled subscription leaves the organization on Free (its data stays).
 * Answers whether a payment just started failing (for the dunning notice).
 */
export async function applySubscription(s: Scope, sub: Stripe.Subscription, lookupKeys: BillingDeps['lookupKeys']): Promise<{ startedFailing: boolean }> {
  const row = await billingRow(s);
  // An older subscription of the same customer (e.g. replaced by a new checkout) does not undo the current one.
  if (row.stripeSubscriptionId && row.stripeSubscriptionId !== sub.id && sub.status === 'canceled') return { startedFailing: false };
  const item = sub.items.data[0];
  const failing = failingStatuses.has(sub.status);
  const values = {
    plan: row.plan === 'enterprise' ? row.plan : sub.status === 'canceled' ? ('free' as const) : (planOfSubscription(sub, lookupKeys) ?? row.plan),
    stripeCustomerId: typeof sub.customer === 'string' ? sub.customer : sub.customer.id,
    stripeSubscriptionId: sub.id,
    subscriptionStatus: sub.status,
    seatsPaid: item?.quantity ?? null,
    currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    nextInvoiceAmount: item?.price.unit_amount != null && item.quantity != null ? item.price.unit_amount * item.quantity : null,
    currency: item?.price.currency ?? null,
    // Grace is counted from the first failure; a paid (or ended) subscription clears it.
    paymentFailedAt: failing ? (row.paymentFailedAt ?? s.now()) : null,
    updatedAt: s.now(),
  };
  await s.db.update(orgBilling).set(values).where(eq(orgBilling.orgId, s.orgId));
  const changed = row.plan !== values.plan || row.subscriptionStatus !== values.subscriptionStatus || row.seatsPaid !== values.seatsPaid;
  if (changed) {
    await s.emit({
      type: 'billing.updated',
      recordId: s.orgId,
      changes: { plan: { old: row.plan, new: values.plan }, subscriptionStatus: { old: row.subscriptionStatus, new: values.subscriptionStatus } },
      data: { plan: values.plan, status: values.subscriptionStatus, seatsPaid: values.seatsPaid },
    });
  }
  return { startedFailing: failing && !row.paymentFailedAt };
}

/** Remembers the Stripe customer made for the organization. */
export async function saveCustomer(s: Scope, customerId: string) {
  await billingRow(s);
  await s.db.update(orgBilling).set({ stripeCustomerId: customerId, updatedAt: s.now() }).where(eq(orgBilling.orgId, s.orgId));
}

/** The operator sets (or ends) Enterprise: unlimited, sales-led, billed outside Checkout. */
export async function setEnterprise(s: Scope, on: boolean) {
  const row = await billingRow(s);
  // Off: back to Free; a live subscription's plan comes back with its next reload from Stripe.
  const plan = on ? ('enterprise' as const) : ('free' as const);
  await s.db.update(orgBilling).set({ plan, updatedAt: s.now() }).where(eq(orgBilling.orgId, s.orgId));
  await s.emit({ type: 'billing.updated', recordId: s.orgId, changes: { plan: { old: row.plan, new: plan } }, data: { plan } });
  return plan;
}
