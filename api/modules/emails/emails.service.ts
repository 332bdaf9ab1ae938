// Logging an email: one activity per RFC 822 Message-ID per organization, linked to every known
// contact on the message, their companies and their open deals. Unknown addresses create nothing.
//
// Whose deals: the email concerns the deals its people are on, whoever owns them, so it is linked
// to all of them (the owner's risk score hears that the customer wrote, and a rep's activities stay
// visible only to that rep and managers). The answer, though, names only what the caller may see:
// a rep never learns of another rep's deal by logging an email.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { normalizeEmail } from '../../../core/email-address.ts';
import { forbidden } from '../../../core/errors.ts';
import { canReadOwned, canWrite } from '../../../core/roles.ts';
import type { EmailLog, EmailLogResult } from '../../../core/schemas/emails.ts';
import { activities, activityLinks, deals, trackedMessages } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { writeLinks } from '../records/activities.service.ts';
import { contactsByEmails } from '../records/contacts.service.ts';
import { openDealsFor } from '../records/deals.service.ts';
import { dealsChanged } from '../risk/risk.service.ts';

const unique = <T>(items: T[]) => [...new Set(items)];

type Links = Pick<EmailLogResult, 'activityId' | 'contactIds' | 'companyIds' | 'dealIds'>;

export async function logEmail(s: Scope, input: EmailLog): Promise<EmailLogResult> {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot log emails');
  const messageId = input.messageId.trim();

  const existing = await linksOfMessage(s, messageId);
  if (existing) return { logged: false, alreadyLogged: true, ...(await visibleLinks(s, existing)) };

  const from = normalizeEmail(input.from);
  const to = input.to.map(normalizeEmail).filter((e): e is string => e !== null);
  const cc = input.cc.map(normalizeEmail).filter((e): e is string => e !== null);
  const contacts = await contactsByEmails(s, unique([...(from ? [from] : []), ...to, ...cc]));
  if (contacts.length === 0) return { logged: false, alreadyLogged: false, activityId: null, contactIds: [], companyIds: [], dealIds: [] };

  const contactIds = contacts.map((c) => c.contact.id);
  const companyIds = unique(contacts.flatMap((c) => (c.contact.companyId ? [c.contact.companyId] : [])));
  const dealRows = await openDealsFor(s, null, contactIds, []);
  const dealIds = dealRows.map((d) => d.deal.id);
  const occurredAt = new Date(input.sentAt);

  // Concurrent requests for the same message meet at the unique index: one inserts, the others
  // wait for it and then insert nothing.
  const [created] = await s.db
    .insert(activities)
    .values({
      orgId: s.orgId,
      type: 'email',
      subject: input.subject ?? null,
      body: input.snippet ?? null,
      direction: input.direction,
      occurredAt,
      ownerId: s.actor.userId,
      messageId,
      threadId: input.threadId ?? null,
      fromAddress: from ?? input.from,
      toAddresses: to,
      ccAddresses: cc,
    })
    .onConflictDoNothing({ target: [activities.orgId, activities.messageId], where: sqlMessageIdNotNull })
    .returning({ id: activities.id });
  if (!created) {
    const logged = await linksOfMessage(s, messageId);
    return { logged: false, alreadyLogged: true, ...(await visibleLinks(s, logged ?? { activityId: null, contactIds: [], companyIds: [], dealIds: [] })) };
  }
  const links = { contactIds, companyIds, dealIds };
  await writeLinks(s, { id: created.id, occurredAt, type: 'email' }, links);
  // A tracked message reported sent before it was logged: its opens and clicks attach here.
  await s.db.update(trackedMessages).set({ activityId: created.id }).where(and(eq(trackedMessages.messageId, messageId), isNull(trackedMessages.activityId)));
  await dealsChanged(s, dealIds);
  await s.emit({
    type: 'email.logged',
    recordId: created.id,
    data: { messageId, threadId: input.threadId ?? null, subject: input.subject ?? null, direction: input.direction, from: from ?? input.from, occurredAt: occurredAt.toISOString(), ...links },
  });
  return { logged: true, alreadyLogged: false, activityId: created.id, contactIds, companyIds, dealIds: dealRows.filter((d) => canReadOwned(s.actor, d.deal.ownerId)).map((d) => d.deal.id) };
}

const sqlMessageIdNotNull = sql`message_id is not null`;

async function linksOfMessage(s: Scope, messageId: string): Promise<Links | null> {
  const [activity] = await s.db.select({ id: activities.id }).from(activities).where(eq(activities.messageId, messageId));
  if (!activity) return null;
  const links = await s.db.select().from(activityLinks).where(eq(activityLinks.activityId, activity.id));
  return {
    activityId: activity.id,
    contactIds: links.flatMap((l) => (l.contactId ? [l.contactId] : [])),
    companyIds: links.flatMap((l) => (l.companyId ? [l.companyId] : [])),
    dealIds: links.flatMap((l) => (l.dealId ? [l.dealId] : [])),
  };
}

/** The links as the caller may see them: deals of other owners are left out for a rep. */
async function visibleLinks(s: Scope, links: Links): Promise<Links> {
  if (links.dealIds.length === 0) return links;
  const owners = await s.db.select({ id: deals.id, ownerId: deals.ownerId }).from(deals).where(inArray(deals.id, links.dealIds));
  const visible = new Set(owners.filter((d) => canReadOwned(s.actor, d.ownerId)).map((d) => d.id));
  return { ...links, dealIds: links.dealIds.filter((id) => visible.has(id)) };
}
