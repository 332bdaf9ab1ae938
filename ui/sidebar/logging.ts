// Which emails of an opened thread are logged to the CRM automatically. Pure: the sidebar passes
// the thread, the addresses of known contacts, the rep's settings and the thread's switch.
import { domainOf, isFreeMailDomain, normalizeEmail } from '../../core/email-address.ts';
import type { EmailLogInput } from '../api-client/sidebar-api.ts';
import type { InboxMessage, InboxThread } from './host.ts';

export interface LoggingSettings {
  /** Domains (example.com) and addresses (a@example.com) whose people never cause a message to be logged. */
  neverLog: string[];
  /** Personal mailboxes (gmail.com, outlook.com, …) never cause logging either. */
  excludePersonalMail: boolean;
}

/** The rep's own company domain (or, on a personal mailbox, their own address) and personal mail. */
export function defaultLoggingSettings(userEmail: string): LoggingSettings {
  const email = normalizeEmail(userEmail) ?? userEmail.toLowerCase();
  const domain = domainOf(email);
  return { neverLog: [isFreeMailDomain(domain) ? email : domain], excludePersonalMail: true };
}

export type SkipReason = 'thread-off' | 'internal-only' | 'automated' | 'no-known-contact' | 'excluded' | 'unreadable';

export type LogVerdict = { log: true; contacts: string[] } | { log: false; reason: SkipReason; detail?: string };

export interface LogDecision {
  message: InboxMessage;
  verdict: LogVerdict;
}

const addressesOf = (message: InboxMessage) =>
  [message.from, ...message.to, ...message.cc].map((p) => normalizeEmail(p.email)).filter((e): e is string => e !== null);

/** Same organization as the rep: same domain, or, on a personal mailbox, the rep's own address. */
export function isColleague(email: string, userEmail: string): boolean {
  const user = normalizeEmail(userEmail) ?? userEmail.toLowerCase();
  const address = normalizeEmail(email);
  if (!address) return false;
  const domain = domainOf(user);
  return isFreeMailDomain(domain) ? address === user : domainOf(address) === domain;
}

/** Everyone on the thread is at the rep's own organization. */
export function isInternalOnly(thread: InboxThread): boolean {
  const all = [...thread.participants.map((p) => p.email), ...thread.messages.flatMap((m) => [m.from, ...m.to, ...m.cc].map((p) => p.email))];
  return all.every((email) => normalizeEmail(email) === null || isColleague(email, thread.userEmail));
}

const automatedSender = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|notifications?|notify|mailer-daemon|postmaster|bounces?)([+-].*)?$/i;

function header(message: InboxMessage, name: string): string | undefined {
  const headers = message.headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Why a message looks like bulk or machine-sent mail, or null when it looks personal. */
export function automatedReason(message: InboxMessage): string | null {
  const from = normalizeEmail(message.from.email);
  const local = from?.slice(0, from.lastIndexOf('@')) ?? '';
  if (automatedSender.test(local)) return `sent from ${from}`;
  if (header(message, 'List-Unsubscribe')?.trim()) return 'has a List-Unsubscribe header';
  if (header(message, 'List-Id')?.trim()) return 'has a List-Id header';
  const precedence = header(message, 'Precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'list', 'junk'].includes(precedence)) return `Precedence: ${precedence}`;
  const autoSubmitted = header(message, 'Auto-Submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  return null;
}

/** Why the messages this address sent in the thread look automated, if they do. */
export function automatedSenderReason(thread: InboxThread, email: string): string | null {
  const address = normalizeEmail(email);
  for (const message of thread.messages) {
    if (normalizeEmail(message.from.email) !== address) continue;
    const reason = automatedReason(message);
    if (reason) return reason;
  }
  return null;
}

export function isExcluded(email: string, settings: LoggingSettings): boolean {
  const address = normalizeEmail(email);
  if (!address) return true;
  const domain = domainOf(address);
  if (settings.excludePersonalMail && isFreeMailDomain(domain)) return true;
  return settings.neverLog.some((entry) => {
    const rule = entry.trim().toLowerCase().replace(/^@/, '');
    return rule.includes('@') ? rule === address : rule === domain || domain.endsWith(`.${rule}`);
  });
}

export interface LoggingInput {
  thread: InboxThread;
  /** Addresses of contacts the CRM knows (including ones the rep is creating right now). */
  knownEmails: Iterable<string>;
  settings: LoggingSettings;
  threadOff: boolean;
}

export function decideLogging({ thread, knownEmails, settings, threadOff }: LoggingInput): LogDecision[] {
  const known = new Set([...knownEmails].map((e) => normalizeEmail(e)).filter((e): e is string => e !== null));
  const internal = isInternalOnly(thread);
  return thread.messages.map((message): LogDecision => {
    if (threadOff) return { message, verdict: { log: false, reason: 'thread-off' } };
    if (internal) return { message, verdict: { log: false, reason: 'internal-only' } };
    if (!message.messageId.trim() || !normalizeEmail(message.from.email)) return { message, verdict: { log: false, reason: 'unreadable' } };
    const automated = automatedReason(message);
    if (automated) return { message, verdict: { log: false, reason: 'automated', detail: automated } };
    const involved = [...new Set(addressesOf(message))].filter((e) => known.has(e));
    if (involved.length === 0) return { message, verdict: { log: false, reason: 'no-known-contact' } };
    const contacts = involved.filter((e) => !isExcluded(e, settings) && !isColleague(e, thread.userEmail));
    if (contacts.length === 0) return { message, verdict: { log: false, reason: 'excluded', detail: involved.join(', ') } };
    return { message, verdict: { log: true, contacts } };
  });
}

/** The POST /api/v1/emails body for a message. */
export function emailLogOf(message: InboxMessage, threadId: string): EmailLogInput & { to: string[]; cc: string[] } {
  const bare = (list: InboxMessage['to']) => list.map((p) => normalizeEmail(p.email)).filter((e): e is string => e !== null).slice(0, 500);
  return {
    messageId: message.messageId.trim(),
    ...(message.hostMessageId ? { hostMessageId: message.hostMessageId } : {}),
    threadId,
    subject: message.subject.slice(0, 1000),
    from: normalizeEmail(message.from.email) ?? message.from.email,
    to: bare(message.to),
    cc: bare(message.cc),
    sentAt: message.date,
    snippet: message.snippet ? message.snippet.slice(0, 2000) : null,
    direction: message.direction,
  };
}

export const skipReasonText: Record<SkipReason, string> = {
  'thread-off': 'logging is off for this thread',
  'internal-only': 'internal thread',
  automated: 'automated or bulk mail',
  'no-known-contact': 'no known contact on it',
  excluded: 'only excluded addresses',
  unreadable: 'no message id or sender',
};
