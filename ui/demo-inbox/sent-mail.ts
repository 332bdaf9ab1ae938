// Mail the rep sends from the demo inbox's compose box: kept for the tab's session (sessionStorage,
// like the sign-in) and merged into the sample mailbox, as a reply in its thread or a new thread.
import { domainOf, isFreeMailDomain } from '../../core/email-address.ts';
import { lastDate, snippetOf, stableHash, type DemoMessage, type DemoThread, type Person, type SentTracking, type ThreadKind } from './demo-thread.ts';
import type { MailboxDirectory } from './directory.ts';

export interface SentRecord {
  /** The thread replied in, or the new thread's id. */
  threadId: string;
  /** Set for a new conversation started from Compose. */
  newThread: { subject: string; kind: ThreadKind; contactEmail: string | null } | null;
  message: DemoMessage;
}

/** What a new conversation with these people is, for the list's data-thread-kind. */
export function threadKindFor(people: Person[], directory: MailboxDirectory): { kind: ThreadKind; contactEmail: string | null } {
  const ownDomain = domainOf(directory.user.email);
  const outside = people.filter((p) => domainOf(p.email) !== ownDomain);
  if (outside.length === 0) return { kind: 'internal', contactEmail: null };
  const known = [...directory.deals.flatMap((d) => d.contacts), ...(directory.soloContact ? [directory.soloContact.contact] : [])];
  const contact = outside.find((p) => known.some((k) => k.email.toLowerCase() === p.email.toLowerCase()));
  if (contact) return { kind: 'known', contactEmail: contact.email };
  return { kind: outside.every((p) => isFreeMailDomain(domainOf(p.email))) ? 'unknown-personal' : 'unknown-company', contactEmail: null };
}

function randomId(): string {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  return [...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface SentMessageInput {
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  /** The text the rep typed. */
  text: string;
  /** What went out (decorated when tracked). */
  html: string;
  date: Date;
  tracking: SentTracking | null;
  trackingNotice: string | null;
}

/** The sent message as the mailbox keeps it, with an RFC 822-style Message-ID (what the email log and tracking use). */
export function sentMessage(input: SentMessageInput): DemoMessage {
  return {
    messageId: `<demo-sent-${randomId()}@mail.${domainOf(input.from.email)}>`,
    from: input.from,
    to: input.to,
    cc: input.cc,
    subject: input.subject,
    date: input.date.toISOString(),
    direction: 'outbound',
    snippet: snippetOf(input.text),
    body: input.text,
    html: input.html,
    ...(input.tracking ? { tracking: input.tracking } : {}),
    ...(input.trackingNotice ? { trackingNotice: input.trackingNotice } : {}),
  };
}

export const newThreadId = (userEmail: string, messageId: string) => `demo-sent-${stableHash(`${userEmail.toLowerCase()}|${messageId}`)}`;

/** The sample mailbox with the sent mail in it, newest conversation first. */
export function withSentMail(threads: DemoThread[], sent: SentRecord[]): DemoThread[] {
  if (sent.length === 0) return threads;
  const byId = new Map(threads.map((t) => [t.threadId, { ...t, messages: [...t.messages] }]));
  for (const record of sent) {
    const existing = byId.get(record.threadId);
    if (existing) {
      if (!existing.messages.some((m) => m.messageId === record.message.messageId)) existing.messages.push(record.message);
    } else if (record.newThread) {
      byId.set(record.threadId, {
        threadId: record.threadId,
        kind: record.newThread.kind,
        template: 'sent',
        subject: record.newThread.subject,
        contactEmail: record.newThread.contactEmail,
        messages: [record.message],
      });
    }
    // A reply to a thread the mailbox no longer has (the CRM's records changed) is dropped.
  }
  return [...byId.values()].sort((a, b) => lastDate(b).localeCompare(lastDate(a)));
}

const sentKey = (email: string) => `inbox-crm-demo:sent:${email.toLowerCase()}`;

export function readSent(storage: Storage, email: string): SentRecord[] {
  try {
    const value = JSON.parse(storage.getItem(sentKey(email)) ?? '[]') as unknown;
    return Array.isArray(value) ? (value as SentRecord[]) : [];
  } catch {
    return [];
  }
}

export function saveSent(storage: Storage, email: string, records: SentRecord[]): void {
  try {
    storage.setItem(sentKey(email), JSON.stringify(records));
  } catch {
    // A full storage only costs the sent mail after a reload.
  }
}

export function clearSent(storage: Storage, email: string): void {
  storage.removeItem(sentKey(email));
}
