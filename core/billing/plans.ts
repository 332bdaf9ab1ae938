// The plans, their limits and the features they unlock, as data; and the pure decisions made from
// them: which plan an organization is on right now (trial, subscription, dunning), and whether a
// write may happen. `now` is always passed in.
export const planIds = ['free', 'starter', 'pro', 'enterprise'] as const;
export type PlanId = (typeof planIds)[number];
/** Plans a customer buys by themselves through Checkout (Enterprise is sales-led). */
export const paidPlanIds = ['starter', 'pro'] as const;
export type PaidPlanId = (typeof paidPlanIds)[number];

export const limitNames = ['members', 'contacts', 'openDeals'] as const;
export type LimitName = (typeof limitNames)[number];

export const featureNames = ['tracking', 'sidebar', 'crmSync', 'workflows', 'webhooks', 'slack', 'riskSettings'] as const;
export type FeatureName = (typeof featureNames)[number];

export interface Plan {
  id: PlanId;
  name: string;
  /** Paid per active member. */
  perSeat: boolean;
  /** null: unlimited. */
  limits: Record<LimitName, number | null>;
  features: readonly FeatureName[];
}

const base: readonly FeatureName[] = ['tracking', 'sidebar'];
const proFeatures: readonly FeatureName[] = [...base, 'crmSync', 'workflows', 'webhooks', 'slack', 'riskSettings'];

export const plans: Record<PlanId, Plan> = {
  free: { id: 'free', name: 'Free', perSeat: false, limits: { members: 3, contacts: 500, openDeals: 100 }, features: base },
  starter: { id: 'starter', name: 'Starter', perSeat: true, limits: { members: null, contacts: 10_000, openDeals: null }, features: base },
  pro: { id: 'pro', name: 'Pro', perSeat: true, limits: { members: null, contacts: null, openDeals: null }, features: proFeatures },
  enterprise: { id: 'enterprise', name: 'Enterprise', perSeat: true, limits: { members: null, contacts: null, openDeals: null }, features: proFeatures },
};

export const limitLabels: Record<LimitName, string> = {
  members: 'members',
  contacts: 'contacts',
  openDeals: 'open deals',
};

export const featureLabels: Record<FeatureName, string> = {
  tracking: 'Email tracking',
  sidebar: 'The inbox sidebar',
  crmSync: 'CRM sync',
  workflows: 'Workflows',
  webhooks: 'Webhooks',
  slack: 'Slack',
  riskSettings: 'Risk settings',
};

export const TRIAL_DAYS = 14;
export const GRACE_DAYS = 7;
const DAY_MS = 86_400_000;

/** What is stored about an organization's billing (db/schema/billing.ts), as the decisions need it. */
export interface BillingState {
  /** The plan paid for (or set by the operator); 'free' when none. */
  plan: PlanId;
  /** End of the no-card Pro trial; null: never had one. */
  trialEndsAt: Date | null;
  /** Stripe's subscription status, as last reloaded; null: no subscription. */
  subscriptionStatus: string | null;
  /** When a payment first failed in the current run of failures; null: paid up. */
  paymentFailedAt: Date | null;
}

// Stripe statuses in which the subscription's plan applies (past_due: still in dunning).
const liveStatuses = new Set(['trialing', 'active', 'past_due']);

/** The plan in effect now: a live subscription's (or the operator's Enterprise), else the trial's Pro, else Free. */
export function effectivePlan(state: BillingState, now: Date): { plan: PlanId; trialing: boolean } {
  if (state.plan === 'enterprise') return { plan: 'enterprise', trialing: false };
  if (state.plan !== 'free' && state.subscriptionStatus && liveStatuses.has(state.subscriptionStatus)) return { plan: state.plan, trialing: false };
  if (state.trialEndsAt && now < state.trialEndsAt) return { plan: 'pro', trialing: true };
  return { plan: 'free', trialing: false };
}

/** Whole days of trial left (rounded up), 0 when over or never had one. */
export function trialDaysLeft(state: BillingState, now: Date): number {
  if (!state.trialEndsAt || now >= state.trialEndsAt) return 0;
  return Math.ceil((state.trialEndsAt.getTime() - now.getTime()) / DAY_MS);
}

/** Payment failed: admins see a banner; after the grace period the organization is read-only until paid. */
export function dunningOf(state: BillingState, now: Date): { status: 'ok' } | { status: 'grace' | 'read_only'; readOnlyFrom: Date } {
  if (!state.paymentFailedAt || state.plan === 'enterprise') return { status: 'ok' };
  const readOnlyFrom = new Date(state.paymentFailedAt.getTime() + GRACE_DAYS * DAY_MS);
  return { status: now >= readOnlyFrom ? 'read_only' : 'grace', readOnlyFrom };
}

/** The cheapest plan that lifts a limit to at least `needed`, or unlocks a feature. */
export function planLifting(what: { limit: LimitName; needed: number } | { feature: FeatureName }): PlanId {
  const order: PlanId[] = ['starter', 'pro', 'enterprise'];
  const fits = (p: Plan) => ('feature' in what ? p.features.includes(what.feature) : p.limits[what.limit] === null || p.limits[what.limit]! >= what.needed);
  return order.find((id) => fits(plans[id])) ?? 'enterprise';
}

export type WriteDecision = { allowed: true } | { allowed: false; limit?: LimitName; feature?: FeatureName; upgradeTo: PlanId; message: string };

/**
 * May `adding` more of `limit` be stored when `current` are already? Over-limit data already stored
 * is fine (a downgrade hides nothing); only writes that would go past the limit are refused.
 */
export function mayAdd(plan: PlanId, limit: LimitName, current: number, adding = 1): WriteDecision {
  const max = plans[plan].limits[limit];
  if (max === null || current + adding <= max) return { allowed: true };
  const upgradeTo = planLifting({ limit, needed: current + adding });
  return {
    allowed: false,
    limit,
    upgradeTo,
    message: `The ${plans[plan].name} plan allows ${max} ${limitLabels[limit]} and this organization has ${current}: upgrade to ${plans[upgradeTo].name} for more`,
  };
}

/** May a write that needs `feature` happen on `plan`? */
export function mayUse(plan: PlanId, feature: FeatureName): WriteDecision {
  if (plans[plan].features.includes(feature)) return { allowed: true };
  const upgradeTo = planLifting({ feature });
  return { allowed: false, feature, upgradeTo, message: `${featureLabels[feature]} is part of the ${plans[upgradeTo].name} plan; this organization is on ${plans[plan].name}` };
}
