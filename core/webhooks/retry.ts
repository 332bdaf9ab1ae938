// When a failed delivery is tried again: exponential back-off with jitter, for about three days
// after the first attempt, then it is given up. Pure: `random` is passed in (Math.random in the
// sender, fixed values in tests).

export const RETRY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 6 * 60 * 60 * 1000;
/** ±20 %: endpoints that failed together do not all come back at the same second. */
const JITTER = 0.2;

/** The delay before attempt `attempt + 1`, after `attempt` failed attempts (1 = the first try failed). */
export function retryDelayMs(attempt: number, random: number): number {
  const base = Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}

/**
 * The time of the next attempt after a failure, or null when the delivery is given up: when the
 * next attempt would fall more than the retry window after the first one.
 */
export function nextAttemptAt(firstAttemptAt: Date, failedAttempts: number, now: Date, random: number): Date | null {
  const next = new Date(now.getTime() + retryDelayMs(failedAttempts, random));
  return next.getTime() - firstAttemptAt.getTime() > RETRY_WINDOW_MS ? null : next;
}

/** What a receiver's answer means for the delivery. */
export type AttemptOutcome = 'delivered' | 'retry' | 'gone';

/**
 * 2xx delivered; 410 Gone is the receiver saying "stop" (Standard Webhooks: disable the endpoint);
 * anything else (3xx, since redirects are not followed, 4xx, 5xx, no answer) is tried again.
 */
export function outcomeOfStatus(status: number | null): AttemptOutcome {
  if (status !== null && status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  return 'retry';
}
