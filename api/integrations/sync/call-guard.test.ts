import { describe, expect, it } from 'vitest';
import { CrmSyncError } from '../../../core/sync/errors.ts';
import { observeSalesforce } from '../../../core/sync/rate-budget.ts';
import { parseSalesforceError } from '../salesforce/errors.ts';
import { CallGuard } from './call-guard.ts';

/** A guard on a fake clock: sleeping moves the clock, so pacing is observable without waiting. */
function fakeGuard(options: Partial<ConstructorParameters<typeof CallGuard>[0]> = {}) {
  let now = 0;
  const waits: number[] = [];
  const guard = new CallGuard({
    timeoutMs: 50,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    headroomShare: 0.2,
    parseError: parseSalesforceError,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random: () => 0,
    now: () => now,
    windowMarginMs: 0,
    ...options,
  });
  return { guard, waits, at: () => now };
}

const apiError = (errorCode: string) => Object.assign(new Error(errorCode), { name: errorCode, errorCode });

describe('CallGuard', () => {
  it('retries what the policy retries, with its back-off, and counts every call', async () => {
    const { guard, waits } = fakeGuard();
    let n = 0;
    const result = await guard.run(async () => {
      if (++n < 3) throw apiError('SERVER_UNAVAILABLE');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(waits).toEqual([50, 100]);
    expect({ calls: guard.calls, failed: guard.failedCalls }).toEqual({ calls: 3, failed: 2 });
  });

  it('gives up on a call that never settles (a connection cut mid-body) and tries again', async () => {
    const { guard } = fakeGuard();
    let n = 0;
    const result = await guard.run(() => (++n === 1 ? new Promise<string>(() => {}) : Promise.resolve('second')));
    expect(result).toBe('second');
    expect(guard.failedCalls).toBe(1);
  });

  it('does not retry a revoked grant', async () => {
    const { guard } = fakeGuard();
    await expect(guard.run(() => Promise.reject(apiError('INVALID_SESSION_ID')))).rejects.toMatchObject({ code: 'auth_revoked' });
    expect(guard.calls).toBe(1);
  });

  it('stops before the day\'s share is spent, leaving the headroom', async () => {
    const { guard } = fakeGuard();
    guard.observe((b, now) => observeSalesforce(b, 'api-usage=800/1000', now));
    const error = await guard.run(() => Promise.resolve('never')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmSyncError);
    expect(error).toMatchObject({ code: 'rate_limited', providerCode: 'DAILY_SHARE_SPENT' });
    expect(guard.calls).toBe(0);
  });

  it('paces a lane within its own limit (HubSpot search: 5 a second)', async () => {
    const { guard, at } = fakeGuard({ lanes: { search: { max: 5, intervalMs: 1000 } } });
    for (let i = 0; i < 12; i++) await guard.run(() => Promise.resolve(i), 'search');
    // 12 calls at 5 a second: the 6th waits for the first second to pass, the 11th for the second.
    expect(at()).toBe(2000);
    for (let i = 0; i < 20; i++) await guard.run(() => Promise.resolve(i));
    expect(at()).toBe(2000);
  });

  it('judges windows a margin in the past, since the provider counts calls on arrival', async () => {
    const { guard, at } = fakeGuard({ lanes: { search: { max: 5, intervalMs: 1000 } }, windowMarginMs: 100 });
    for (let i = 0; i < 6; i++) await guard.run(() => Promise.resolve(i), 'search');
    expect(at()).toBe(1100);
  });
});
