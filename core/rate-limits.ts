// Rate-limit arithmetic, pure so it is tested as a table: fixed windows aligned on the epoch (every
// process agrees on them without talking), and the lease decision for the shared counters.
//
// A check adds `claim` units to the shared counter of its window in one atomic statement and reads
// the total back. Claiming several units at once (a lease) lets a busy process answer the next
// requests from memory: with N processes a caller can exceed the limit by at most N leases.

export interface LimitRule {
  /** Names the counter (part of its key) and appears in the 429 message. */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface Window {
  start: number;
  end: number;
}

export function windowOf(now: number, windowMs: number): Window {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, end: start + windowMs };
}

/** Whole seconds until the window ends, at least 1: the Retry-After a refused caller gets. */
export const secondsUntil = (now: number, end: number) => Math.max(1, Math.ceil((end - now) / 1000));

/** How many units to claim per round trip: one for strict limits, a twentieth of the limit when leasing. */
export const leaseSize = (limit: number, lease: boolean) => (lease ? Math.max(1, Math.floor(limit / 20)) : 1);

/**
 * After claiming `claimed` units, the counter reads `total`: how many of them fall under the limit.
 * 0 means this request is refused (and so is everyone until the window ends).
 */
export function grantedUnits(limit: number, claimed: number, total: number): number {
  const before = total - claimed;
  return Math.max(0, Math.min(claimed, limit - before));
}
