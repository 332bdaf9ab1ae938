// The one policy that decides what a sync does after an error: try again after a pause (with
// jitter, so many connections that failed together do not retry together), pause the connection
// or one field until an admin acts, or give up on one record or the run. Providers never decide
// this themselves; their parsers only name the error (errors.ts).
import type { SyncError } from './errors.ts';

export type SyncDecision =
  | { action: 'retry'; delayMs: number }
  /** connection: nothing more until an admin reconnects or grants access; field: that field only, the rest goes on. */
  | { action: 'pause'; scope: 'connection' | 'field'; reason: string }
  /** record: this record is skipped and shown to the admin, the run goes on; run: the run stops, the next scheduled one tries again. */
  | { action: 'fail'; scope: 'record' | 'run'; reason: string };

export interface RetrySettings {
  /** Retries of one call before the policy stops retrying (attempt counts from 1). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetrySettings: RetrySettings = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * Exponential back-off with "equal jitter": half the step is fixed, half random, so waits grow
 * and still spread out. A provider's own Retry-After is a floor, never shortened.
 */
export function backoffDelay(attempt: number, random: number, settings: RetrySettings = defaultRetrySettings, retryAfterMs = 0): number {
  const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = step / 2 + (step / 2) * Math.min(1, Math.max(0, random));
  return Math.round(Math.max(retryAfterMs, jittered));
}

/**
 * What to do after `error` on the `attempt`-th try of one call. `random` in [0, 1) is passed in
 * (tests pin it).
 */
export function decideAfterError(error: SyncError, attempt: number, random: number, settings: RetrySettings = defaultRetrySettings): SyncDecision {
  const again = attempt < settings.maxAttempts;
  switch (error.code) {
    case 'rate_limited':
      // Out of budget for now: wait and resume; past the attempts, pause the connection rather than
      // fail (the budget comes back on its own; the pacer resumes it).
      return again
        ? { action: 'retry', delayMs: backoffDelay(attempt, random, settings, error.retryAfterMs) }
        : { action: 'pause', scope: 'connection', reason: 'The CRM kept refusing calls for its rate limit' };
    case 'temporarily_unavailable':
      return again
        ? { action: 'retry', delayMs: backoffDelay(attempt, random, settings, error.retryAfterMs) }
        : { action: 'fail', scope: 'run', reason: 'The CRM did not answer after several tries; the next run starts from the last checkpoint' };
    case 'auth_revoked':
      // Never retried: a revoked grant does not come back, and looping would only burn calls.
      return { action: 'pause', scope: 'connection', reason: 'The CRM no longer accepts this connection: reconnect it' };
    case 'permission_missing':
      return { action: 'pause', scope: 'connection', reason: 'The connected CRM user lacks a permission the sync needs' };
    case 'field_missing':
      return { action: 'pause', scope: 'field', reason: 'A mapped field no longer exists in the CRM' };
    case 'validation_rejected':
      return { action: 'fail', scope: 'record', reason: 'The CRM rejected the values' };
    case 'not_found':
      return { action: 'fail', scope: 'record', reason: 'The record no longer exists in the CRM' };
  }
}
