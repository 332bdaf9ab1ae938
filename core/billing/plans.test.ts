import { describe, expect, it } from 'vitest';
import { dunningOf, effectivePlan, mayAdd, mayUse, planLifting, trialDaysLeft, type BillingState } from './plans.ts';

const now = new Date('2026-06-15T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
const state = (s: Partial<BillingState>): BillingState => ({ plan: 'free', trialEndsAt: null, subscriptionStatus: null, paymentFailedAt: null, ...s });

describe('effectivePlan', () => {
  it.each([
    ['a new organization in its trial', state({ trialEndsAt: days(3) }), 'pro', true],
    ['a trial that ended without a subscription', state({ trialEndsAt: days(-1) }), 'free', false],
    ['a trial that ends this instant', state({ trialEndsAt: now }), 'free', false],
    ['an active Starter subscription after the trial', state({ plan: 'starter', subscriptionStatus: 'active', trialEndsAt: days(-10) }), 'starter', false],
    ['Starter bought during the trial', state({ plan: 'starter', subscriptionStatus: 'active', trialEndsAt: days(5) }), 'starter', false],
    ['a past-due Pro subscription (dunning)', state({ plan: 'pro', subscriptionStatus: 'past_due' }), 'pro', false],
    ['a canceled Pro subscription', state({ plan: 'pro', subscriptionStatus: 'canceled' }), 'free', false],
    ['an unpaid subscription', state({ plan: 'pro', subscriptionStatus: 'unpaid' }), 'free', false],
    ['an incomplete checkout', state({ plan: 'pro', subscriptionStatus: 'incomplete', trialEndsAt: days(2) }), 'pro', true],
    ['Enterprise set by the operator', state({ plan: 'enterprise' }), 'enterprise', false],
  ] as const)('%s → %s', (_, s, plan, trialing) => {
    expect(effectivePlan(s, now)).toEqual({ plan, trialing });
  });
});

describe('trialDaysLeft', () => {
  it.each([
    [state({ trialEndsAt: days(14) }), 14],
    [state({ trialEndsAt: days(0.2) }), 1],
    [state({ trialEndsAt: days(-2) }), 0],
    [state({}), 0],
  ])('%# → %i days', (s, left) => expect(trialDaysLeft(s, now)).toBe(left));
});

describe('dunningOf', () => {
  it.each([
    [state({ plan: 'pro', subscriptionStatus: 'active' }), 'ok'],
    [state({ plan: 'pro', subscriptionStatus: 'past_due', paymentFailedAt: days(-1) }), 'grace'],
    [state({ plan: 'pro', subscriptionStatus: 'past_due', paymentFailedAt: days(-6.9) }), 'grace'],
    [state({ plan: 'pro', subscriptionStatus: 'past_due', paymentFailedAt: days(-7) }), 'read_only'],
    [state({ plan: 'pro', subscriptionStatus: 'unpaid', paymentFailedAt: days(-30) }), 'read_only'],
    [state({ plan: 'enterprise', paymentFailedAt: days(-30) }), 'ok'],
  ])('%# → %s', (s, status) => expect(dunningOf(s, now).status).toBe(status));
});

describe('mayAdd', () => {
  it.each([
    ['free', 'contacts', 499, true, undefined],
    ['free', 'contacts', 500, false, 'starter'],
    ['free', 'contacts', 700, false, 'starter'],
    ['free', 'openDeals', 99, true, undefined],
    ['free', 'openDeals', 100, false, 'starter'],
    ['free', 'members', 2, true, undefined],
    ['free', 'members', 3, false, 'starter'],
    ['starter', 'contacts', 9_999, true, undefined],
    ['starter', 'contacts', 10_000, false, 'pro'],
    ['starter', 'members', 40, true, undefined],
    ['pro', 'contacts', 5_000_000, true, undefined],
  ] as const)('%s: %s with %i stored → allowed %s (upgrade to %s)', (plan, limit, current, allowed, upgradeTo) => {
    const decision = mayAdd(plan, limit, current);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) {
      expect(decision).toMatchObject({ limit, upgradeTo });
      expect(decision.message).toContain(String(current));
    }
  });

  it('counts a batch as a whole', () => {
    expect(mayAdd('free', 'contacts', 490, 10).allowed).toBe(true);
    expect(mayAdd('free', 'contacts', 490, 11).allowed).toBe(false);
  });
});

describe('mayUse and planLifting', () => {
  it.each([
    ['free', 'tracking', true],
    ['free', 'sidebar', true],
    ['free', 'riskSettings', false],
    ['starter', 'webhooks', false],
    ['starter', 'crmSync', false],
    ['pro', 'riskSettings', true],
    ['pro', 'slack', true],
    ['enterprise', 'workflows', true],
  ] as const)('%s may use %s: %s', (plan, feature, allowed) => {
    const decision = mayUse(plan, feature);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.upgradeTo).toBe('pro');
  });

  it('names the cheapest plan that lifts a need', () => {
    expect(planLifting({ limit: 'contacts', needed: 501 })).toBe('starter');
    expect(planLifting({ limit: 'contacts', needed: 10_001 })).toBe('pro');
    expect(planLifting({ feature: 'workflows' })).toBe('pro');
  });
});
