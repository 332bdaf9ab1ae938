// What counted (human) opens and clicks cause, once settled, in the organization's scope: one
// timeline activity per message for its opens and one per link for its clicks (kept up to date
// rather than one per hit, so the timeline stays readable), and one domain event per new engagement
// (message, kind, link, UTC day), the same unit risk counts:
//   email.opened  { trackedMessageId, senderId, activityId, dealIds, subject, firstCountedOpen, openedAt,
//                   messageId, threadId, recipientName, explanation }
//   email.clicked { …the same, firstCountedOpen false, linkIndex, url, clickedAt instead of openedAt }
// The sender's notification on the first counted open (notify-first-open) and the rescoring of the
// deals (risk-engagement) are consumers of these events, after the settle transaction commits.
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { EventInput } from '../../../core/events.ts';
import { activities, activityLinks, contacts, trackedMessages, trackingActivities, trackingCounts, trackingRecipients } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { writeLinks, type Links } from '../records/activities.service.ts';
import { openDealsFor } from '../records/deals.service.ts';

type MessageRow = typeof trackedMessages.$inferSelect;

export interface EngagementDay {
  kind: 'open' | 'click';
  linkIndex: number;
  /** UTC day. */
  day: string;
  /** The earliest counted hit of this pass in that group (time as stored), and why it counted. */
  at: Date;
  explanation: string;
  /** No counted hit of this (message, kind, link, day) was stored before this pass. */
  isNew: boolean;
}

export interface CountedMessage {
  message: MessageRow;
  /** The earliest open counted in this pass (time as stored) and why it counted. */
  firstOpen: { at: Date; explanation: string } | null;
  clickedLinks: number[];
  /** The (kind, link, UTC day) groups of this pass's counted hits. */
  engagementDays: EngagementDay[];
}

export async function recordEngagement(s: Scope, counted: CountedMessage[]) {
  const now = s.now();
  const ids = counted.map((c) => c.message.id);
  // Serializes settle passes of other replicas on the same messages (one activity per message/link).
  await s.db.select({ id: trackedMessages.id }).from(trackedMessages).where(inArray(trackedMessages.id, ids)).for('update');

  const totals = await s.db
    .select({
      messageId: trackingCounts.trackedMessageId,
      linkIndex: trackingCounts.linkIndex,
      kind: trackingCounts.kind,
      hits: sql<number>`sum(${trackingCounts.hits})::int`,
      last: sql<Date>`max(${trackingCounts.lastAt})`.mapWith(trackingCounts.lastAt),
    })
    .from(trackingCounts)
    .where(and(inArray(trackingCounts.trackedMessageId, ids), eq(trackingCounts.counts, true)))
    .groupBy(trackingCounts.trackedMessageId, trackingCounts.kind, trackingCounts.linkIndex);
  const existing = await s.db.select().from(trackingActivities).where(inArray(trackingActivities.trackedMessageId, ids));

  const events: EventInput[] = [];
  for (const { message: m, firstOpen, clickedLinks, engagementDays } of counted) {
    const who = await recipientName(s, m);
    let records: Links | null = null;
    const recordsOnce = async () => (records ??= await recordsOfMessage(s, m));
    const activityFor = new Map<number, string>();
    const upsert = async (linkIndex: number, type: 'email_opened' | 'email_clicked', occurredAt: Date, body: string) => {
      const current = existing.find((e) => e.trackedMessageId === m.id && e.linkIndex === linkIndex);
      if (current) {
        await s.db.update(activities).set({ body, updatedAt: now }).where(eq(activities.id, current.activityId));
        activityFor.set(linkIndex, current.activityId);
        return;
      }
      const [created] = await s.db
        .insert(activities)
        .values({ orgId: s.orgId, type, subject: m.subject, body, occurredAt, ownerId: m.senderId, threadId: m.threadId, createdAt: now, updatedAt: now })
        .returning({ id: activities.id });
      await writeLinks(s, { id: created!.id, occurredAt, type }, await recordsOnce());
      await s.db.insert(trackingActivities).values({ orgId: s.orgId, trackedMessageId: m.id, linkIndex, activityId: created!.id });
      activityFor.set(linkIndex, created!.id);
    };
    const total = (kind: 'open' | 'click', linkIndex: number) => totals.find((t) => t.messageId === m.id && t.kind === kind && t.linkIndex === linkIndex);

    let firstCountedOpen = false;
    if (firstOpen) {
      const [first] = await s.db
        .update(trackedMessages)
        .set({ firstHumanOpenAt: firstOpen.at })
        .where(and(eq(trackedMessages.id, m.id), isNull(trackedMessages.firstHumanOpenAt)))
        .returning({ id: trackedMessages.id });
      firstCountedOpen = Boolean(first);
      const opens = total('open', -1)!;
      await upsert(-1, 'email_opened', m.firstHumanOpenAt ?? firstOpen.at, `${who} opened this email ${times(opens.hits)}; last ${when(opens.last, m.storeExactTime)}.`);
    }
    for (const linkIndex of clickedLinks) {
      const clicks = total('click', linkIndex)!;
      await upsert(linkIndex, 'email_clicked', clicks.last, `${who} clicked ${urlOf(m, linkIndex)} ${times(clicks.hits)}; last ${when(clicks.last, m.storeExactTime)}.`);
    }

    const fresh = engagementDays.filter((e) => e.isNew).sort((a, b) => a.at.getTime() - b.at.getTime());
    const firstOpenDay = firstCountedOpen ? fresh.find((e) => e.kind === 'open') : undefined;
    for (const e of fresh) {
      const activityId = activityFor.get(e.kind === 'open' ? -1 : e.linkIndex)!;
      const common = {
        trackedMessageId: m.id,
        senderId: m.senderId,
        activityId,
        dealIds: await dealsOfActivity(s, activityId),
        subject: m.subject,
        firstCountedOpen: e === firstOpenDay,
        messageId: m.messageId,
        threadId: m.threadId,
        recipientName: who,
        explanation: e.explanation,
      };
      events.push(
        e.kind === 'open'
          ? { type: 'email.opened', recordId: m.id, data: { ...common, openedAt: e.at.toISOString() } }
          : { type: 'email.clicked', recordId: m.id, data: { ...common, linkIndex: e.linkIndex, url: urlOf(m, e.linkIndex), clickedAt: e.at.toISOString() } },
      );
    }
  }
  await s.emit(...events);
}

const urlOf = (m: MessageRow, linkIndex: number) => m.links.find((l) => l.index === linkIndex)?.url ?? `link ${linkIndex + 1}`;

/** The deals a timeline activity is linked to: the ones whose risk the engagement feeds. */
async function dealsOfActivity(s: Scope, activityId: string): Promise<string[]> {
  const rows = await s.db
    .selectDistinct({ dealId: activityLinks.dealId })
    .from(activityLinks)
    .where(and(eq(activityLinks.activityId, activityId), isNotNull(activityLinks.dealId)));
  return rows.map((r) => r.dealId!).sort();
}

/**
 * The records a message's opens and clicks belong to: those of the logged email when there is one
 * (linking it now if it was logged after the send report), else the recipients' contacts, their
 * companies and open deals, as logging the email would have linked them.
 */
async function recordsOfMessage(s: Scope, m: MessageRow): Promise<Links> {
  let activityId = m.activityId;
  if (!activityId && m.messageId) {
    const [logged] = await s.db.select({ id: activities.id }).from(activities).where(and(eq(activities.messageId, m.messageId), isNull(activities.deletedAt)));
    if (logged) {
      activityId = logged.id;
      await s.db.update(trackedMessages).set({ activityId }).where(eq(trackedMessages.id, m.id));
    }
  }
  if (activityId) {
    const links = await s.db.select().from(activityLinks).where(eq(activityLinks.activityId, activityId));
    return {
      contactIds: links.flatMap((l) => (l.contactId ? [l.contactId] : [])),
      companyIds: links.flatMap((l) => (l.companyId ? [l.companyId] : [])),
      dealIds: links.flatMap((l) => (l.dealId ? [l.dealId] : [])),
    };
  }
  const people = await s.db
    .select({ id: contacts.id, companyId: contacts.companyId })
    .from(trackingRecipients)
    .innerJoin(contacts, eq(contacts.id, trackingRecipients.contactId))
    .where(and(eq(trackingRecipients.trackedMessageId, m.id), isNull(contacts.deletedAt)));
  const contactIds = people.map((p) => p.id);
  return {
    contactIds,
    companyIds: [...new Set(people.flatMap((p) => (p.companyId ? [p.companyId] : [])))],
    dealIds: (await openDealsFor(s, null, contactIds, [])).map((d) => d.deal.id),
  };
}

/** "Ana Lopez" for a one-recipient message that may name its recipient, else "A recipient". */
async function recipientName(s: Scope, m: MessageRow): Promise<string> {
  if (!m.storeIdentity || m.recipientCount !== 1 || !m.recipientEmail) return 'A recipient';
  const [contact] = await s.db
    .select({ firstName: contacts.firstName, lastName: contacts.lastName })
    .from(trackingRecipients)
    .innerJoin(contacts, eq(contacts.id, trackingRecipients.contactId))
    .where(eq(trackingRecipients.trackedMessageId, m.id));
  const name = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
  return name || m.recipientEmail;
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** "at 2026-11-20 14:03 UTC", or "on 2026-11-20" when times are kept to the day. */
function when(at: Date, exact: boolean): string {
  const iso = at.toISOString();
  return exact ? `at ${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : `on ${iso.slice(0, 10)}`;
}
