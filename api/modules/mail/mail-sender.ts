// The mail worker: takes due mail from mail_outbox, renders it and hands it to the transport. A
// mail is claimed by pushing its next attempt a lease ahead (FOR UPDATE SKIP LOCKED, so several
// processes share the work); sent, it is marked sent; failed, it waits with back-off
// (core/notify/retry.ts) and is tried again. A process that dies mid-send leaves the mail to be
// retried when the lease ends: delivery is at least once, and nothing queued is lost.
import { sql } from 'drizzle-orm';
import { MAIL_MAX_ATTEMPTS, mailRetryDelaySeconds } from '../../../core/notify/retry.ts';
import type { NotificationKind } from '../../../core/notify/preferences.ts';
import type { MailTemplateName, MailTemplates } from '../../../core/notify/templates.ts';
import { signUnsubscribe } from '../../../core/notify/unsubscribe-token.ts';
import { rowsOf, type Db } from '../../../db/client.ts';
import type { Logger } from '../../log.ts';
import { renderMail } from './render.tsx';
import type { MailTransport } from './transport.ts';

export interface MailSenderOptions {
  db: Db;
  transport: MailTransport;
  /** MAIL_FROM, e.g. `Inbox CRM <crm@example.com>`. */
  from: string;
  publicUrl: string;
  /** Signs unsubscribe links (derived from AUTH_SECRET). */
  unsubscribeSecret: string;
  log: Logger;
  /** How often to look for due mail when not woken. Default 2 s. */
  pollMs?: number;
  /** How long a claimed mail is left alone before another attempt may take it. Default 5 min. */
  leaseSeconds?: number;
  now?: () => Date;
  random?: () => number;
}

interface ClaimedRow {
  id: string;
  org_id: string | null;
  user_id: string | null;
  to_address: string;
  template: string;
  data: Record<string, unknown>;
  kind: string | null;
  attempts: number;
}

/** Where a one-click unsubscribe link points (GET shows a page; POST unsubscribes, RFC 8058). */
export const unsubscribeUrlOf = (publicUrl: string, token: string) => `${publicUrl}/mail/unsubscribe/${token}`;

export class MailSender {
  readonly counters = { sent: 0, failedAttempts: 0, givenUp: 0 };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  private readonly now: () => Date;

  constructor(private readonly options: MailSenderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start() {
    this.stopped = false;
    const loop = async () => {
      await this.runOnce().catch((err: unknown) => this.options.log.error('mail worker pass failed', { error: String(err) }));
      if (!this.stopped) this.timer = setTimeout(loop, this.options.pollMs ?? 2000);
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Sends every due mail now (one pass; overlapping calls share it). Returns how many were sent. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    this.options.transport.close();
  }

  private async pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.claim(10);
      if (batch.length === 0) return sent;
      for (const row of batch) if (await this.sendOne(row)) sent++;
    }
  }

  private async claim(limit: number): Promise<ClaimedRow[]> {
    const now = this.now();
    const lease = new Date(now.getTime() + (this.options.leaseSeconds ?? 300) * 1000);
    return rowsOf<ClaimedRow>(
      await this.options.db.execute(sql`
        update mail_outbox set attempts = attempts + 1, next_attempt_at = ${lease.toISOString()}::timestamptz
        where id in (
          select id from mail_outbox
          where sent_at is null and failed_at is null and next_attempt_at <= ${now.toISOString()}::timestamptz
          order by next_attempt_at limit ${limit} for update skip locked)
        returning id, org_id, user_id, to_address, template, data, kind, attempts`),
    );
  }

  private async sendOne(row: ClaimedRow): Promise<boolean> {
    const { db, publicUrl, unsubscribeSecret, log } = this.options;
    try {
      const unsubscribeUrl =
        row.kind && row.org_id && row.user_id
          ? unsubscribeUrlOf(publicUrl, signUnsubscribe({ orgId: row.org_id, userId: row.user_id, kind: row.kind as NotificationKind }, unsubscribeSecret))
          : null;
      const rendered = renderMail(row.template as MailTemplateName, row.data as unknown as MailTemplates[MailTemplateName], { publicUrl, unsubscribeUrl });
      // RFC 8058: one-click unsubscribe that mail clients can offer next to the sender's name.
      const headers: Record<string, string> = unsubscribeUrl ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {};
      await this.options.transport.send({ id: row.id, from: this.options.from, to: row.to_address, ...rendered, headers });
      await db.execute(sql`update mail_outbox set sent_at = ${this.now().toISOString()}::timestamptz, last_error = null where id = ${row.id}`);
      this.counters.sent++;
      log.info('mail sent', { mailId: row.id, template: row.template, attempt: row.attempts });
      return true;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.counters.failedAttempts++;
      if (row.attempts >= MAIL_MAX_ATTEMPTS) {
        this.counters.givenUp++;
        await db.execute(sql`update mail_outbox set failed_at = ${this.now().toISOString()}::timestamptz, last_error = ${error} where id = ${row.id}`);
        log.error('mail given up', { mailId: row.id, template: row.template, attempts: row.attempts, error });
      } else {
        const retryAt = new Date(this.now().getTime() + mailRetryDelaySeconds(row.attempts, (this.options.random ?? Math.random)()) * 1000);
        await db.execute(sql`update mail_outbox set next_attempt_at = ${retryAt.toISOString()}::timestamptz, last_error = ${error} where id = ${row.id}`);
        log.warn('mail not sent, will retry', { mailId: row.id, template: row.template, attempt: row.attempts, retryAt: retryAt.toISOString(), error });
      }
      return false;
    }
  }
}
