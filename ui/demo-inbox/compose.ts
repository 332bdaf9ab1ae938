// What the demo inbox's compose box does, outside React: reading the address fields, turning the
// typed text into the HTML body, and sending with tracking when the CRM can register the message
// within a second (otherwise the mail goes out untracked and the rep is told why).
import { normalizeEmail } from '../../core/email-address.ts';
import { isApiError, type TrackedMessageRegistration, type TrackingApi } from '../sidebar/api.ts';
import type { Person } from './mailbox.ts';

/** Sending is never held up longer than this by the CRM. */
export const REGISTER_TIMEOUT_MS = 1000;

/** "Ann Lee <ann@acme.com>, bob@b.com; Carl <carl@c.io>" → people, and what could not be read. */
export function parseRecipients(text: string): { people: Person[]; invalid: string[] } {
  const people: Person[] = [];
  const invalid: string[] = [];
  // Commas and semicolons separate addresses, except inside a quoted display name.
  const parts = text.match(/(?:"[^"]*"|[^,;])+/g) ?? [];
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    const email = normalizeEmail(part);
    if (!email) {
      invalid.push(part);
      continue;
    }
    const angle = part.lastIndexOf('<');
    const name = angle > 0 ? part.slice(0, angle).trim().replace(/^"|"$/g, '') : '';
    if (!people.some((p) => p.email === email)) people.push({ name, email });
  }
  return { people, invalid };
}

export const formatRecipients = (people: Person[]) => people.map((p) => (p.name ? `${p.name} <${p.email}>` : p.email)).join(', ');

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// http(s) URLs as people type them; closing punctuation after a URL is the sentence's, not the URL's.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Plain text to the HTML body: escaped, paragraphs and line breaks kept, http(s) URLs made into links. */
export function textToHtml(text: string): string {
  const linkify = (line: string) => {
    let out = '';
    let last = 0;
    for (const match of line.matchAll(URL_IN_TEXT)) {
      const url = match[0].replace(TRAILING, '');
      const start = match.index;
      out += escapeHtml(line.slice(last, start));
      out += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
      last = start + url.length;
    }
    return out + escapeHtml(line.slice(last));
  };
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim())
    .map((paragraph) => `<p>${paragraph.split('\n').map(linkify).join('<br>')}</p>`)
    .join('\n');
}

export interface SendInput {
  to: Person[];
  cc: Person[];
  subject: string;
  /** The body as the rep wrote it (textToHtml). */
  html: string;
  /** The demo thread replied in, or null for a new conversation. */
  threadId: string | null;
  track: boolean;
  optOutLink: boolean;
}

export interface TrackingOutcome {
  /** What goes out: the decorated body when tracked, else the body as written. */
  html: string;
  /** Set when the message is tracked. */
  registration: (TrackedMessageRegistration & { trackedMessageId: string }) | null;
  /** Said to the rep when they asked for tracking and did not get it. */
  notice: string | null;
}

function failureNotice(err: unknown): string {
  if (!isApiError(err) || err.code === 'OFFLINE') return 'Sent without tracking: the CRM could not be reached.';
  if (err.code === 'UNAUTHENTICATED') return 'Sent without tracking: your CRM session has ended.';
  return `Sent without tracking: the CRM could not register it (${err.message}).`;
}

/**
 * Registers the message for tracking when the rep asked for it, and answers the body to send. Never
 * takes longer than `timeoutMs`: the request is aborted then and, whatever the fetch does with the
 * abort, the answer does not wait for it.
 */
export async function prepareBody(api: Pick<TrackingApi, 'registerTrackedMessage'>, input: SendInput, timeoutMs = REGISTER_TIMEOUT_MS): Promise<TrackingOutcome> {
  if (!input.track) return { html: input.html, registration: null, notice: null };
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tooLate = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error('timeout'));
    }, timeoutMs);
  });
  try {
    const registration = await Promise.race([
      api.registerTrackedMessage(
        {
          to: input.to.map((p) => p.email),
          cc: input.cc.map((p) => p.email),
          bcc: [],
          html: input.html,
          subject: input.subject || null,
          threadId: input.threadId,
          optOutLink: input.optOutLink,
        },
        { signal: controller.signal, timeoutMs },
      ),
      tooLate,
    ]);
    if (!registration.decision.track || !registration.trackedMessageId) {
      // Not tracked (consent, opt-out, tracking off): the body goes out exactly as written.
      return { html: input.html, registration: null, notice: `Sent without tracking: ${registration.decision.explanation}` };
    }
    return { html: registration.html, registration: { ...registration, trackedMessageId: registration.trackedMessageId }, notice: null };
  } catch (err) {
    return { html: input.html, registration: null, notice: failureNotice(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Who a reply goes to: the other side of the last message, and its cc, without the rep. */
export function replyRecipients(last: { from: Person; to: Person[]; cc: Person[] } | undefined, userEmail: string): { to: Person[]; cc: Person[] } {
  if (!last) return { to: [], cc: [] };
  const mine = userEmail.toLowerCase();
  const notMe = (p: Person) => p.email.toLowerCase() !== mine;
  const fromMe = !notMe(last.from);
  const to = fromMe ? last.to.filter(notMe) : [last.from];
  const cc = [...(fromMe ? [] : last.to), ...last.cc].filter((p) => notMe(p) && !to.some((t) => t.email.toLowerCase() === p.email.toLowerCase()));
  return { to, cc };
}

export const replySubject = (subject: string) => (/^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim()}`);
