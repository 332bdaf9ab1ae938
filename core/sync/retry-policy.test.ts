import { describe, expect, it } from 'vitest';
import type { SyncError, SyncErrorCode } from './errors.ts';
import { backoffDelay, decideAfterError, type SyncDecision } from './retry-policy.ts';

const err = (code: SyncErrorCode, extra: Partial<SyncError> = {}): SyncError => ({ code, message: code, ...extra });
const settings = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 };

describe('decideAfterError', () => {
  it.each<[string, SyncError, number, number, SyncDecision]>([
    ['rate limited, first try: back off with jitter (random 0 → half the step)', err('rate_limited'), 1, 0, { action: 'retry', delayMs: 500 }],
    ['rate limited, second try, random 1 → the full doubled step', err('rate_limited'), 2, 1, { action: 'retry', delayMs: 2000 }],
    ['rate limited with Retry-After longer than the step: wait what the CRM asked', err('rate_limited', { retryAfterMs: 10_000 }), 1, 0.5, { action: 'retry', delayMs: 10_000 }],
    ['rate limited past the attempts: pause the connection, never fail', err('rate_limited'), 3, 0, { action: 'pause', scope: 'connection', reason: expect.any(String) }],
    ['unavailable: retry', err('temporarily_unavailable'), 1, 0.5, { action: 'retry', delayMs: 750 }],
    ['unavailable past the attempts: fail the run (the next one resumes)', err('temporarily_unavailable'), 3, 0, { action: 'fail', scope: 'run', reason: expect.any(String) }],
    ['auth revoked: pause at once, never retry', err('auth_revoked'), 1, 0, { action: 'pause', scope: 'connection', reason: expect.stringMatching(/reconnect/) }],
    ['permission missing: pause the connection', err('permission_missing'), 1, 0, { action: 'pause', scope: 'connection', reason: expect.any(String) }],
    ['field missing: pause that field only', err('field_missing', { fields: ['Industry'] }), 1, 0, { action: 'pause', scope: 'field', reason: expect.any(String) }],
    ['validation rejected: fail that record, show it', err('validation_rejected'), 1, 0, { action: 'fail', scope: 'record', reason: expect.any(String) }],
    ['not found: fail that record', err('not_found'), 1, 0, { action: 'fail', scope: 'record', reason: expect.any(String) }],
  ])('%s', (_label, error, attempt, random, decision) => {
    expect(decideAfterError(error, attempt, random, settings)).toEqual(decision);
  });
});

describe('backoffDelay', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1000],
    [3, 0.5, 3000],
    // Capped at maxDelayMs: the step stops growing.
    [10, 1, 10_000],
    [10, 0, 5000],
  ])('attempt %i, random %d → %i ms', (attempt, random, delay) => {
    expect(backoffDelay(attempt, random, settings)).toBe(delay);
  });
});
