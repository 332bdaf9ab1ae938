// Every call a sync makes to a CRM goes through one guard per run: it paces calls within the
// connection's budget (core/sync/rate-budget.ts, fed by the provider's own headers), gives up on a
// call that does not settle in time (jsforce 3.10.16 leaves a promise pending forever when a
// connection is cut mid-body), retries what the policy says to retry (core/sync/retry-policy.ts),
// and counts the calls for the run log.
import { CrmSyncError, type SyncError } from '../../../core/sync/errors.ts';
import { newRateBudget, pace, spend, type RateBudget } from '../../../core/sync/rate-budget.ts';
import { decideAfterError, defaultRetrySettings, type RetrySettings } from '../../../core/sync/retry-policy.ts';

export interface CallGuardOptions {
  /** How long one call may take before it is abandoned as unavailable. */
  timeoutMs: number;
  retry: RetrySettings;
  /** Share of the daily allowance left to the customer's other tools. */
  headroomShare: number;
  parseError: (error: unknown) => SyncError;
  /**
   * Limits of some endpoints on top of the account's (HubSpot search: 5 requests a second, said
   * nowhere in its headers): a call names its lane and is paced within it too.
   */
  lanes?: Record<string, { max: number; intervalMs: number }>;
  /** How much earlier than now rate windows are judged (default 150 ms). */
  windowMarginMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export class CallTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class CallGuard {
  /** Calls made (retries included), for the run log. */
  calls = 0;
  /** Calls that failed, whatever happened next. */
  failedCalls = 0;
  budget: RateBudget;
  private readonly lanes = new Map<string, RateBudget>();
  private readonly options: Required<CallGuardOptions>;

  constructor(options: CallGuardOptions) {
    this.options = { sleep: defaultSleep, random: Math.random, now: Date.now, lanes: {}, windowMarginMs: 150, ...options };
    this.budget = newRateBudget(options.headroomShare);
    for (const [name, burst] of Object.entries(this.options.lanes)) this.lanes.set(name, newRateBudget(0, burst));
  }

  /** What the provider's last answer said about the budget (its parser reads the headers). */
  observe(update: (budget: RateBudget, now: number) => RateBudget) {
    this.budget = update(this.budget, this.options.now());
  }

  async run<T>(call: () => Promise<T>, lane?: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.waitForBudget();
      const laneBudget = lane ? this.lanes.get(lane) : undefined;
      if (lane && laneBudget) {
        for (let step = pace(laneBudget, this.paceAt()); step.kind === 'wait'; step = pace(this.lanes.get(lane)!, this.paceAt())) await this.options.sleep(step.ms);
        this.lanes.set(lane, spend(this.lanes.get(lane)!, this.options.now()));
      }
      this.budget = spend(this.budget, this.options.now());
      this.calls++;
      try {
        return await withTimeout(call(), this.options.timeoutMs);
      } catch (error) {
        this.failedCalls++;
        const parsed = error instanceof CrmSyncError ? error : this.options.parseError(error);
        const decision = decideAfterError(parsed, attempt, this.options.random(), this.options.retry);
        if (decision.action !== 'retry') throw error instanceof CrmSyncError ? error : new CrmSyncError(parsed);
        await this.options.sleep(decision.delayMs);
      }
    }
  }

  /**
   * Windows are judged a little in the past: the provider counts a call when it arrives, later than
   * we sent it, so a window that looks free to us to the millisecond may still be full to it.
   */
  private paceAt() {
    return this.options.now() - this.options.windowMarginMs;
  }

  private async waitForBudget() {
    for (;;) {
      const step = pace(this.budget, this.paceAt());
      if (step.kind === 'go') return;
      if (step.kind === 'pause') {
        throw new CrmSyncError({ code: 'rate_limited', message: `The sync's share of today's API allowance is spent (${step.used} of ${step.allowed} calls); it resumes when the allowance comes back`, providerCode: 'DAILY_SHARE_SPENT' });
      }
      await this.options.sleep(step.ms);
    }
  }
}

export const defaultGuardOptions = { timeoutMs: 30_000, retry: defaultRetrySettings };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(`The CRM did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
