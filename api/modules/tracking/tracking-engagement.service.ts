// What counted (human) opens and clicks cause, once settled: one timeline activity per message for
// its opens and one per link for its clicks (kept up to date rather than one per hit, so the
// timeline stays readable), one notification to the sender on the first open, and a fresh risk
// score for the deals concerned. Runs inside the settle transaction, as the database owner, so every
// statement names the organization (see tracking-hits.service.ts).
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { activities, activityLinks, contacts, trackedMessages, trackingActivities, trackingCounts, trackingRecipients } from '../../../db/schema/index.ts';
import { writeLinks, type Links } from '../records/activities.service.ts';
import { openDealsFor } from '../records/deals.service.ts';
import { notifyEmailOpened } from '../notifications/notifications.service.ts';
import { recomputeRisk } from '../risk/risk.service.ts';

type MessageRow = typeof trackedMessages.$inferSelect;

export interface CountedMessage {
  message: MessageRow;
  /** The earliest open counted in this pass (time as stored) and why it counted. */
  firstOpen: { at: Date; explanation: string } | null;
  clickedLinks: number[];
  /** The (kind, link, UTC day) groups of this pass's counted hits. */
  engagementDays: { kind: 'open' | 'click'; linkIndex: number; day: string }[];
}

/** `newEngagement`: messages with a counted (kind, link, day) not seen before; their deals are rescored. */
export async function recordEngagement(tx: Tx, counted: CountedMessage[], newEngagement: Set<string>, now: Date) {
  const orgIds = [...new Set(counted.map((c) => c.message.orgId))];
  const ids = counted.map((c) => c.message.id);
  // Serializes settle passes of other replicas on the same messages (one activity per message/link).
  await tx.select({ id: trackedMessages.id }).from(trackedMessages).where(inArray(trackedMessages.id, ids)).for('update');

  const totals = await tx
    .select({
      messageId: trackingCounts.trackedMessageId,
      linkIndex: trackingCounts.linkIndex,
      kind: trackingCounts.kind,
      hits: sql<number>`sum(${trackingCounts.hits})::int`,
      last: sql<Date>`max(${trackingCounts.lastAt})`.mapWith(trackingCounts.lastAt),
    })
    .from(trackingCounts)
    .where(and(inArray(trackingCounts.orgId, orgIds), inArray(trackingCounts.trackedMessageId, ids), eq(trackingCounts.counts, true)))
    .groupBy(trackingCounts.trackedMessageId, trackingCounts.kind, trackingCounts.linkIndex);
  const existing = await tx
    .select()
    .from(trackingActivities)
    .where(and(inArray(trackingActivities.orgId, orgIds), inArray(trackingActivities.trackedMessageId, ids)));

  for (const { message: m, firstOpen, clickedLinks } of counted) {
    const who = await recipientName(tx, m);
    let records: Links | null = null;
    const recordsOnce = async () => (records ??= await recordsOfMessage(tx, m));
    const upsert = async (linkIndex: number, type: 'email_opened' | 'email_clicked', occurredAt: Date, body: string) => {
      const current = existing.find((e) => e.trackedMessageId === m.id && e.linkIndex === linkIndex);
      if (current) {
        await tx.update(activities).set({ body, updatedAt: now }).where(and(eq(activities.orgId, m.orgId), eq(activities.id, current.activityId)));
        return;
      }
      const [created] = await tx
        .insert(activities)
        .values({ orgId: m.orgId, type, subject: m.subject, body, occurredAt, ownerId: m.senderId, threadId: m.threadId })
        .returning({ id: activities.id });
      await writeLinks(tx, m.orgId, { id: created!.id, occurredAt, type }, await recordsOnce());
      await tx.insert(trackingActivities).values({ orgId: m.orgId, trackedMessageId: m.id, linkIndex, activityId: created!.id });
    };
    const total = (kind: 'open' | 'click', linkIndex: number) => totals.find((t) => t.messageId === m.id && t.kind === kind && t.linkIndex === linkIndex);

    if (firstOpen) {
      const [first] = await tx
        .update(trackedMessages)
        .set({ firstHumanOpenAt: firstOpen.at })
        .where(and(eq(trackedMessages.orgId, m.orgId), eq(trackedMessages.id, m.id), isNull(trackedMessages.firstHumanOpenAt)))
        .returning({ id: trackedMessages.id });
      if (first && m.senderId) {
        const subject = m.subject?.trim() || '(no subject)';
        await notifyEmailOpened(tx, m.orgId, m.senderId, {
          title: `${who} opened “${subject}”`,
          body: firstOpen.explanation,
          data: { trackedMessageId: m.id, messageId: m.messageId, threadId: m.threadId, subject: m.subject },
          dedupeKey: `email_opened:${m.id}`,
        });
      }
      const opens = total('open', -1)!;
      await upsert(-1, 'email_opened', m.firstHumanOpenAt ?? firstOpen.at, `${who} opened this email ${times(opens.hits)}; last ${when(opens.last, m.storeExactTime)}.`);
    }
    for (const linkIndex of clickedLinks) {
      const clicks = total('click', linkIndex)!;
      const url = m.links.find((l) => l.index === linkIndex)?.url ?? `link ${linkIndex + 1}`;
      await upsert(linkIndex, 'email_clicked', clicks.last, `${who} clicked ${url} ${times(clicks.hits)}; last ${when(clicks.last, m.storeExactTime)}.`);
    }
  }

  // Counted engagement feeds the risk score of the deals the message's activities are linked to.
  const fresh = counted.filter((c) => newEngagement.has(c.message.id));
  if (fresh.length === 0) return;
  const deals = await tx
    .selectDistinct({ orgId: activityLinks.orgId, dealId: activityLinks.dealId })
    .from(trackingActivities)
    .innerJoin(activityLinks, and(eq(activityLinks.orgId, trackingActivities.orgId), eq(activityLinks.activityId, trackingActivities.activityId)))
    .where(
      and(
        inArray(trackingActivities.orgId, orgIds),
        inArray(trackingActivities.trackedMessageId, fresh.map((c) => c.message.id)),
        sql`${activityLinks.dealId} is not null`,
      ),
    );
  for (const orgId of orgIds) {
    const dealIds = deals.filter((d) => d.orgId === orgId).map((d) => d.dealId!);
    if (dealIds.length) await recomputeRisk(tx, orgId, { dealIds }, { now });
  }
}

/**
 * The records a message's opens and clicks belong to: those of the logged email when there is one
 * (linking it now if it was logged after the send report), else the recipients' contacts, their
 * companies and open deals, as logging the email would have linked them.
 */
async function recordsOfMessage(tx: Tx, m: MessageRow): Promise<Links> {
  let activityId = m.activityId;
  if (!activityId && m.messageId) {
    const [logged] = await tx
      .select({ id: activities.id })
      .from(activities)
      .where(and(eq(activities.orgId, m.orgId), eq(activities.messageId, m.messageId), isNull(activities.deletedAt)));
    if (logged) {
      activityId = logged.id;
      await tx.update(trackedMessages).set({ activityId }).where(and(eq(trackedMessages.orgId, m.orgId), eq(trackedMessages.id, m.id)));
    }
  }
  if (activityId) {
    const links = await tx.select().from(activityLinks).where(and(eq(activityLinks.orgId, m.orgId), eq(activityLinks.activityId, activityId)));
    return {
      contactIds: links.flatMap((l) => (l.contactId ? [l.contactId] : [])),
      companyIds: links.flatMap((l) => (l.companyId ? [l.companyId] : [])),
      dealIds: links.flatMap((l) => (l.dealId ? [l.dealId] : [])),
    };
  }
  const people = await tx
    .select({ id: contacts.id, companyId: contacts.companyId })
    .from(trackingRecipients)
    .innerJoin(contacts, and(eq(contacts.orgId, trackingRecipients.orgId), eq(contacts.id, trackingRecipients.contactId)))
    .where(and(eq(trackingRecipients.orgId, m.orgId), eq(trackingRecipients.trackedMessageId, m.id), isNull(contacts.deletedAt)));
  const contactIds = people.map((p) => p.id);
  return {
    contactIds,
    companyIds: [...new Set(people.flatMap((p) => (p.companyId ? [p.companyId] : [])))],
    dealIds: (await openDealsFor(tx, m.orgId, null, contactIds, [])).map((d) => d.deal.id),
  };
}

/** "Ana Lopez" for a one-recipient message that may name its recipient, else "A recipient". */
async function recipientName(tx: Tx, m: MessageRow): Promise<string> {
  if (!m.storeIdentity || m.recipientCount !== 1 || !m.recipientEmail) return 'A recipient';
  const [contact] = await tx
    .select({ firstName: contacts.firstName, lastName: contacts.lastName })
    .from(trackingRecipients)
    .innerJoin(contacts, and(eq(contacts.orgId, trackingRecipients.orgId), eq(contacts.id, trackingRecipients.contactId)))
    .where(and(eq(trackingRecipients.orgId, m.orgId), eq(trackingRecipients.trackedMessageId, m.id)));
  const name = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
  return name || m.recipientEmail;
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** "at 2026-11-20 14:03 UTC", or "on 2026-11-20" when times are kept to the day. */
function when(at: Date, exact: boolean): string {
  const iso = at.toISOString();
  return exact ? `at ${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : `on ${iso.slice(0, 10)}`;
}
