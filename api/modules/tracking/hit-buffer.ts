// The in-memory buffer between the public pixel/click endpoints and the database: the hot path only
// verifies the token and pushes here, never waiting for a write. A loop, every `flushEveryMs`
// (sooner when `maxBatch` clicks are queued):
// - writes queued clicks unclassified, in batches of one multi-row INSERT;
// - every `writeOpensEveryMs`, writes, classified, the opens held for `openSettleMs` (a sender-view
//   report may trail the sender's own fetch by a second or two): one INSERT and no second write per
//   open, which is most of the traffic;
// - every `settleEveryMs`, classifies the written clicks whose settle window has passed.
//
// Durability: drain() (called on shutdown, before the database closes) writes everything still in
// memory, the held opens unclassified, so a graceful stop loses nothing and the next start settles
// them. A crash loses the clicks of the last flush interval and the opens of the last
// `openSettleMs`.
import type { Db } from '../../../db/client.ts';
import type { NetworkOperator } from '../../../core/tracking/networks.ts';
import type { Logger } from '../../log.ts';
import { safeErrorFields } from '../../platform/http/errors.ts';
import { defaultSettleOptions, settleDueHits, writeHits, writeOpens, type SettleOptions } from './tracking-hits.service.ts';

/** One request to a pixel or click path whose token verified. */
export interface IncomingHit {
  trackedMessageId: string;
  /** From the token: the one recipient, or null for a pixel/links shared by all recipients. */
  recipientId: string | null;
  kind: 'open' | 'click';
  linkIndex: number | null;
  honeypot: boolean;
  /** Epoch ms, from the buffer's clock. */
  at: number;
  method: string;
  /** Kept in memory only: what is written is the agent family (see writeHits). */
  userAgent: string | null;
  network: NetworkOperator | null;
  /** truncateIp of the client address: the full address never leaves the request. */
  ipPrefix: string | null;
}

export interface HitBufferOptions {
  db: Db;
  log: Logger;
  /** The clock hits are stamped with and settling compares against (tests drive it). */
  now?: () => number;
  flushEveryMs?: number;
  settleEveryMs?: number;
  /**
   * Held opens are written at most this often: they wait `openSettleMs` anyway, and each write is a
   * transaction of several statements, so fewer, larger writes leave more of the CPU to requests.
   */
  writeOpensEveryMs?: number;
  /** Clicks per INSERT; this many queued are written without waiting for the interval. */
  maxBatch?: number;
  /** Beyond this many hits in memory (the database is down or far behind), new hits are discarded. */
  maxQueued?: number;
  settle?: Partial<SettleOptions>;
}

export interface HitBufferCounters {
  /** Hits pushed and queued. */
  accepted: number;
  /** Rows inserted into tracking_hits. */
  written: number;
  /** Hits not written on purpose: unknown message, recipient not on the message, opted out. */
  dropped: number;
  /** Hits refused because the queue was full. */
  discarded: number;
  /** Hits classified by the settle passes. */
  settled: number;
  /** Hits in memory now. */
  queued: number;
}

// Opens written per transaction: their counts and effects are applied once per transaction.
const OPENS_PER_WRITE = 5000;

export class HitBuffer {
  readonly now: () => number;
  private readonly db: Db;
  private readonly log: Logger;
  private readonly flushEveryMs: number;
  private readonly settleEveryMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly settleOptions: SettleOptions;
  private clicks: IncomingHit[] = [];
  // In arrival order, hence in time order: the due ones are a prefix.
  private opens: IncomingHit[] = [];
  private readonly counts = { accepted: 0, written: 0, dropped: 0, discarded: 0, settled: 0 };
  private timer: NodeJS.Timeout | null = null;
  // Cycles run one after another; `cycles` counts those queued or running.
  private chain: Promise<void> = Promise.resolve();
  private cycles = 0;
  private lastSettle = 0;
  private lastOpenWrite = 0;
  private readonly writeOpensEveryMs: number;

  constructor(options: HitBufferOptions) {
    this.db = options.db;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.flushEveryMs = options.flushEveryMs ?? 100;
    this.settleEveryMs = options.settleEveryMs ?? 1000;
    this.writeOpensEveryMs = options.writeOpensEveryMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxQueued = options.maxQueued ?? 500_000;
    this.settleOptions = { ...defaultSettleOptions, ...options.settle };
  }

  /** Queues a hit. Synchronous and never touches the database. */
  push(hit: IncomingHit): void {
    if (this.clicks.length + this.opens.length >= this.maxQueued) {
      this.counts.discarded++;
      return;
    }
    this.counts.accepted++;
    if (hit.kind === 'open') {
      this.opens.push(hit);
      return;
    }
    this.clicks.push(hit);
    if (this.clicks.length >= this.maxBatch && this.timer) this.tick();
  }

  get counters(): HitBufferCounters {
    return { ...this.counts, queued: this.clicks.length + this.opens.length };
  }

  /** Starts the periodic loop (the server does; tests call flush() instead). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.flushEveryMs);
    // The loop alone must not keep a process alive.
    this.timer.unref();
  }

  /** Writes the queued clicks and the opens held long enough, and settles what is due, now. */
  flush(): Promise<void> {
    return this.run(true);
  }

  /** Stops the loop and writes every hit in memory; what is left unclassified is settled by the next start. */
  async drain(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.run(true);
    // Opens still held are written unclassified, like clicks; the next start classifies them.
    this.clicks = this.clicks.concat(this.opens);
    this.opens = [];
    await this.run(false);
    const lost = this.clicks.length;
    if (lost > 0) this.log.error('tracking hits could not be written at shutdown', { lost });
  }

  private tick(): void {
    if (this.cycles === 0) void this.run(false);
  }

  private run(settleNow: boolean): Promise<void> {
    this.cycles++;
    const next = this.chain.then(() => this.cycle(settleNow)).finally(() => this.cycles--);
    this.chain = next;
    return next;
  }

  private async cycle(settleNow: boolean): Promise<void> {
    const now = this.now();
    await this.writeClicks();
    if (settleNow || now - this.lastOpenWrite >= this.writeOpensEveryMs) {
      this.lastOpenWrite = now;
      await this.writeOpens(now);
    }
    if (settleNow || now - this.lastSettle >= this.settleEveryMs) {
      this.lastSettle = now;
      await this.settle(now);
    }
  }

  private async writeClicks(): Promise<void> {
    while (this.clicks.length > 0) {
      const batch = this.clicks.splice(0, this.maxBatch);
      try {
        this.tally(batch.length, await writeHits(this.db, batch));
      } catch (err) {
        // Keep them for the next attempt: a database hiccup must not lose hits.
        this.clicks.unshift(...batch);
        this.log.error('tracking hits: write failed, will retry', { ...safeErrorFields(err), queued: this.clicks.length });
        return;
      }
    }
  }

  private async writeOpens(now: number): Promise<void> {
    for (;;) {
      const held = this.opens.findIndex((h) => h.at > now - this.settleOptions.openSettleMs);
      const due = Math.min(held === -1 ? this.opens.length : held, OPENS_PER_WRITE);
      if (due === 0) return;
      const batch = this.opens.splice(0, due);
      try {
        this.tally(batch.length, await writeOpens(this.db, batch, now, this.settleOptions));
      } catch (err) {
        this.opens.unshift(...batch);
        this.log.error('tracking opens: write failed, will retry', { ...safeErrorFields(err), queued: this.opens.length });
        return;
      }
    }
  }

  private tally(sent: number, written: number) {
    this.counts.written += written;
    this.counts.dropped += sent - written;
  }

  private async settle(now: number): Promise<void> {
    try {
      for (;;) {
        const settled = await settleDueHits(this.db, now, this.settleOptions);
        this.counts.settled += settled.classified;
        if (!settled.more) return;
      }
    } catch (err) {
      // The hits stay unclassified in the database; the next pass retries them.
      this.log.error('tracking hits: settle failed, will retry', safeErrorFields(err));
    }
  }
}
