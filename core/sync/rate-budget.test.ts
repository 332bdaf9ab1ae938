import { describe, expect, it } from 'vitest';
import { budgetMeter, newRateBudget, observeHubSpot, observeSalesforce, pace, spend, type RateBudget } from './rate-budget.ts';

const hubspotHeaders = (remaining: number, dailyRemaining?: number) => ({
  'X-HubSpot-RateLimit-Max': '190',
  'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
  'X-HubSpot-RateLimit-Remaining': String(remaining),
  ...(dailyRemaining === undefined ? {} : { 'X-HubSpot-RateLimit-Daily': '250000', 'X-HubSpot-RateLimit-Daily-Remaining': String(dailyRemaining) }),
});

const calls = (budget: RateBudget, times: number[]) => times.reduce((b, t) => spend(b, t), budget);

describe('pace', () => {
  const burst = { max: 3, intervalMs: 1000 };
  it.each<[string, RateBudget, number, unknown]>([
    ['no limits known yet', newRateBudget(0.2), 0, { kind: 'go' }],
    ['under the burst', calls(newRateBudget(0.2, burst), [0, 100]), 200, { kind: 'go' }],
    ['the burst is full: wait until the oldest call leaves the window', calls(newRateBudget(0.2, burst), [0, 100, 200]), 300, { kind: 'wait', ms: 700 }],
    ['the window moved on', calls(newRateBudget(0.2, burst), [0, 100, 200]), 1001, { kind: 'go' }],
    ['the provider says the window is full (others share the account)', { ...newRateBudget(0.2, burst), burstRemaining: { value: 0, at: 500 } }, 600, { kind: 'wait', ms: 900 }],
    ['the day\'s share is spent: pause, leaving the headroom', { ...newRateBudget(0.2), daily: { limit: 1000, used: 800, at: 0 } }, 0, { kind: 'pause', reason: 'daily_allowance', used: 800, allowed: 800 }],
    ['just under the day\'s share', { ...newRateBudget(0.2), daily: { limit: 1000, used: 799, at: 0 } }, 0, { kind: 'go' }],
  ])('%s', (_label, budget, now, result) => {
    expect(pace(budget, now)).toEqual(result);
  });
});

describe('observing the providers\' headers', () => {
  it('reads HubSpot\'s burst and daily headers', () => {
    const b = observeHubSpot(newRateBudget(0.1), hubspotHeaders(150, 249_000), 5);
    expect(b.burst).toEqual({ max: 190, intervalMs: 10_000 });
    expect(b.burstRemaining).toEqual({ value: 150, at: 5 });
    expect(b.daily).toEqual({ limit: 250_000, used: 1000, at: 5 });
    expect(budgetMeter(b)).toEqual({ used: 1000, limit: 250_000, allowedForSync: 225_000, left: 224_000 });
  });

  it('keeps the daily figures when an OAuth answer omits them', () => {
    const first = observeHubSpot(newRateBudget(0.1), hubspotHeaders(150, 249_000), 5);
    expect(observeHubSpot(first, hubspotHeaders(149), 6).daily).toEqual(first.daily);
  });

  it('reads headers from a fetch Headers object too', () => {
    const b = observeHubSpot(newRateBudget(0.1), new Headers(hubspotHeaders(10)), 1);
    expect(b.burstRemaining).toEqual({ value: 10, at: 1 });
  });

  it.each([
    ['api-usage=18/15000', { limit: 15_000, used: 18, at: 7 }],
    ['api-usage=15000/15000', { limit: 15_000, used: 15_000, at: 7 }],
    ['garbage', null],
    [undefined, null],
  ])('Sforce-Limit-Info %s', (value, daily) => {
    expect(observeSalesforce(newRateBudget(0.1), value, 7).daily).toEqual(daily);
  });

  it('counts our own calls against the day between answers', () => {
    const b = spend(observeSalesforce(newRateBudget(0.5), 'api-usage=499/1000', 0), 1);
    expect(pace(b, 2)).toEqual({ kind: 'pause', reason: 'daily_allowance', used: 500, allowed: 500 });
  });
});
