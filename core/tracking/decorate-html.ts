// Decorates an outgoing HTML body for tracking: rewrites http(s) links to signed click URLs,
// appends the 1x1 open pixel and, optionally, a hidden honeypot link.
//
// This is a deliberately small string transform, not an HTML parser: the only bytes it changes are
// the value of the first `href` attribute of each rewritten `<a>` tag, plus what it appends before
// `</body>` (or at the end). Everything else — whitespace, comments, attribute order and quoting,
// other tags — is copied through untouched.
//
// Limits (on purpose, documented in HEURISTICS.md):
// - Only `<a ... href=...>` is rewritten: `<area href>`, VML `<v:roundrect href>` (Outlook "bulletproof
//   buttons"), CSS `url()` and links in plain-text parts are left as they are, hence not tracked.
// - Relative links, `mailto:`, `tel:`, `#anchors`, `javascript:` and anything not absolute http(s)
//   are left untouched. A `<base href>` is ignored.
// - A link whose href holds a character reference we cannot decode with certainty (a named entity
//   other than &amp; &lt; &gt; &quot; &apos; &nbsp;) is left untouched rather than risk redirecting
//   to a URL the sender did not write.
// - Links already pointing at the tracking base URL (an earlier decoration, the opt-out link) are
//   left as they are, so decorating twice does not wrap twice.
// - `<a` inside ordinary comments, <script>, <style>, <textarea> and <title> is skipped. Outlook's
//   conditional comments (`<!--[if mso]>…<![endif]-->`) are scanned, because Outlook renders them.
// - Malformed markup (an unclosed quote inside a tag) makes that one tag unrecognised: it is left
//   untouched.
import { clickUrl, MAX_URL_BYTES, normalizeBaseUrl, pixelUrl, signToken, type TrackingKeyring } from './tokens.ts';

export interface DecorateHtmlInput {
  html: string;
  /** Public base of the tracking endpoints, e.g. `https://t.example.com`. */
  baseUrl: string;
  keyring: TrackingKeyring;
  messageId: string;
  /** Opaque recipient id when the message goes to exactly one recipient; null for a shared pixel. */
  recipient: string | null;
  /** Add a hidden link that no person can see or click, to unmask scanners that follow every link. */
  honeypot?: boolean;
}

export interface TrackedLink {
  /** 0-based, in document order of the rewritten links; the click token carries it. */
  index: number;
  /** The target as the browser would have resolved it (entity-decoded, normalised by WHATWG URL). */
  url: string;
}

export interface DecoratedHtml {
  html: string;
  links: TrackedLink[];
  pixelUrl: string;
}

// One pass over the body: skip comments (not Outlook conditional ones) and raw-text elements,
// catch every <a ...> start tag. Attribute values in quotes may contain '>'.
const SCAN =
  /<!--(?!\[if\b)[\s\S]*?(?:-->|$)|<(script|style|textarea|title)\b(?:[^>"']|"[^"]*"|'[^']*')*>[\s\S]*?(?:<\/\1\s*>|$)|<a(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
// One attribute at a time (sticky), as the HTML tokenizer splits them.
const ATTRIBUTE = /[\s/]*([^\s"'>/=][^\s"'>/=]*)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;

export function decorateHtml(input: DecorateHtmlInput): DecoratedHtml {
  const base = normalizeBaseUrl(input.baseUrl);
  const links: TrackedLink[] = [];
  const sign = (payload: Parameters<typeof signToken>[0]) => signToken(payload, input.keyring);

  const rewritten = input.html.replace(SCAN, (whole: string, rawText: string | undefined, attrs: string | undefined) => {
    if (rawText !== undefined || attrs === undefined) return whole;
    const href = findHref(attrs);
    if (!href) return whole;
    const target = resolveTarget(href.value, base);
    if (target === null) return whole;
    const index = links.length;
    links.push({ index, url: target });
    const tracked = clickUrl(base, sign({ kind: 'click', messageId: input.messageId, recipient: input.recipient, linkIndex: index, url: target }));
    const replacement = href.quote ? escapeAttribute(tracked) : `"${escapeAttribute(tracked)}"`;
    // whole = '<a' (as written, any case) + attrs + '>'.
    return `${whole.slice(0, 2)}${attrs.slice(0, href.start)}${replacement}${attrs.slice(href.end)}>`;
  });

  const pixel = pixelUrl(base, sign({ kind: 'open', messageId: input.messageId, recipient: input.recipient }));
  let tail = '';
  if (input.honeypot) {
    const trap = clickUrl(base, sign({ kind: 'honeypot', messageId: input.messageId, recipient: input.recipient }));
    // No text, not displayed, out of the tab order and the accessibility tree: a person cannot follow it.
    tail += `<a href="${escapeAttribute(trap)}" style="display:none" aria-hidden="true" tabindex="-1"></a>`;
  }
  tail += `<img src="${escapeAttribute(pixel)}" width="1" height="1" alt="" style="width:1px;height:1px;border:0">`;

  return { html: insertBeforeBodyEnd(rewritten, tail), links, pixelUrl: pixel };
}

interface HrefSpan {
  value: string;
  /** Offsets of the value inside the attribute string (inside the quotes when quoted). */
  start: number;
  end: number;
  quote: boolean;
}

/** The first href attribute (HTML keeps the first of duplicates), or null. */
function findHref(attrs: string): HrefSpan | null {
  ATTRIBUTE.lastIndex = 0;
  while (ATTRIBUTE.lastIndex < attrs.length) {
    const at = ATTRIBUTE.lastIndex;
    const match = ATTRIBUTE.exec(attrs);
    if (!match || match[0].length === 0) return null;
    const [all, name, equals, doubleQuoted, singleQuoted, unquoted] = match;
    if (name!.toLowerCase() !== 'href') continue;
    if (equals === undefined) return null; // <a href> without a value
    const value = doubleQuoted ?? singleQuoted ?? unquoted ?? '';
    const quoted = doubleQuoted !== undefined || singleQuoted !== undefined;
    const end = at + all.length - (quoted ? 1 : 0);
    return { value, start: end - value.length, end, quote: quoted };
  }
  return null;
}

/** The absolute http(s) URL an href points to, or null when the link must be left alone. */
function resolveTarget(rawValue: string, base: string): string | null {
  const decoded = decodeAttributeValue(rawValue);
  if (decoded === null) return null;
  let url: URL;
  try {
    // No base: a relative href has no meaning in an email and stays untouched.
    url = new URL(decoded);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const href = url.href;
  if (href === base || href.startsWith(`${base}/`)) return null;
  if (new TextEncoder().encode(href).length > MAX_URL_BYTES) return null;
  return href;
}

const SEMICOLON_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const LEGACY_DECODABLE: Record<string, string> = { amp: '&', AMP: '&', lt: '<', LT: '<', gt: '>', GT: '>', quot: '"', QUOT: '"' };
// HTML's legacy references that browsers also decode without a semicolon (ISO-8859-1 names).
const LEGACY_NAMES = new Set(
  ('AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave Iuml LT ' +
    'Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig ' +
    'agrave amp aring atilde auml brvbar ccedil cedil cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 ' +
    'frac34 gt iacute icirc iexcl igrave iquest iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm ' +
    'oslash otilde ouml para plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml ' +
    'uuml yacute yen yuml').split(' '),
);

/**
 * Decodes character references in an attribute value the way a browser does, or returns null when
 * one cannot be decoded with certainty here (an uncommon named entity).
 */
export function decodeAttributeValue(value: string): string | null {
  let ambiguous = false;
  const decoded = value.replace(/&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)/g, (whole, ref: string, offset: number) => {
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const code = Number.parseInt(ref.slice(hex ? 2 : 1).replace(';', ''), hex ? 16 : 10);
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      // Browsers remap 0x80-0x9F to windows-1252 characters; too rare in a URL to be worth a table.
      if (code >= 0x80 && code <= 0x9f) ambiguous = true;
      return String.fromCodePoint(code);
    }
    if (ref.endsWith(';')) {
      const named = SEMICOLON_ENTITIES[ref.slice(0, -1)];
      if (named === undefined) ambiguous = true;
      return named ?? whole;
    }
    // No semicolon: browsers decode only a whole legacy name not followed by '=' (in attributes).
    if (!LEGACY_NAMES.has(ref)) return whole;
    if (value[offset + whole.length] === '=') return whole;
    const legacy = LEGACY_DECODABLE[ref];
    if (legacy === undefined) ambiguous = true;
    return legacy ?? whole;
  });
  return ambiguous ? null : decoded;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inserts `tail` before the last `</body>`, or appends it when there is none. */
export function insertBeforeBodyEnd(html: string, tail: string): string {
  let last = -1;
  for (const match of html.matchAll(/<\/body\s*>/gi)) last = match.index;
  return last === -1 ? html + tail : html.slice(0, last) + tail + html.slice(last);
}
