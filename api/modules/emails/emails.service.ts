// Logging an email: one activity per RFC 822 Message-ID per organization, linked to every known
// contact on the message, their companies and their open deals. Unknown addresses create nothing.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { normalizeEmail } from '../../../core/email-address.ts';
import { forbidden } from '../../../core/errors.ts';
import { canWrite, type Actor } from '../../../core/roles.ts';
import type { EmailLog, EmailLogResult } from '../../../core/schemas/emails.ts';
import type { Tx } from '../../../db/client.ts';
import { activities, activityLinks, trackedMessages } from '../../../db/schema/index.ts';
import { writeLinks } from '../records/activities.service.ts';
import { contactsByEmails } from '../records/contacts.service.ts';
import { openDealsFor } from '../records/deals.service.ts';
import { dealsChanged } from '../risk/risk.service.ts';

const unique = <T>(items: T[]) => [...new Set(items)];

export async function logEmail(tx: Tx, actor: Actor, input: EmailLog): Promise<EmailLogResult> {
  if (!canWrite(actor)) throw forbidden('Read-only members cannot log emails');
  const messageId = input.messageId.trim();

  const existing = await linksOfMessage(tx, messageId);
  if (existing) return { logged: false, alreadyLogged: true, ...existing };

  const from = normalizeEmail(input.from);
  const to = input.to.map(normalizeEmail).filter((e): e is string => e !== null);
  const cc = input.cc.map(normalizeEmail).filter((e): e is string => e !== null);
  const contacts = await contactsByEmails(tx, actor.orgId, unique([...(from ? [from] : []), ...to, ...cc]));
  if (contacts.length === 0) return { logged: false, alreadyLogged: false, activityId: null, contactIds: [], companyIds: [], dealIds: [] };

  const contactIds = contacts.map((c) => c.contact.id);
  const companyIds = unique(contacts.flatMap((c) => (c.contact.companyId ? [c.contact.companyId] : [])));
  // The email concerns the deals these people are on, whoever owns them.
  const dealIds = (await openDealsFor(tx, actor.orgId, null, contactIds, [])).map((d) => d.deal.id);
  const occurredAt = new Date(input.sentAt);

  // Concurrent requests for the same message meet at the unique index: one inserts, the others
  // wait for it and then insert nothing.
  const [created] = await tx
    .insert(activities)
    .values({
      orgId: actor.orgId,
      type: 'email',
      subject: input.subject ?? null,
      body: input.snippet ?? null,
      direction: input.direction,
      occurredAt,
      ownerId: actor.userId,
      messageId,
      threadId: input.threadId ?? null,
      fromAddress: from ?? input.from,
      toAddresses: to,
      ccAddresses: cc,
    })
    .onConflictDoNothing({ target: [activities.orgId, activities.messageId], where: sqlMessageIdNotNull })
    .returning({ id: activities.id });
  if (!created) {
    const logged = await linksOfMessage(tx, messageId);
    return { logged: false, alreadyLogged: true, ...(logged ?? { activityId: null, contactIds: [], companyIds: [], dealIds: [] }) };
  }
  await writeLinks(tx, actor.orgId, { id: created.id, occurredAt, type: 'email' }, { contactIds, companyIds, dealIds });
  // A tracked message reported sent before it was logged: its opens and clicks attach here.
  await tx
    .update(trackedMessages)
    .set({ activityId: created.id })
    .where(and(eq(trackedMessages.orgId, actor.orgId), eq(trackedMessages.messageId, messageId), isNull(trackedMessages.activityId)));
  await dealsChanged(tx, actor.orgId, dealIds);
  return { logged: true, alreadyLogged: false, activityId: created.id, contactIds, companyIds, dealIds };
}

const sqlMessageIdNotNull = sql`message_id is not null`;

async function linksOfMessage(tx: Tx, messageId: string) {
  const [activity] = await tx.select({ id: activities.id }).from(activities).where(and(eq(activities.messageId, messageId)));
  if (!activity) return null;
  const links = await tx.select().from(activityLinks).where(inArray(activityLinks.activityId, [activity.id]));
  return {
    activityId: activity.id,
    contactIds: links.flatMap((l) => (l.contactId ? [l.contactId] : [])),
    companyIds: links.flatMap((l) => (l.companyId ? [l.companyId] : [])),
    dealIds: links.flatMap((l) => (l.dealId ? [l.dealId] : [])),
  };
}
