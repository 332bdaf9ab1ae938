// A connection's call budget, fed by the provider's own headers, so a sync never exceeds the
// burst limit (HubSpot: X-HubSpot-RateLimit-Max per -Interval-Milliseconds, a rolling window) nor
// the daily allowance (HubSpot -Daily/-Daily-Remaining; Salesforce Sforce-Limit-Info
// api-usage=used/limit over 24 hours), and leaves a share of the day's allowance to everything
// else the customer runs against their CRM. Pure: the caller keeps the state and passes `now`.

export interface RateBudget {
  burst: { max: number; intervalMs: number } | null;
  /** Our own calls within the last burst interval (ms since epoch), oldest first. */
  recentCalls: number[];
  /** What the provider last said was left in the burst window, and when it said it. */
  burstRemaining: { value: number; at: number } | null;
  daily: { limit: number; used: number; at: number } | null;
  /** Share of the daily allowance kept free for others (0..1). */
  headroomShare: number;
}

export const newRateBudget = (headroomShare: number, burst: RateBudget['burst'] = null): RateBudget => ({
  burst,
  recentCalls: [],
  burstRemaining: null,
  daily: null,
  headroomShare,
});

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: Headers, name: string): number | null {
  const raw = typeof (headers as { get?: unknown }).get === 'function'
    ? (headers as { get(n: string): string | null }).get(name)
    : Object.entries(headers as Record<string, string | string[] | undefined>).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Reads HubSpot's X-HubSpot-RateLimit-* headers of an answer (OAuth apps get no daily pair). */
export function observeHubSpot(budget: RateBudget, headers: Headers, now: number): RateBudget {
  const max = header(headers, 'x-hubspot-ratelimit-max');
  const interval = header(headers, 'x-hubspot-ratelimit-interval-milliseconds');
  const remaining = header(headers, 'x-hubspot-ratelimit-remaining');
  const daily = header(headers, 'x-hubspot-ratelimit-daily');
  const dailyRemaining = header(headers, 'x-hubspot-ratelimit-daily-remaining');
  return {
    ...budget,
    burst: max !== null && interval !== null ? { max, intervalMs: interval } : budget.burst,
    burstRemaining: remaining !== null ? { value: remaining, at: now } : budget.burstRemaining,
    daily: daily !== null && dailyRemaining !== null ? { limit: daily, used: daily - dailyRemaining, at: now } : budget.daily,
  };
}

/** Reads Salesforce's `Sforce-Limit-Info: api-usage=18/15000`. */
export function observeSalesforce(budget: RateBudget, limitInfo: string | null | undefined, now: number): RateBudget {
  const m = /api-usage=(\d+)\/(\d+)/.exec(limitInfo ?? '');
  if (!m) return budget;
  return { ...budget, daily: { limit: Number(m[2]), used: Number(m[1]), at: now } };
}

/** Records one call we are about to make. */
export function spend(budget: RateBudget, now: number): RateBudget {
  const window = budget.burst?.intervalMs ?? 0;
  return {
    ...budget,
    recentCalls: [...budget.recentCalls.filter((t) => t > now - window), now],
    burstRemaining: budget.burstRemaining ? { value: budget.burstRemaining.value - 1, at: budget.burstRemaining.at } : null,
    daily: budget.daily ? { ...budget.daily, used: budget.daily.used + 1 } : null,
  };
}

export type Pace =
  | { kind: 'go' }
  /** Wait this long, then call (the burst window moves on). */
  | { kind: 'wait'; ms: number }
  /** The day's share is spent: pause the connection's sync until the allowance comes back. */
  | { kind: 'pause'; reason: 'daily_allowance'; used: number; allowed: number };

/** Whether a call may be made now, keeping within the burst and the day's share. */
export function pace(budget: RateBudget, now: number): Pace {
  if (budget.daily) {
    const allowed = Math.floor(budget.daily.limit * (1 - budget.headroomShare));
    if (budget.daily.used >= allowed) return { kind: 'pause', reason: 'daily_allowance', used: budget.daily.used, allowed };
  }
  if (!budget.burst) return { kind: 'go' };
  const { max, intervalMs } = budget.burst;
  const recent = budget.recentCalls.filter((t) => t > now - intervalMs);
  // The provider's count includes calls made by others on the same account: trust the lower of the two.
  const providerSaysFull = budget.burstRemaining !== null && budget.burstRemaining.value <= 0 && budget.burstRemaining.at > now - intervalMs;
  if (recent.length < max && !providerSaysFull) return { kind: 'go' };
  const oldest = recent.length >= max ? recent[recent.length - max]! : (budget.burstRemaining?.at ?? now);
  return { kind: 'wait', ms: Math.max(1, oldest + intervalMs - now) };
}

/** For the admin's budget meter. */
export function budgetMeter(budget: RateBudget): { used: number; limit: number; allowedForSync: number; left: number } | null {
  if (!budget.daily) return null;
  const allowedForSync = Math.floor(budget.daily.limit * (1 - budget.headroomShare));
  return { used: budget.daily.used, limit: budget.daily.limit, allowedForSync, left: Math.max(0, allowedForSync - budget.daily.used) };
}
