import { describe, expect, it } from 'vitest';
import { nextAttemptAt, outcomeOfStatus, RETRY_WINDOW_MS, retryDelayMs } from './retry.ts';

describe('retryDelayMs', () => {
  it.each([
    [1, 0.5, 5_000],
    [2, 0.5, 10_000],
    [3, 0.5, 20_000],
    [10, 0.5, 2_560_000],
    [13, 0.5, 20_480_000],
    [14, 0.5, 6 * 3600_000], // capped at six hours
    [40, 0.5, 6 * 3600_000],
    [1, 0, 4_000], // jitter: −20 %
    [1, 1, 6_000], // +20 %
  ])('after %i failed attempts (random %f): %i ms', (attempt, random, expected) => {
    expect(retryDelayMs(attempt, random)).toBe(expected);
  });
});

describe('nextAttemptAt', () => {
  const first = new Date('2026-01-01T00:00:00Z');
  it('schedules retries for about three days, then gives up', () => {
    let now = first;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttemptAt(first, attempts, now, 0.5);
      if (!next) break;
      now = next;
    }
    const lastAttemptAfterMs = now.getTime() - first.getTime();
    expect(attempts).toBeGreaterThan(15);
    expect(lastAttemptAfterMs).toBeGreaterThan(RETRY_WINDOW_MS - 6 * 3600_000);
    expect(lastAttemptAfterMs).toBeLessThanOrEqual(RETRY_WINDOW_MS);
  });
  it.each([
    [new Date(first.getTime() + 1000), 1, new Date(first.getTime() + 6000)],
    [new Date(first.getTime() + RETRY_WINDOW_MS - 1000), 20, null],
  ])('at %s after %i attempts → %s', (now, attempts, expected) => {
    expect(nextAttemptAt(first, attempts, now, 0.5)).toEqual(expected);
  });
});

describe('outcomeOfStatus', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [301, 'retry'],
    [400, 'retry'],
    [410, 'gone'],
    [429, 'retry'],
    [500, 'retry'],
    [null, 'retry'],
  ] as const)('%s → %s', (status, outcome) => {
    expect(outcomeOfStatus(status)).toBe(outcome);
  });
});
