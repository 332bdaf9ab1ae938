// Reading an email's header block as the hosts hand it over: Outlook's getAllInternetHeadersAsync
// (one raw string) and Gmail's "Show original" page (the raw message). Pure and forgiving: a header
// that cannot be read is left out rather than guessed at.
//
// What the sidebar needs from it: the Message-ID (one activity per email across hosts), To apart
// from Cc, the sender, and the bulk-mail headers its never-log rules look at.
import { normalizeEmail } from '../email-address.ts';
import { normalizeMessageId } from './message-id.ts';

export interface HeaderField {
  /** As written, e.g. `List-Unsubscribe`. */
  name: string;
  /** Unfolded and trimmed; encoded words are left as they are (see decodeEncodedWords). */
  value: string;
}

export interface MailAddress {
  /** Display name, decoded; empty when there is none. */
  name: string;
  /** Lower-cased bare address. */
  email: string;
}

/** The headers the never-log rules read (ui/sidebar/logging.ts): mailing lists and machines. */
export const bulkHeaderNames = ['List-Unsubscribe', 'List-Id', 'Precedence', 'Auto-Submitted'] as const;

/**
 * The fields of a header block, in order. Stops at the first empty line (the body follows); joins
 * continuation lines (folding: a line starting with a space or tab continues the previous field).
 * Lines that are not `name: value` (an mbox "From " line) are skipped.
 */
export function parseHeaderBlock(raw: string): HeaderField[] {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const fields: HeaderField[] = [];
  let current: HeaderField | null = null;
  for (const line of lines) {
    if (line.trim() === '') {
      if (current || fields.length) break; // end of the header block
      continue; // blank lines before it
    }
    if (/^[ \t]/.test(line)) {
      if (current) current.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!/^[!-9;-~]+$/.test(name)) {
      current = null;
      continue;
    }
    current = { name, value: line.slice(colon + 1).trim() };
    fields.push(current);
  }
  return fields.map((f) => ({ name: f.name, value: f.value.trim() }));
}

/** The first value of a header, matched without case; undefined when absent. */
export function headerValue(fields: readonly HeaderField[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === wanted)?.value;
}

function decodeBytes(bytes: Uint8Array, charset: string): string {
  const label = charset.replace(/\*.*$/, '').trim().toLowerCase(); // RFC 2231 language suffix
  try {
    return new TextDecoder(label || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes); // an unknown charset: UTF-8 is the best guess
  }
}

function base64Bytes(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const binary = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function quotedPrintableBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '_') out.push(0x20);
    else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(ch.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?iso-8859-1?Q?…?=`) to text; the space between two of them goes. */
export function decodeEncodedWords(text: string): string {
  const joined = text.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(ENCODED_WORD, (whole, charset: string, encoding: string, payload: string) => {
    try {
      const bytes = encoding.toLowerCase() === 'b' ? base64Bytes(payload) : quotedPrintableBytes(payload);
      return decodeBytes(bytes, charset);
    } catch {
      return whole;
    }
  });
}

/** Splits an address list at top-level commas (and group ends), outside quotes, comments and angle brackets. */
function splitMailboxes(value: string): string[] {
  const parts: string[] = [];
  let buf = '';
  let quoted = false;
  let comment = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      buf += ch;
      if (ch === '\\' && i + 1 < value.length) buf += value[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (comment > 0) {
      buf += ch;
      if (ch === '\\' && i + 1 < value.length) buf += value[++i];
      else if (ch === '(') comment++;
      else if (ch === ')') comment--;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '(') comment = 1;
    else if (ch === '<') angle = true;
    else if (ch === '>') angle = false;
    else if (!angle && ch === ':') {
      buf = ''; // "Group name:" — the members follow
      continue;
    } else if (!angle && (ch === ',' || ch === ';')) {
      parts.push(buf);
      buf = '';
      continue;
    }
    buf += ch;
  }
  parts.push(buf);
  return parts.map((p) => p.trim()).filter(Boolean);
}

const stripComments = (text: string) => {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) depth--;
    else if (depth === 0) {
      if (ch === '"') quoted = !quoted;
      out += ch;
    }
  }
  return out;
};

const commentText = (text: string) => /\(([^()]*)\)/.exec(text)?.[1]?.trim() ?? '';

function cleanName(raw: string): string {
  const unquoted = raw.trim().replace(/^"([\s\S]*)"$/, '$1').replace(/\\(.)/g, '$1');
  return decodeEncodedWords(unquoted).replace(/\s+/g, ' ').trim();
}

/** The mailboxes of an address header (From, To, Cc): names decoded, addresses lower-cased; unreadable ones left out. */
export function parseAddressList(value: string | undefined): MailAddress[] {
  if (!value) return [];
  const out: MailAddress[] = [];
  for (const part of splitMailboxes(value)) {
    const angle = /<([^<>]*)>/.exec(part);
    let email: string | null;
    let name: string;
    if (angle) {
      email = normalizeEmail(angle[1]!);
      name = cleanName(stripComments(part.slice(0, angle.index)));
    } else {
      email = normalizeEmail(stripComments(part).trim());
      name = cleanName(commentText(part));
    }
    if (email) out.push({ name: name === email ? '' : name, email });
  }
  return out;
}

/** The bulk-mail headers present, under their usual spelling. */
export function bulkHeadersOf(fields: readonly HeaderField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of bulkHeaderNames) {
    const value = headerValue(fields, name);
    if (value !== undefined) out[name] = decodeEncodedWords(value);
  }
  return out;
}

export interface MessageHeaders {
  /** The RFC 822 Message-ID, canonical; null when the header is missing or malformed. */
  messageId: string | null;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string | null;
  /** The Date header as ISO 8601; null when missing or unreadable. */
  date: string | null;
  /** List-Unsubscribe, List-Id, Precedence, Auto-Submitted, when present. */
  bulk: Record<string, string>;
}

/** What the email log and the never-log rules need from a raw header block (or a whole raw message). */
export function readMessageHeaders(raw: string): MessageHeaders {
  const fields = parseHeaderBlock(raw);
  const dateText = headerValue(fields, 'Date');
  const dateMs = dateText ? Date.parse(stripComments(dateText).trim()) : NaN;
  const subject = headerValue(fields, 'Subject');
  return {
    messageId: normalizeMessageId(headerValue(fields, 'Message-ID')),
    from: parseAddressList(headerValue(fields, 'From'))[0] ?? null,
    to: parseAddressList(headerValue(fields, 'To')),
    cc: parseAddressList(headerValue(fields, 'Cc')),
    subject: subject === undefined ? null : decodeEncodedWords(subject),
    date: Number.isNaN(dateMs) ? null : new Date(dateMs).toISOString(),
    bulk: bulkHeadersOf(fields),
  };
}
