// Rate limits that hold across API processes, counted in Postgres (rate_limits: one row per limited
// key, one atomic upsert per check) with fixed windows aligned on the epoch (core/rate-limits.ts).
//
// - consume(): awaits the shared counter. Strict rules (sign-in, sign-up) claim one unit per check;
//   busy rules (every /api/v1 request of a caller) lease a twentieth of the limit at once and spend
//   it from memory, so most requests make no round trip. A refused key is refused from memory until
//   its window ends: a client hammering a 429 costs the database nothing.
// - budget(): a synchronous variant for the tracking pixel, which must never wait for the database:
//   it answers from the last known shared total plus what this process counted since, and a loop
//   adds this process's counts to the shared rows every `syncEveryMs`. With N processes a network can
//   exceed its budget by what N processes allow in one sync interval.
//
// Keys are SHA-256 of the rule and subject, so no address or email is stored. If the database cannot
// be reached a check lets the request through (and logs): the request itself will fail soon enough.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { grantedUnits, leaseSize, secondsUntil, windowOf, type LimitRule } from '../../../core/rate-limits.ts';
import { rowsOf, type Db } from '../../../db/client.ts';
import type { Logger } from '../../log.ts';
import { safeErrorFields } from './errors.ts';

export type { LimitRule } from '../../../core/rate-limits.ts';

export interface LimitDecision {
  allowed: boolean;
  /** When refused: seconds until the window ends. */
  retryAfterSeconds: number;
}

interface Lease {
  windowStart: number;
  /** Units claimed in the shared counter and not yet spent by this process. */
  available: number;
  /** The key went over its limit: refused from memory until the window ends. */
  refusedUntil: number;
}

const SWEEP_EVERY_MS = 10 * 60_000;
// Memory bounds: past this many keys, those of finished windows are forgotten.
const MAX_LOCAL_KEYS = 50_000;
// Keys written back per sync statement.
const MAX_SYNC_KEYS = 5_000;

export interface RateLimiterOptions {
  log: Logger;
  /** The clock windows are cut from (tests drive it). */
  now?: () => number;
}

export class RateLimiter {
  readonly now: () => number;
  private readonly leases = new Map<string, Lease>();
  private readonly budgets: SharedBudget[] = [];
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: RateLimiterOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Counts one request of `subject` under `rule`; `lease` for rules checked on every request. */
  async consume(rule: LimitRule, subject: string, options: { lease?: boolean } = {}): Promise<LimitDecision> {
    if (rule.limit <= 0) return { allowed: true, retryAfterSeconds: 0 };
    this.startSweeping();
    const now = this.now();
    const window = windowOf(now, rule.windowMs);
    const key = limitKey(rule, subject);
    let lease = this.leases.get(key);
    if (!lease || lease.windowStart !== window.start) {
      if (this.leases.size >= MAX_LOCAL_KEYS) this.forgetFinished(now);
      lease = { windowStart: window.start, available: 0, refusedUntil: 0 };
      this.leases.set(key, lease);
    }
    if (lease.refusedUntil > now) return { allowed: false, retryAfterSeconds: secondsUntil(now, lease.refusedUntil) };
    if (lease.available > 0) {
      lease.available--;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    const claim = leaseSize(rule.limit, options.lease ?? false);
    let total: number;
    try {
      total = await addToCounter(this.db, key, window.start, rule.windowMs, claim);
    } catch (err) {
      this.options.log.error('rate limit: the shared counter could not be read; request allowed', safeErrorFields(err));
      return { allowed: true, retryAfterSeconds: 0 };
    }
    const granted = grantedUnits(rule.limit, claim, total);
    if (granted === 0) {
      lease.refusedUntil = window.end;
      return { allowed: false, retryAfterSeconds: secondsUntil(now, window.end) };
    }
    lease.available += granted - 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** A synchronous, never-waiting budget for one rule (see SharedBudget). */
  budget(rule: LimitRule, syncEveryMs = 1000): SharedBudget {
    const budget = new SharedBudget(this.db, rule, this.now, this.options.log, syncEveryMs);
    this.budgets.push(budget);
    return budget;
  }

  /** Writes what budgets counted since their last sync (the server calls it on shutdown; tests to sync now). */
  async flush(): Promise<void> {
    for (const budget of this.budgets) await budget.sync();
  }

  /** Deletes counters of windows long past. Runs every ten minutes while the limiter is in use. */
  async sweep(): Promise<void> {
    await this.db.execute(sql`delete from rate_limits where expires_at < ${new Date(this.now()).toISOString()}::timestamptz`);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const budget of this.budgets) budget.stop();
    await this.flush().catch(() => undefined);
  }

  private startSweeping() {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      this.sweep().catch((err: unknown) => this.options.log.warn('rate limit: sweep failed', safeErrorFields(err)));
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  private forgetFinished(now: number) {
    for (const [key, lease] of this.leases) if (lease.refusedUntil <= now && lease.available === 0) this.leases.delete(key);
  }
}

interface BudgetEntry {
  windowStart: number;
  /** The shared total as last read back (every process's counts). */
  shared: number;
  /** Counted here since the last sync. */
  pending: number;
}

/**
 * A per-process view of a shared counter, for a hot path that must not wait: `allow()` decides from
 * memory; after a request, within `syncEveryMs`, one statement adds this process's pending counts to
 * the shared rows and reads back the totals of every key it saw in the current window.
 */
export class SharedBudget {
  private entries = new Map<string, BudgetEntry>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    readonly rule: LimitRule,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly syncEveryMs: number,
  ) {}

  /** Counts one request of `subject`; false when its network spent the budget of this window. Synchronous. */
  allow(subject: string): boolean {
    if (this.rule.limit <= 0) return true;
    const now = this.now();
    const windowStart = windowOf(now, this.rule.windowMs).start;
    const key = limitKey(this.rule, subject);
    let entry = this.entries.get(key);
    if (!entry || entry.windowStart !== windowStart) {
      if (this.entries.size >= MAX_LOCAL_KEYS) this.forgetFinished(windowStart);
      entry = { windowStart, shared: 0, pending: 0 };
      this.entries.set(key, entry);
    }
    if (entry.shared + entry.pending >= this.rule.limit) return false;
    entry.pending++;
    this.schedule();
    return true;
  }

  /** Seconds until the current window ends: the Retry-After of a refusal. */
  retryAfterSeconds(): number {
    const now = this.now();
    return secondsUntil(now, windowOf(now, this.rule.windowMs).end);
  }

  /** Adds pending counts to the shared rows in one statement and reads the totals back. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => (this.syncing = null));
    return this.syncing;
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sync();
    }, this.syncEveryMs);
    this.timer.unref();
  }

  private async syncOnce() {
    // Every key of the current window, also those with nothing new here: reading their totals is
    // how this process learns what the others counted.
    const windowStart = windowOf(this.now(), this.rule.windowMs).start;
    const batch = [...this.entries]
      .filter(([, e]) => e.pending > 0 || e.windowStart === windowStart)
      .slice(0, MAX_SYNC_KEYS)
      .map(([key, e]) => ({ key, entry: e, sent: e.pending }));
    if (batch.length === 0) return;
    for (const b of batch) b.entry.pending -= b.sent;
    try {
      const totals = await addToCounters(
        this.db,
        batch.map((b) => ({ key: b.key, windowStart: b.entry.windowStart, count: b.sent })),
        this.rule.windowMs,
      );
      for (const b of batch) {
        const total = totals.get(b.key);
        if (total && total.windowStart === b.entry.windowStart) b.entry.shared = total.count;
      }
    } catch (err) {
      // Put the counts back for the next attempt; meanwhile this process still counts locally.
      for (const b of batch) b.entry.pending += b.sent;
      this.log.error('rate limit: could not sync a shared budget', safeErrorFields(err));
      this.schedule();
    }
  }

  private forgetFinished(windowStart: number) {
    for (const [key, entry] of this.entries) if (entry.windowStart !== windowStart && entry.pending === 0) this.entries.delete(key);
  }
}

const limitKey = (rule: LimitRule, subject: string) => createHash('sha256').update(`${rule.name}\u0000${subject}`).digest('base64url');

// A counter of an older window is replaced by the new window's; a late writer from an older window
// (a process whose clock lags) does not reset a newer one.
const UPSERT = sql`
  on conflict (key) do update set
    count = case when r.window_start = excluded.window_start then r.count + excluded.count
                 when r.window_start > excluded.window_start then r.count
                 else excluded.count end,
    window_start = greatest(r.window_start, excluded.window_start),
    expires_at = greatest(r.expires_at, excluded.expires_at)`;

async function addToCounter(db: Db, key: string, windowStart: number, windowMs: number, count: number): Promise<number> {
  const [row] = rowsOf<{ count: number }>(
    await db.execute(sql`
      insert into rate_limits as r (key, window_start, count, expires_at)
      values (${key}, ${new Date(windowStart).toISOString()}::timestamptz, ${count}, ${new Date(windowStart + 2 * windowMs).toISOString()}::timestamptz)
      ${UPSERT}
      returning count`),
  );
  return Number(row?.count ?? count);
}

async function addToCounters(db: Db, rows: { key: string; windowStart: number; count: number }[], windowMs: number) {
  const json = JSON.stringify(rows.map((r) => ({ k: r.key, w: new Date(r.windowStart).toISOString(), n: r.count, e: new Date(r.windowStart + 2 * windowMs).toISOString() })));
  const result = rowsOf<{ key: string; count: number; window_start: string | Date }>(
    await db.execute(sql`
      insert into rate_limits as r (key, window_start, count, expires_at)
      select x.k, x.w, x.n, x.e from json_to_recordset(${json}::json) as x(k text, w timestamptz, n int, e timestamptz)
      ${UPSERT}
      returning key, count, window_start`),
  );
  return new Map(result.map((r) => [r.key, { count: Number(r.count), windowStart: new Date(r.window_start).getTime() }]));
}
