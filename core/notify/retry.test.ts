import { describe, expect, it } from 'vitest';
import { MAIL_MAX_ATTEMPTS, mailRetryDelaySeconds } from './retry.ts';

describe('mail retry delays', () => {
  it.each([
    [1, 0.5, 30],
    [2, 0.5, 60],
    [3, 0.5, 120],
    [8, 0.5, 3600],
    [40, 0.5, 3600],
    [1, 0, 30], // never below half a minute
    [3, 0, 96],
    [3, 0.999, 144],
  ])('after %i failed attempts (random %f): %i s', (attempt, random, seconds) => {
    expect(mailRetryDelaySeconds(attempt, random)).toBe(seconds);
  });

  it('keeps trying for more than a day before giving up', () => {
    let total = 0;
    for (let a = 1; a < MAIL_MAX_ATTEMPTS; a++) total += mailRetryDelaySeconds(a, 0);
    expect(total / 3600).toBeGreaterThan(24);
  });
});
