// A demo thread and its messages: what the demo inbox shows, and how one is built from a few drafts
// with ids that depend only on the mailbox owner, the template and the person (never on the date or
// the order of threads), so reopening a thread after a reload sends the same ids and the API logs
// each message exactly once. Pure: `now` is passed in.
import type { InboxMessage, InboxThread, Participant } from '../sidebar/host.ts';

export interface Person {
  name: string;
  email: string;
}

/**
 * known: with contacts the CRM has; unknown-personal: a stranger on a free-mail address;
 * unknown-company: strangers at a company the CRM does not have; bulk: a newsletter;
 * internal: only people of the user's own organization.
 */
export type ThreadKind = 'known' | 'unknown-personal' | 'unknown-company' | 'bulk' | 'internal';

export interface DemoMessage extends InboxMessage {
  /** The full text shown in the reading pane (the host only passes the snippet on). */
  body: string;
  /** Messages the rep sent from the compose box: the HTML that went out. */
  html?: string;
  /** …and, when it went out tracked, what registering it answered. */
  tracking?: SentTracking;
  /** …or why it went out untracked although the rep asked for tracking. */
  trackingNotice?: string;
}

/** A tracked sent message: the CRM's id for it and the decorated body, as the recipients got it. */
export interface SentTracking {
  trackedMessageId: string;
  /** The body with the pixel and the rewritten links. */
  html: string;
  pixelUrl: string | null;
  links: { index: number; url: string; trackedUrl: string }[];
}

export interface DemoThread {
  threadId: string;
  kind: ThreadKind;
  /** The template it was made from: proposal, question, follow-up, case-studies, personal, … */
  template: string;
  subject: string;
  /** The CRM contact the thread is about (known threads only). */
  contactEmail: string | null;
  messages: DemoMessage[];
}

/** A short, stable, non-cryptographic hash (cyrb53) in base 36. */
export function stableHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export const snippetOf = (body: string) => {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 140 ? `${text.slice(0, 139).trimEnd()}…` : text;
};

/** One message of a sample thread, before it gets its ids and date. */
export interface MessageDraft {
  from: Person;
  to: Person[];
  cc?: Person[];
  /** How long before `now` it was sent. */
  ago: number;
  body: string;
  headers?: Record<string, string>;
}

export interface ThreadSpec {
  /** The mailbox owner: their messages are outbound, and the ids are theirs. */
  owner: Person;
  now: Date;
  kind: ThreadKind;
  template: string;
  /** What makes this thread one of a kind for this owner (the contact's address, or the template). */
  key: string;
  subject: string;
  contactEmail: string | null;
  drafts: MessageDraft[];
}

export function buildThread({ owner, now, kind, template, key, subject, contactEmail, drafts }: ThreadSpec): DemoThread {
  const mine = owner.email.toLowerCase();
  const id = `${template}-${stableHash(`${mine}|${key}`)}`;
  const messages = drafts.map((d, i): DemoMessage => ({
    messageId: `<demo-${id}-msg-${i + 1}@mail.${domainOf(d.from.email)}>`,
    from: d.from,
    to: d.to,
    cc: d.cc ?? [],
    subject: i === 0 ? subject : `Re: ${subject}`,
    date: new Date(now.getTime() - d.ago).toISOString(),
    direction: d.from.email.toLowerCase() === mine ? 'outbound' : 'inbound',
    snippet: snippetOf(d.body),
    body: d.body,
    ...(d.headers ? { headers: d.headers } : {}),
  }));
  return { threadId: `demo-${id}`, kind, template, subject, contactEmail, messages };
}

export const lastDate = (thread: DemoThread) => thread.messages[thread.messages.length - 1]?.date ?? '';

/** Everyone on the thread, in order of appearance, once. */
function participantsOf(thread: DemoThread): Participant[] {
  const seen = new Map<string, Participant>();
  for (const m of thread.messages) {
    for (const p of [m.from, ...m.to, ...m.cc]) {
      const key = p.email.toLowerCase();
      if (!seen.has(key)) seen.set(key, { name: p.name, email: p.email });
    }
  }
  return [...seen.values()];
}

/** What the host hands the sidebar when the thread is opened. */
export function toInboxThread(thread: DemoThread, userEmail: string): InboxThread {
  return {
    threadId: thread.threadId,
    subject: thread.subject,
    participants: participantsOf(thread),
    messages: thread.messages.map(({ body, html: _html, tracking: _tracking, trackingNotice: _notice, ...message }) => ({ ...message, bodyText: body })),
    userEmail,
  };
}
