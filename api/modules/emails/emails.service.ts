// Logging an email: one activity per email per organization, whichever mailbox saw it (two reps on a
// thread, Gmail and Outlook, a script calling the API), linked to every known contact on it, their
// companies and their open deals. Unknown addresses create nothing. Which activity an email already
// is, and how an activity first logged under a host's own id takes the RFC 822 Message-ID when it
// arrives, is email-identity.ts.
//
// Whose deals: the email concerns the deals its people are on, whoever owns them, so it is linked
// to all of them (the owner's risk score hears that the customer wrote, and a rep's activities stay
// visible only to that rep and managers). The answer, though, names only what the caller may see:
// a rep never learns of another rep's deal by logging an email.
//
// Logging it again (another rep, another host) adds the links the first log could not make (a
// contact created since, a deal opened since), so the one activity ends up linked to all of them.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { normalizeEmail } from '../../../core/email-address.ts';
import { forbidden } from '../../../core/errors.ts';
import { isRfcMessageId, normalizeMessageId } from '../../../core/mail/message-id.ts';
import { canReadOwned, canWrite } from '../../../core/roles.ts';
import type { EmailLog, EmailLogResult } from '../../../core/schemas/emails.ts';
import { activities, deals } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';
import { writeLinks } from '../records/activities.service.ts';
import { contactsByEmails } from '../records/contacts.service.ts';
import { openDealsFor } from '../records/deals.service.ts';
import { dealsChanged } from '../risk/risk.service.ts';
import { activitiesByIds, activityByFingerprint, addAliases, linksOf, lockEmail, mergeInto, rekeyTrackedMessages, type EmailKey, type LoggedEmail } from './email-identity.ts';

const unique = <T>(items: T[]) => [...new Set(items)];

type Links = Pick<EmailLogResult, 'activityId' | 'contactIds' | 'companyIds' | 'dealIds'>;

/** A Message-ID in its canonical spelling; anything else (a host's own id) as given. */
const canonicalId = (id: string) => normalizeMessageId(id) ?? id.trim();

export async function logEmail(s: Scope, input: EmailLog): Promise<EmailLogResult> {
  if (!canWrite(s.actor)) throw forbidden('Read-only members cannot log emails');
  const messageId = canonicalId(input.messageId);
  const hostId = input.hostMessageId ? canonicalId(input.hostMessageId) : null;
  const from = normalizeEmail(input.from);
  const to = input.to.map(normalizeEmail).filter((e): e is string => e !== null);
  const cc = input.cc.map(normalizeEmail).filter((e): e is string => e !== null);
  const occurredAt = new Date(input.sentAt);
  const key: EmailKey = {
    messageId,
    hostMessageId: hostId && hostId !== messageId ? hostId : null,
    from: from ?? input.from,
    subject: input.subject ?? null,
    recipients: unique([...to, ...cc]),
    occurredAt,
  };

  await lockEmail(s, key);
  const known = await findEmail(s, key);
  const contacts = await contactsByEmails(s, unique([...(from ? [from] : []), ...to, ...cc]));
  const contactIds = contacts.map((c) => c.contact.id);
  const companyIds = unique(contacts.flatMap((c) => (c.contact.companyId ? [c.contact.companyId] : [])));
  const dealIds = contactIds.length ? (await openDealsFor(s, null, contactIds, [])).map((d) => d.deal.id) : [];

  if (known) {
    const changedDeals = await adopt(s, known, key, { to, cc });
    const added = await addMissingLinks(s, known.id, occurredAt, { contactIds, companyIds, dealIds });
    await rekeyTrackedMessages(s, [messageId, ...(key.hostMessageId ? [key.hostMessageId] : [])], known.messageId, known.id);
    await dealsChanged(s, unique([...changedDeals, ...added.dealIds]));
    if (added.contactIds.length + added.companyIds.length + added.dealIds.length) {
      await s.emit({ type: 'activity.updated', recordId: known.id, data: { linksAdded: added, messageId: known.messageId } });
    }
    return { logged: false, alreadyLogged: true, ...(await visibleLinks(s, await currentLinks(s, known.id))) };
  }

  if (contacts.length === 0) return { logged: false, alreadyLogged: false, activityId: null, contactIds: [], companyIds: [], dealIds: [] };

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
      fromAddress: key.from,
      toAddresses: to,
      ccAddresses: cc,
    })
    // The locks above serialize logs of one email; a conflict here is a log under an id no lock covered.
    .onConflictDoNothing({ target: [activities.orgId, activities.messageId], where: sql`message_id is not null` })
    .returning({ id: activities.id });
  if (!created) {
    const again = await findEmail(s, key);
    return { logged: false, alreadyLogged: true, ...(await visibleLinks(s, again ? await currentLinks(s, again.id) : { activityId: null, contactIds: [], companyIds: [], dealIds: [] })) };
  }
  const links = { contactIds, companyIds, dealIds };
  await writeLinks(s, { id: created!.id, occurredAt, type: 'email' }, links);
  if (key.hostMessageId) await addAliases(s, created!.id, [key.hostMessageId]);
  // A tracked message reported sent before it was logged: its opens and clicks attach here.
  await rekeyTrackedMessages(s, [messageId, ...(key.hostMessageId ? [key.hostMessageId] : [])], messageId, created!.id);
  await dealsChanged(s, dealIds);
  await s.emit({
    type: 'email.logged',
    recordId: created!.id,
    data: { messageId, threadId: input.threadId ?? null, subject: input.subject ?? null, direction: input.direction, from: key.from, occurredAt: occurredAt.toISOString(), ...links },
  });
  const visibleDeals = await visibleDealIds(s, dealIds);
  return { logged: true, alreadyLogged: false, activityId: created!.id, contactIds, companyIds, dealIds: visibleDeals };
}

/**
 * The activity this email already is, after folding any duplicates into it: the activities its ids
 * name (two when a host id and the Message-ID were each logged before the two were known to be one
 * email), else the one its fingerprint finds. Null when it was never logged.
 */
async function findEmail(s: Scope, key: EmailKey): Promise<LoggedEmail | null> {
  const found = await activitiesByIds(s, key);
  if (found.length === 0) return activityByFingerprint(s, key);
  // Keep the one holding the Message-ID (else the oldest); the others were the same email under another id.
  const keep = found.find((a) => isRfcMessageId(a.messageId)) ?? found[0]!;
  for (const duplicate of found.filter((a) => a.id !== keep.id)) {
    const dealIds = await mergeInto(s, keep, duplicate);
    await s.emit({ type: 'activity.deleted', recordId: duplicate.id, data: { type: 'email', dealIds, mergedInto: keep.id, messageId: duplicate.messageId } });
  }
  return keep;
}

/**
 * An activity known only by a host's id takes the Message-ID when this log brings it (and the
 * recipients as To and Cc, which the header gives and the fallback did not); every id of this log
 * becomes a name of the activity. Returns deals whose activity changed.
 */
async function adopt(s: Scope, known: LoggedEmail, key: EmailKey, recipients: { to: string[]; cc: string[] }): Promise<string[]> {
  const aliases = [key.messageId, ...(key.hostMessageId ? [key.hostMessageId] : [])];
  if (isRfcMessageId(key.messageId) && !isRfcMessageId(known.messageId)) {
    await s.db.update(activities).set({ messageId: key.messageId, toAddresses: recipients.to, ccAddresses: recipients.cc, updatedAt: s.now() }).where(eq(activities.id, known.id));
    await addAliases(s, known.id, [known.messageId, ...aliases.filter((a) => a !== key.messageId)]);
    known.messageId = key.messageId;
    return (await linksOf(s, known.id)).flatMap((l) => (l.dealId ? [l.dealId] : []));
  }
  await addAliases(s, known.id, aliases.filter((a) => a !== known.messageId));
  return [];
}

/** Adds the links a new log can make that the activity lacks (a contact or deal created since). */
async function addMissingLinks(s: Scope, activityId: string, occurredAt: Date, wanted: Omit<Links, 'activityId'>): Promise<Omit<Links, 'activityId'>> {
  const current = await currentLinks(s, activityId);
  const added = {
    contactIds: wanted.contactIds.filter((id) => !current.contactIds.includes(id)),
    companyIds: wanted.companyIds.filter((id) => !current.companyIds.includes(id)),
    dealIds: wanted.dealIds.filter((id) => !current.dealIds.includes(id)),
  };
  const [row] = await s.db.select({ occurredAt: activities.occurredAt }).from(activities).where(eq(activities.id, activityId));
  await writeLinks(s, { id: activityId, occurredAt: row?.occurredAt ?? occurredAt, type: 'email' }, added);
  return added;
}

async function currentLinks(s: Scope, activityId: string): Promise<Links> {
  const links = await linksOf(s, activityId);
  return {
    activityId,
    contactIds: links.flatMap((l) => (l.contactId ? [l.contactId] : [])),
    companyIds: links.flatMap((l) => (l.companyId ? [l.companyId] : [])),
    dealIds: links.flatMap((l) => (l.dealId ? [l.dealId] : [])),
  };
}

async function visibleDealIds(s: Scope, dealIds: string[]): Promise<string[]> {
  if (dealIds.length === 0) return [];
  const owners = await s.db.select({ id: deals.id, ownerId: deals.ownerId }).from(deals).where(and(inArray(deals.id, dealIds)));
  const visible = new Set(owners.filter((d) => canReadOwned(s.actor, d.ownerId)).map((d) => d.id));
  return dealIds.filter((id) => visible.has(id));
}

/** The links as the caller may see them: deals of other owners are left out for a rep. */
async function visibleLinks(s: Scope, links: Links): Promise<Links> {
  return { ...links, dealIds: await visibleDealIds(s, links.dealIds) };
}
