// The demo inbox's compose fields, outside React: reading the address fields, turning the typed
// text into the HTML body, and what a reply starts with. Sending with tracking is ui/compose's.
import { normalizeEmail } from '../../core/email-address.ts';
import type { Person } from './demo-thread.ts';

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
