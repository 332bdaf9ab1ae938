// Message ids as the email log keys them. An RFC 822 (5322) Message-ID, `<left@right>`, is the same
// string in every mailbox that holds the message (the sender's Sent copy, each recipient's copy, in
// Gmail and in Outlook alike), so it is what makes one email one activity across hosts and reps. A
// host's own id (`gmail:<hex>`) is only a fallback for when a host truly cannot read the header:
// it names one mailbox's copy, and is reconciled with the RFC id once that is known
// (api/modules/emails/emails.service.ts).

/** `<left@right>` with no spaces or further angle brackets: what a Message-ID header holds. */
const RFC_MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

/**
 * The Message-ID in its canonical spelling, or null when `raw` is not one. Accepts what headers and
 * host APIs give: surrounding whitespace, folded spaces, a missing pair of angle brackets, a trailing
 * comment, HTML-escaped brackets (Gmail's "Show original" page). Case is kept: the left part is
 * case-sensitive, and every copy of a message carries the same spelling anyway.
 */
export function normalizeMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let value = raw.replace(/&lt;/gi, '<').replace(/&gt;/gi, '>').replace(/&amp;/gi, '&').trim();
  value = value.replace(/\s*\([^()]*\)\s*$/, ''); // a trailing (comment)
  const bracketed = /<([^<>]*)>/.exec(value);
  const inner = (bracketed ? bracketed[1]! : value).replace(/\s+/g, '');
  const id = `<${inner}>`;
  return RFC_MESSAGE_ID.test(id) ? id : null;
}

export const isRfcMessageId = (id: string): boolean => RFC_MESSAGE_ID.test(id);

/** The email log's key for a message a Gmail mailbox shows, when its Message-ID could not be read. */
export const gmailHostMessageId = (gmailId: string): string => `gmail:${gmailId}`;

/**
 * What Outlook reports for a tracked message when it is sent: Outlook knows no Message-ID in compose
 * mode, so the tracked message is named after itself until the sender's Sent copy is seen.
 */
export const outlookSentPlaceholderId = (trackedMessageId: string): string => `outlook-sent:${trackedMessageId}`;
