// Which activity an email already is: one email is one activity per organization, whichever mailbox
// saw it (two reps, Gmail and Outlook, the API directly). The key is the RFC 822 Message-ID; a
// host's own id (gmail:<hex>) stands in when a host could not read the header, and is kept as an
// alias (email_message_aliases) once the Message-ID is known.
//
// How a log finds its email:
//   1. by any id it names (the Message-ID, the host's id) as an activity's message_id or an alias;
//   2. else, when exactly one side lacks the Message-ID (a Gmail fallback id against an Outlook or
//      API log of the same message, or the reverse), by a strict fingerprint: the same sender,
//      subject (reply/forward prefixes aside), the same set of recipients and a time within five
//      minutes, and only when exactly one activity fits. Two different emails would have to agree on
//      all of that to be taken for one; when in doubt they stay two.
// Concurrent logs of one email meet at transaction-scoped advisory locks on its ids and fingerprint,
// so the second waits for the first and then finds it.
import { and, between, eq, inArray, isNull, sql } from 'drizzle-orm';
import { isRfcMessageId } from '../../../core/mail/message-id.ts';
import { activities, activityLinks, emailMessageAliases, trackedMessages } from '../../../db/schema/index.ts';
import type { Scope } from '../../platform/tenancy/scope.ts';

export interface EmailKey {
  /** What the log names: the Message-ID, or a host id when the host had none. */
  messageId: string;
  hostMessageId: string | null;
  from: string;
  subject: string | null;
  /** to ∪ cc, lower-cased. */
  recipients: string[];
  occurredAt: Date;
}

export interface LoggedEmail {
  id: string;
  messageId: string;
}

const FINGERPRINT_WINDOW_MS = 5 * 60_000;

/** Subject as people see the conversation: reply and forward prefixes (several languages) and spacing aside. */
export function conversationSubject(subject: string | null): string {
  let s = (subject ?? '').trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|wg|sv|vs|antw|tr|rv|r)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').toLowerCase();
}

const idsOf = (key: EmailKey) => [...new Set([key.messageId, ...(key.hostMessageId ? [key.hostMessageId] : [])])];

/** Serializes logs of the same email in this organization until the transaction ends. */
export async function lockEmail(s: Scope, key: EmailKey): Promise<void> {
  const names = [...idsOf(key).map((id) => `id:${id}`), `fp:${key.from}|${conversationSubject(key.subject)}`].sort();
  for (const name of names) await s.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${s.orgId}|email|${name}`}, 0))`);
}

/** The activities the email's ids already name (as message_id or alias), oldest first. */
export async function activitiesByIds(s: Scope, key: EmailKey): Promise<LoggedEmail[]> {
  const ids = idsOf(key);
  const direct = await s.db
    .select({ id: activities.id, messageId: activities.messageId, createdAt: activities.createdAt })
    .from(activities)
    .where(and(inArray(activities.messageId, ids), isNull(activities.deletedAt)));
  const aliased = await s.db
    .select({ id: activities.id, messageId: activities.messageId, createdAt: activities.createdAt })
    .from(emailMessageAliases)
    .innerJoin(activities, eq(activities.id, emailMessageAliases.activityId))
    .where(and(inArray(emailMessageAliases.alias, ids), isNull(activities.deletedAt)));
  const byId = new Map([...direct, ...aliased].map((a) => [a.id, a]));
  return [...byId.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((a) => ({ id: a.id, messageId: a.messageId! }));
}

/**
 * The one activity the same email was logged as under the other kind of id (Message-ID vs a host's
 * own id), recognised by its fingerprint; null when none or more than one fits.
 */
export async function activityByFingerprint(s: Scope, key: EmailKey): Promise<LoggedEmail | null> {
  const wantRfc = !isRfcMessageId(key.messageId); // a host id looks for a Message-ID, and the reverse
  const candidates = await s.db
    .select({ id: activities.id, messageId: activities.messageId, subject: activities.subject, to: activities.toAddresses, cc: activities.ccAddresses })
    .from(activities)
    .where(
      and(
        eq(activities.type, 'email'),
        eq(activities.fromAddress, key.from),
        isNull(activities.deletedAt),
        between(activities.occurredAt, new Date(key.occurredAt.getTime() - FINGERPRINT_WINDOW_MS), new Date(key.occurredAt.getTime() + FINGERPRINT_WINDOW_MS)),
        wantRfc ? sql`${activities.messageId} like '<%'` : sql`${activities.messageId} not like '<%'`,
      ),
    );
  const recipients = [...new Set(key.recipients)].sort().join(',');
  const subject = conversationSubject(key.subject);
  const fits = candidates.filter(
    (c) => conversationSubject(c.subject) === subject && [...new Set([...(c.to ?? []), ...(c.cc ?? [])])].sort().join(',') === recipients && isRfcMessageId(c.messageId ?? '') === wantRfc,
  );
  return fits.length === 1 ? { id: fits[0]!.id, messageId: fits[0]!.messageId! } : null;
}

/** Records `aliases` as other names of the activity (ids it already has, or another activity has, are left alone). */
export async function addAliases(s: Scope, activityId: string, aliases: string[]): Promise<void> {
  const rows = [...new Set(aliases)].map((alias) => ({ orgId: s.orgId, alias, activityId }));
  if (rows.length) await s.db.insert(emailMessageAliases).values(rows).onConflictDoNothing();
}

/** Ties tracked messages reported under any of these ids to the Message-ID and its activity. */
export async function rekeyTrackedMessages(s: Scope, fromIds: string[], messageId: string, activityId: string): Promise<void> {
  const others = fromIds.filter((id) => id !== messageId);
  if (others.length) await s.db.update(trackedMessages).set({ messageId }).where(inArray(trackedMessages.messageId, others));
  await s.db.update(trackedMessages).set({ activityId }).where(and(eq(trackedMessages.messageId, messageId), isNull(trackedMessages.activityId)));
}

/**
 * Folds `duplicate` into `keep`: its links that `keep` lacks, its ids (as aliases), its tracked
 * messages; then deletes it, so nothing of the duplicate is left behind. Returns the deals whose
 * activity lists changed.
 */
export async function mergeInto(s: Scope, keep: LoggedEmail, duplicate: LoggedEmail): Promise<string[]> {
  const [kept, dup] = await Promise.all([linksOf(s, keep.id), linksOf(s, duplicate.id)]);
  const has = new Set(kept.map(linkKey));
  const [row] = await s.db.select({ occurredAt: activities.occurredAt }).from(activities).where(eq(activities.id, keep.id));
  const missing = dup.filter((l) => !has.has(linkKey(l)));
  if (missing.length) {
    await s.db.insert(activityLinks).values(missing.map((l) => ({ orgId: s.orgId, activityId: keep.id, occurredAt: row!.occurredAt, type: 'email' as const, contactId: l.contactId, companyId: l.companyId, dealId: l.dealId })));
  }
  const aliases = await s.db.select({ alias: emailMessageAliases.alias }).from(emailMessageAliases).where(eq(emailMessageAliases.activityId, duplicate.id));
  await s.db.delete(emailMessageAliases).where(eq(emailMessageAliases.activityId, duplicate.id));
  await addAliases(s, keep.id, [duplicate.messageId, ...aliases.map((a) => a.alias)].filter((a) => a !== keep.messageId));
  await s.db.update(trackedMessages).set({ activityId: keep.id }).where(eq(trackedMessages.activityId, duplicate.id));
  await s.db.delete(activities).where(eq(activities.id, duplicate.id));
  return [...new Set(dup.flatMap((l) => (l.dealId ? [l.dealId] : [])))];
}

type LinkRow = { contactId: string | null; companyId: string | null; dealId: string | null };
const linkKey = (l: LinkRow) => `${l.contactId ?? ''}|${l.companyId ?? ''}|${l.dealId ?? ''}`;

export async function linksOf(s: Scope, activityId: string): Promise<LinkRow[]> {
  return s.db
    .select({ contactId: activityLinks.contactId, companyId: activityLinks.companyId, dealId: activityLinks.dealId })
    .from(activityLinks)
    .where(eq(activityLinks.activityId, activityId));
}

/** The activity logged for a message id, under its message_id or as an alias; null when none. */
export async function activityIdOfMessage(s: Scope, messageId: string): Promise<string | null> {
  const [direct] = await s.db.select({ id: activities.id }).from(activities).where(and(eq(activities.messageId, messageId), isNull(activities.deletedAt)));
  if (direct) return direct.id;
  const [aliased] = await s.db
    .select({ id: activities.id })
    .from(emailMessageAliases)
    .innerJoin(activities, eq(activities.id, emailMessageAliases.activityId))
    .where(and(eq(emailMessageAliases.alias, messageId), isNull(activities.deletedAt)));
  return aliased?.id ?? null;
}
