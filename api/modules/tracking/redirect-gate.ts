// Whether a verified click token may redirect: only for a message its sender reported sent, in an
// organization whose tracked links the operator has not suspended (tracking-protection.service.ts).
//
// This runs on the public click path, before any tenant is known: the signed token names the message,
// and the message's row gives its organization, so the lookup reads tracked_messages and
// tracking_protections as the owner role, by primary key, and names the organization itself. Answers
// are cached per process (a sent message stays sent; a suspension reaches every process within
// `cacheMs`; a message not reported sent yet is asked again after `notSentCacheMs`), so a link clicked
// many times costs one query a minute per process. The pixel never comes here.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../../db/client.ts';

export type RedirectVerdict = 'redirect' | 'not_sent' | 'suspended' | 'unknown';

interface Cached {
  verdict: RedirectVerdict;
  until: number;
}

const MAX_CACHED = 100_000;

export class RedirectGate {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly cacheMs = 30_000,
    private readonly notSentCacheMs = 3_000,
  ) {}

  async verdict(messageId: string): Promise<RedirectVerdict> {
    const now = this.now();
    const cached = this.cache.get(messageId);
    if (cached && cached.until > now) return cached.verdict;
    const [row] = rowsOf<{ sent: boolean; suspended: boolean }>(
      await this.db.execute(sql`
        select m.message_id is not null as sent, p.redirects_suspended_at is not null as suspended
        from tracked_messages m left join tracking_protections p on p.org_id = m.org_id
        where m.id = ${messageId}`),
    );
    const verdict: RedirectVerdict = !row ? 'unknown' : row.suspended ? 'suspended' : row.sent ? 'redirect' : 'not_sent';
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(messageId, { verdict, until: now + (verdict === 'not_sent' ? this.notSentCacheMs : this.cacheMs) });
    return verdict;
  }
}
