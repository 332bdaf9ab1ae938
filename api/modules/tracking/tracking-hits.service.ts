// Writing and classifying tracking hits, for the hit buffer (hit-buffer.ts).
//
// A pixel or click request has no signed-in user and no tenant: the signed token is the authority,
// and it names the message, whose row gives the organization. So each pass starts, as the owner
// role and across organizations, by resolving messages to organizations (and, for the settle pass,
// claiming the due hits with SKIP LOCKED so replicas never classify one hit twice); then it does each
// organization's part in that organization's scope (inTenant, as the system), in the same
// transaction. Once a scope has been entered the transaction runs as app_user, so every
// cross-organization statement comes first.
//
// Opens are classified as they are written (writeOpens), once the buffer has held them for
// `openSettleMs`: a sender-view report may arrive just after the sender's own fetch. Clicks are
// written at once, unclassified, and classified from the database by settleDueHits after the settle
// window, with every click of their message around them: a scanner's burst over several links is
// seen whole even when its requests reached different API replicas, and a restart loses nothing.
// Either way a person's reloads within `repeatWindowMs` count once (core/tracking/repeats.ts).
import { and, asc, between, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { systemActor } from '../../../core/roles.ts';
import {
  classifyHit,
  defaultClassifyOptions,
  settleClicks,
  type Classification,
  type ClassifyOptions,
  type TrackingHit,
} from '../../../core/tracking/classify.ts';
import { truncateToDay } from '../../../core/tracking/consent.ts';
import type { NetworkOperator } from '../../../core/tracking/networks.ts';
import { countRepeatsOnce, defaultRepeatWindowMs, repeatKey } from '../../../core/tracking/repeats.ts';
import { identifyAgent, type AgentFamily, type AgentInfo } from '../../../core/tracking/user-agents.ts';
import { rowsOf, type Db, type Tx } from '../../../db/client.ts';
import { senderViews, trackedMessages, trackingHits, trackingOptOuts, trackingRecipients } from '../../../db/schema/index.ts';
import { inTenant, type Scope } from '../../platform/tenancy/scope.ts';
import type { IncomingHit } from './hit-buffer.ts';
import { recordEngagement, type CountedMessage, type EngagementDay } from './tracking-engagement.service.ts';

export interface SettleOptions extends ClassifyOptions {
  /** Opens wait this long before they are classified, so a late sender-view report is seen. */
  openSettleMs: number;
  /** A counted hit's repeats (same message, recipient, network, kind, link) within this window count once. */
  repeatWindowMs: number;
}

export const defaultSettleOptions: Readonly<SettleOptions> = Object.freeze({ ...defaultClassifyOptions, openSettleMs: 5_000, repeatWindowMs: defaultRepeatWindowMs });

const SETTLE_BATCH = 2000;

// Mail clients and proxies send a handful of distinct agents; identify each string once.
const agents = new Map<string, AgentInfo>();
function agentOf(userAgent: string | null): AgentInfo {
  const key = userAgent ?? '';
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= 1000) agents.clear();
    agent = identifyAgent(userAgent);
    agents.set(key, agent);
  }
  return agent;
}

function rowOf(h: IncomingHit) {
  const agent = agentOf(h.userAgent);
  return {
    m: h.trackedMessageId,
    r: h.recipientId,
    k: h.kind,
    li: h.linkIndex,
    hp: h.honeypot,
    at: new Date(h.at).toISOString(),
    me: h.method.slice(0, 16),
    af: agent.family,
    av: agent.vendor,
    ip: h.ipPrefix,
    nw: h.network,
  };
}

/** A hit with where it came from, as repeats are told apart. */
type SourcedHit = TrackingHit & { source: string | null };
type StoredHit = SourcedHit & { id: number };
type Settled<H extends SourcedHit = SourcedHit> = { hit: H; classification: Classification };
type MessageRow = typeof trackedMessages.$inferSelect;

/**
 * Inserts a batch of hits, unclassified, in one statement (clicks; and opens still held when the
 * process stops, which the next start settles). Hits of unknown messages, of a recipient that is not
 * on the message, or of opted-out recipients (for a shared pixel: any recipient of the message) are
 * dropped in the same statement. Runs as the owner across organizations, resolving each hit's token
 * to its message's organization and naming it in every join. Returns how many rows were written.
 */
export async function writeHits(db: Db, hits: IncomingHit[]): Promise<number> {
  if (hits.length === 0) return 0;
  const [result] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with x as (
        select * from json_to_recordset(${JSON.stringify(hits.map(rowOf))}::json)
          as x(m uuid, r uuid, k text, li int, hp boolean, at timestamptz, me text, af text, av text, ip text, nw text)
      ), allowed as (
        -- Checked once per message and recipient, not once per hit.
        select p.m, p.r, m.org_id, m.store_exact_time
        from (select distinct x.m, x.r from x) p join tracked_messages m on m.id = p.m
        where (p.r is null or exists (select 1 from tracking_recipients r where r.id = p.r and r.org_id = m.org_id and r.tracked_message_id = p.m))
          and not exists (
            select 1 from tracking_recipients r join tracking_opt_outs o on o.org_id = r.org_id and o.email = r.email
            where r.org_id = m.org_id and r.tracked_message_id = p.m and (p.r is null or r.id = p.r))
      ), ins as (
        insert into tracking_hits (org_id, tracked_message_id, recipient_id, kind, link_index, honeypot, at, method, agent_family, agent_vendor, ip_prefix, network, cut_to_day)
        select a.org_id, x.m, x.r, x.k, x.li, x.hp, x.at, x.me, x.af, x.av, x.ip, x.nw, not a.store_exact_time
        from x join allowed a on a.m = x.m and a.r is not distinct from x.r
        returning 1
      )
      select count(*)::int as n from ins`),
  );
  return Number(result?.n ?? 0);
}

/** The organizations' messages these hits name (owner role: the tokens are what name them). */
async function messagesById(tx: Tx, ids: string[]): Promise<Map<string, MessageRow>> {
  if (ids.length === 0) return new Map();
  return new Map((await tx.select().from(trackedMessages).where(inArray(trackedMessages.id, ids))).map((m) => [m.id, m]));
}

const groupByOrg = <T>(items: T[], orgOf: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const org = orgOf(item);
    groups.set(org, [...(groups.get(org) ?? []), item]);
  }
  return groups;
};

/** Each organization's part of a pass, as the system in its scope, in the pass's transaction. */
const inEachOrg = async <T>(tx: Tx, now: number, groups: Map<string, T[]>, work: (s: Scope, items: T[]) => Promise<void>) => {
  for (const [orgId, items] of groups) await inTenant(tx, () => new Date(now), systemActor(orgId), (s) => work(s, items));
};

/**
 * Classifies opens the buffer held for `openSettleMs` and inserts them classified, in one
 * transaction with their counts and effects (see addToCounts). Drops what writeHits drops. Returns
 * how many rows were written.
 */
export async function writeOpens(db: Db, hits: IncomingHit[], now: number, o: SettleOptions): Promise<number> {
  if (hits.length === 0) return 0;
  return db.transaction(async (tx) => {
    const messages = await messagesById(tx, [...new Set(hits.map((h) => h.trackedMessageId))]);
    const known = hits.filter((h) => messages.has(h.trackedMessageId));
    let written = 0;
    await inEachOrg(tx, now, groupByOrg(known, (h) => messages.get(h.trackedMessageId)!.orgId), async (s, orgHits) => {
      written += await writeOrgOpens(s, orgHits, messages, now, o);
    });
    return written;
  });
}

async function writeOrgOpens(s: Scope, hits: IncomingHit[], messages: Map<string, MessageRow>, now: number, o: SettleOptions): Promise<number> {
  const recipients = await s.db
    .select({ id: trackingRecipients.id, messageId: trackingRecipients.trackedMessageId, optedOut: sql<boolean>`${trackingOptOuts.email} is not null` })
    .from(trackingRecipients)
    .leftJoin(trackingOptOuts, eq(trackingOptOuts.email, trackingRecipients.email))
    .where(inArray(trackingRecipients.trackedMessageId, [...new Set(hits.map((h) => h.trackedMessageId))]));
  const kept = hits.filter((h) => {
    const own = recipients.filter((r) => r.messageId === h.trackedMessageId);
    if (h.recipientId === null) return !own.some((r) => r.optedOut);
    const recipient = own.find((r) => r.id === h.recipientId);
    return recipient !== undefined && !recipient.optedOut;
  });
  if (kept.length === 0) return 0;

  const stored: SourcedHit[] = kept.map((h) => ({
    messageId: h.trackedMessageId,
    recipient: h.recipientId,
    kind: h.kind,
    linkIndex: h.linkIndex,
    honeypot: h.honeypot,
    at: h.at,
    method: h.method,
    userAgent: null,
    agent: agentOf(h.userAgent),
    network: h.network,
    source: h.ipPrefix ?? h.network,
  }));
  const contextOf = await contextFor(s, messages, stored, o);
  const classified = stored.map((hit) => ({ hit, classification: classifyHit(hit, contextOf(hit), o) }));
  const settled = countRepeatsOnce(classified, await countedBefore(s, stored, o.repeatWindowMs), o.repeatWindowMs);
  // Exact times while they may still be needed to tell repeats apart; aggregate-mode ones are cut
  // to the day by the settle pass soon after (cut_to_day).
  const rows = kept.map((h, i) => {
    const c = settled[i]!.classification;
    return { ...rowOf(h), cut: !messages.get(h.trackedMessageId)!.storeExactTime, c: c.class, n: c.counts, f: c.confidence, rs: c.reason };
  });
  await s.db.execute(sql`
    insert into tracking_hits (org_id, tracked_message_id, recipient_id, kind, link_index, honeypot, at, method, agent_family, agent_vendor, ip_prefix, network,
                               cut_to_day, class, counts, confidence, reason, classified_at)
    select ${s.orgId}::uuid, x.m, x.r, x.k, x.li, x.hp, x.at, x.me, x.af, x.av, x.ip, x.nw, x.cut, x.c, x.n, x.f, x.rs, ${new Date(now).toISOString()}::timestamptz
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as x(m uuid, r uuid, k text, li int, hp boolean, at timestamptz, me text, af text, av text, ip text, nw text, cut boolean, c text, n boolean, f text, rs text)`);
  await addToCounts(s, settled, messages);
  return kept.length;
}

const toHit = (h: typeof trackingHits.$inferSelect): StoredHit => ({
  id: h.id,
  messageId: h.trackedMessageId,
  recipient: h.recipientId,
  kind: h.kind,
  linkIndex: h.linkIndex,
  honeypot: h.honeypot,
  at: h.at.getTime(),
  method: h.method,
  userAgent: null,
  agent: { family: h.agentFamily as AgentFamily, vendor: h.agentVendor },
  network: h.network as NetworkOperator | null,
  source: h.ipPrefix ?? h.network,
});

/** Raw hits keep exact times in aggregate mode only while they may still be judged against: bursts and repeats. */
const exactTimeKeptMs = (o: SettleOptions) => Math.max(o.settleMs, o.burstWindowMs) + Math.max(2 * o.burstWindowMs, o.repeatWindowMs);

/**
 * Classifies up to one batch of written, unclassified hits whose settle window has passed (clicks,
 * and opens written at a shutdown), in one transaction: the hits' class, the rolled-up counts, and
 * what counted hits cause (timeline activities and their email.opened / email.clicked events). Rows
 * are locked with SKIP LOCKED, so several replicas never classify the same hit twice. `more`:
 * another batch may be due.
 */
export async function settleDueHits(db: Db, now: number, o: SettleOptions): Promise<{ classified: number; more: boolean }> {
  const clickSettleMs = Math.max(o.settleMs, o.burstWindowMs);
  return db.transaction(async (tx) => {
    // Across organizations, as the owner, before any tenant scope is entered (see the top).
    // Aggregate mode: exact times were needed only to classify (send window, sender views, bursts, repeats).
    await tx.execute(sql`
      update tracking_hits set at = date_trunc('day', at, 'UTC'), cut_to_day = false
      where cut_to_day and classified_at is not null and at <= ${new Date(now - exactTimeKeptMs(o)).toISOString()}::timestamptz`);
    const due = await tx
      .select()
      .from(trackingHits)
      .where(
        and(
          isNull(trackingHits.classifiedAt),
          lte(trackingHits.at, new Date(now - o.openSettleMs)),
          or(eq(trackingHits.kind, 'open'), lte(trackingHits.at, new Date(now - clickSettleMs))),
        ),
      )
      .orderBy(asc(trackingHits.at))
      .limit(SETTLE_BATCH)
      .for('update', { skipLocked: true });
    if (due.length > 0) {
      const messages = await messagesById(tx, [...new Set(due.map((h) => h.trackedMessageId))]);
      await inEachOrg(tx, now, groupByOrg(due, (h) => h.orgId), (s, orgDue) => settleOrgHits(s, orgDue.map(toHit), messages, now, o));
    }
    return { classified: due.length, more: due.length === SETTLE_BATCH };
  });
}

async function settleOrgHits(s: Scope, dueHits: StoredHit[], messages: Map<string, MessageRow>, now: number, o: SettleOptions) {
  const contextOf = await contextFor(s, messages, dueHits, o);
  // A click is judged with the other clicks of its message around it (bursts), written or due.
  const dueClicks = dueHits.filter((h) => h.kind === 'click');
  const dueIds = new Set(dueHits.map((h) => h.id));
  let neighbours: StoredHit[] = [];
  if (dueClicks.length > 0) {
    const [from, to] = span(dueClicks, o.burstWindowMs);
    neighbours = (
      await s.db
        .select()
        .from(trackingHits)
        .where(
          and(
            inArray(trackingHits.trackedMessageId, [...new Set(dueClicks.map((h) => h.messageId))]),
            eq(trackingHits.kind, 'click'),
            between(trackingHits.at, from, to),
          ),
        )
    )
      .filter((h) => !dueIds.has(h.id))
      .map(toHit);
  }
  const { final } = settleClicks([...dueHits, ...neighbours], now, contextOf, o);
  const classified = final.filter((f) => dueIds.has(f.hit.id));
  const settled = countRepeatsOnce(classified, await countedBefore(s, classified.map((c) => c.hit), o.repeatWindowMs), o.repeatWindowMs);
  await storeClassifications(s, settled, now);
  await addToCounts(s, settled, messages);
}

const span = (hits: TrackingHit[], margin: number) => {
  const times = hits.map((h) => h.at);
  return [new Date(Math.min(...times) - margin), new Date(Math.max(...times) + margin)] as const;
};

/** What the classifier needs about each hit's message: when it was sent, when its sender looked at it. */
async function contextFor(s: Scope, messages: Map<string, MessageRow>, hits: TrackingHit[], o: SettleOptions) {
  const [from, to] = span(hits, o.senderViewWindowMs);
  const views = await s.db
    .select({ messageId: senderViews.trackedMessageId, at: senderViews.at })
    .from(senderViews)
    .where(and(inArray(senderViews.trackedMessageId, [...new Set(hits.map((h) => h.messageId))]), between(senderViews.at, from, to)));
  return (hit: TrackingHit) => ({
    sentAt: messages.get(hit.messageId)!.sentAt.getTime(),
    senderViewsAt: views.filter((v) => v.messageId === hit.messageId).map((v) => v.at.getTime()),
  });
}

/** Times of hits already stored as counted, per repeat key, around these hits (other batches, other replicas). */
async function countedBefore(s: Scope, hits: SourcedHit[], windowMs: number): Promise<(key: string) => number[]> {
  if (hits.length === 0) return () => [];
  const [from, to] = span(hits, windowMs);
  const rows = await s.db
    .select({
      messageId: trackingHits.trackedMessageId,
      recipient: trackingHits.recipientId,
      kind: trackingHits.kind,
      linkIndex: trackingHits.linkIndex,
      at: trackingHits.at,
      source: sql<string | null>`coalesce(${trackingHits.ipPrefix}, ${trackingHits.network})`,
    })
    .from(trackingHits)
    .where(
      and(
        inArray(trackingHits.trackedMessageId, [...new Set(hits.map((h) => h.messageId))]),
        eq(trackingHits.counts, true),
        gte(trackingHits.at, from),
        lte(trackingHits.at, to),
      ),
    );
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const key = repeatKey({ ...r, at: r.at.getTime() });
    byKey.set(key, [...(byKey.get(key) ?? []), r.at.getTime()]);
  }
  return (key) => byKey.get(key) ?? [];
}

async function storeClassifications(s: Scope, settled: Settled<StoredHit>[], now: number) {
  if (settled.length === 0) return;
  const rows = settled.map(({ hit, classification: c }) => ({ id: hit.id, c: c.class, n: c.counts, f: c.confidence, r: c.reason }));
  await s.db.execute(sql`
    update tracking_hits h set class = x.c, counts = x.n, confidence = x.f, reason = x.r, classified_at = ${new Date(now).toISOString()}::timestamptz
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(id bigint, c text, n boolean, f text, r text)
    where h.org_id = ${s.orgId}::uuid and h.id = x.id`);
}

/**
 * Adds the classified hits to the per-day counts (times cut to the day for messages that may not
 * keep them) and hands the counted ones to recordEngagement, with which (message, kind, link, UTC
 * day) engagements are new: those are the timeline's and risk's engagement events.
 */
async function addToCounts(s: Scope, settled: Settled[], messages: Map<string, MessageRow>) {
  interface Row {
    m: string;
    day: string;
    k: 'open' | 'click';
    li: number;
    c: string;
    n: boolean;
    hits: number;
    first: number;
    last: number;
  }
  const rows = new Map<string, Row>();
  const counted = new Map<string, CountedMessage>();
  for (const { hit, classification } of settled) {
    const message = messages.get(hit.messageId)!;
    const at = message.storeExactTime ? hit.at : truncateToDay(hit.at);
    const day = new Date(hit.at).toISOString().slice(0, 10);
    const li = hit.linkIndex ?? -1;
    const key = [hit.messageId, day, hit.kind, li, classification.class, classification.counts].join('|');
    const row = rows.get(key);
    if (row) {
      row.hits++;
      row.first = Math.min(row.first, at);
      row.last = Math.max(row.last, at);
    } else {
      rows.set(key, { m: hit.messageId, day, k: hit.kind, li, c: classification.class, n: classification.counts, hits: 1, first: at, last: at });
    }
    if (!classification.counts) continue;
    const entry = counted.get(hit.messageId) ?? { message, firstOpen: null, clickedLinks: [], engagementDays: [] };
    if (hit.kind === 'open' && (entry.firstOpen === null || at < entry.firstOpen.at.getTime())) {
      entry.firstOpen = { at: new Date(at), explanation: classification.explanation };
    }
    if (hit.kind === 'click' && !entry.clickedLinks.includes(li)) entry.clickedLinks.push(li);
    const engaged = entry.engagementDays.find((e) => e.kind === hit.kind && e.linkIndex === li && e.day === day);
    if (!engaged) entry.engagementDays.push({ kind: hit.kind, linkIndex: li, day, at: new Date(at), explanation: classification.explanation, isNew: false });
    else if (at < engaged.at.getTime()) Object.assign(engaged, { at: new Date(at), explanation: classification.explanation });
    counted.set(hit.messageId, entry);
  }

  // Before adding: which counted (message, kind, link, day) are new? Those are the engagement events.
  await markNewEngagementDays(s, [...counted.values()]);
  const json = JSON.stringify([...rows.values()].map((r) => ({ ...r, first: new Date(r.first).toISOString(), last: new Date(r.last).toISOString() })));
  await s.db.execute(sql`
    insert into tracking_counts (org_id, tracked_message_id, day, kind, link_index, class, counts, hits, first_at, last_at)
    select ${s.orgId}::uuid, x.m, x.day, x.k, x.li, x.c, x.n, x.hits, x.first, x.last
    from json_to_recordset(${json}::json) as x(m uuid, day date, k text, li int, c text, n boolean, hits int, first timestamptz, last timestamptz)
    on conflict (org_id, tracked_message_id, day, kind, link_index, class, counts) do update set
      hits = tracking_counts.hits + excluded.hits,
      first_at = least(tracking_counts.first_at, excluded.first_at),
      last_at = greatest(tracking_counts.last_at, excluded.last_at)`);
  if (counted.size > 0) await recordEngagement(s, [...counted.values()]);
}

async function markNewEngagementDays(s: Scope, counted: CountedMessage[]) {
  if (counted.length === 0) return;
  const known = rowsOf<{ m: string; k: string; li: number; day: string }>(
    await s.db.execute(sql`
      select tracked_message_id as m, kind as k, link_index as li, day::text as day from tracking_counts
      where org_id = ${s.orgId}::uuid and tracked_message_id in (${sql.join(counted.map((c) => sql`${c.message.id}`), sql`, `)}) and counts`),
  );
  const seen = new Set(known.map((k) => `${k.m}|${k.k}|${k.li}|${k.day}`));
  for (const c of counted) {
    for (const e of c.engagementDays as EngagementDay[]) e.isNew = !seen.has(`${c.message.id}|${e.kind}|${e.linkIndex}|${e.day}`);
  }
}
