// What the sidebar reads off the thread the host opened: whom to look up, which messages to ask
// tracking for, and how the mailbox names a person. Pure.
import { normalizeEmail } from '../../core/email-address.ts';
import type { InboxThread, Participant } from './host.ts';
import { isColleague } from './logging.ts';

const everyone = (thread: InboxThread) => [...thread.participants, ...thread.messages.flatMap((m) => [m.from, ...m.to, ...m.cc])];

/** The host's ids of the thread's messages, newest last: what tracked messages are found by (the API takes 100). */
export function messageIdsOf(thread: InboxThread): string[] {
  const ids = thread.messages.map((m) => m.messageId.trim()).filter(Boolean);
  return [...new Set(ids)].slice(-100);
}

/** The thread's addresses outside the rep's organization: what the context lookup is asked about. */
export function externalEmails(thread: InboxThread): string[] {
  const emails = everyone(thread).map((p) => normalizeEmail(p.email)).filter((e): e is string => e !== null && !isColleague(e, thread.userEmail));
  return [...new Set(emails)].slice(0, 50); // the context endpoint takes at most 50
}

/** The display name the mailbox shows for an address, if any. */
export function participantFor(thread: InboxThread, email: string): Participant {
  const named = everyone(thread).find((p) => normalizeEmail(p.email) === email && p.name.trim() && !p.name.includes('@'));
  return named ?? { name: '', email };
}
