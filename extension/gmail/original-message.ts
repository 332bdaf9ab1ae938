// The RFC 822 headers of a Gmail message, read from Gmail's own "Show original" page. InboxSDK gives
// no Message-ID, no To/Cc split and no List-*/Precedence headers (InboxSDK issues #1009, #1222), but
// InboxSDK itself reads the Message-ID this way (driver-common/getOriginalMessagePage.ts): a
// same-origin request from the content script to
//   https://mail.google.com/mail/u/<N>/?ik=<ik>&view=om&permmsgid=msg-f:<decimal id>
// whose answer holds the raw message, HTML-escaped. Only the header block is parsed.
//
// Care taken: the account path (/mail/u/N, or a delegated /mail/b/<id>/u/N) comes from the page's
// own address, so the request goes to the mailbox on screen; answers are cached per message and the
// requests spaced out (InboxSDK limits itself to about 7 a second); a login page, an error or a page
// without a Message-ID gives null, and the caller falls back to Gmail's own id.
// Not verified against live Gmail here (no account offline): the page's layout is undocumented.
import { readMessageHeaders, type MailAddress } from '../../core/mail/headers.ts';

export interface OriginalHeaders {
  /** The RFC 822 Message-ID, canonical. */
  messageId: string;
  to: MailAddress[];
  cc: MailAddress[];
  /** List-Unsubscribe, List-Id, Precedence, Auto-Submitted, when present. */
  bulk: Record<string, string>;
}

/** The account part of Gmail's path: /mail/u/0, /mail/b/<delegate>/u/1, … (default /mail/u/0). */
export function accountPathOf(pathname: string): string {
  return /^\/mail\/(?:b\/[^/]+\/)?u\/\d+/.exec(pathname)?.[0] ?? '/mail/u/0';
}

/** "Show original" for a message id as InboxSDK gives it (legacy hex, or msg-f:/msg-a: decimal). */
export function originalMessageUrl(origin: string, pathname: string, gmailId: string, ik: string | null): string | null {
  let permmsgid: string;
  if (/^msg-[af]:r?-?\d{5,25}$/.test(gmailId)) permmsgid = gmailId;
  else if (/^[0-9a-f]{12,16}$/i.test(gmailId)) permmsgid = `msg-f:${BigInt(`0x${gmailId}`).toString(10)}`;
  else return null;
  const params = new URLSearchParams({ ...(ik ? { ik } : {}), view: 'om', permmsgid });
  return `${origin}${accountPathOf(pathname)}/?${params.toString()}`;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

/**
 * The header block of the raw message on a "Show original" page: the text of its
 * `<pre id="raw_message_text">` (or, failing that, the page's text from the first header line),
 * up to the first empty line. Null when there is no Message-ID in it (a login page, an error).
 */
export function parseOriginalMessagePage(html: string): OriginalHeaders | null {
  const pre = /<pre[^>]*id=["']?raw_message_text["']?[^>]*>([\s\S]*?)<\/pre>/i.exec(html)?.[1];
  let raw = unescapeHtml((pre ?? html).replace(/<[^>]+>/g, ''));
  if (!pre) {
    // Without the <pre>, start at the first line that looks like a header of the message.
    const start = raw.search(/^(?:Delivered-To|Return-Path|Received|MIME-Version|Message-ID|From|Date):/im);
    if (start < 0) return null;
    raw = raw.slice(start);
  }
  raw = raw.replace(/^\s+/, '');
  const end = raw.search(/\r?\n\r?\n/);
  const headers = readMessageHeaders(end < 0 ? raw : raw.slice(0, end + 1));
  if (!headers.messageId) return null;
  return { messageId: headers.messageId, to: headers.to, cc: headers.cc, bulk: headers.bulk };
}

export interface OriginalReaderOptions {
  /** The content script's fetch: same-origin to mail.google.com, with the rep's Gmail cookies. */
  fetch: typeof fetch;
  /** location.origin and location.pathname of the Gmail page. */
  location: { origin: string; pathname: string };
  /**
   * Gmail's per-account key (GLOBALS[9]) where known; the request goes without it otherwise. InboxSDK's
   * page script copies it to <head data-inboxsdk-ik-value> (its own getIkValue reads it there).
   */
  getIk?: () => string | null;
  /** Between two requests to Gmail; 150 ms keeps under InboxSDK's own 7 a second. */
  spacingMs?: number;
  timeoutMs?: number;
}

/** Reads (once per message) the headers of a message Gmail shows; null when they cannot be had. */
export function createOriginalReader(options: OriginalReaderOptions): (gmailId: string) => Promise<OriginalHeaders | null> {
  const cache = new Map<string, Promise<OriginalHeaders | null>>();
  const spacingMs = options.spacingMs ?? 150;
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (url: string): Promise<OriginalHeaders | null> => {
    const res = await options.fetch(url, { credentials: 'include', signal: AbortSignal.timeout(options.timeoutMs ?? 8000) });
    if (!res.ok) return null;
    return parseOriginalMessagePage(await res.text());
  };

  return (gmailId) => {
    const cached = cache.get(gmailId);
    if (cached) return cached;
    const url = originalMessageUrl(options.location.origin, options.location.pathname, gmailId, options.getIk?.() ?? null);
    if (!url) return Promise.resolve(null);
    // One request at a time, spaced out: opening a long thread must not hammer Gmail.
    const result = queue.then(() => load(url)).catch(() => null);
    queue = result.then(() => new Promise((resolve) => setTimeout(resolve, spacingMs)));
    // A failure is not cached for good: the next opening of the thread tries again.
    cache.set(gmailId, result);
    void result.then((headers) => headers || cache.delete(gmailId));
    return result;
  };
}
