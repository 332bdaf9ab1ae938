// How the demo inbox shows mail the rep sent from its compose box: the sender's own copy, rendered
// from the HTML that went out but without the tracking pixel, and (demo only) the recipient's copy
// in a new tab, pixel and tracked links included, so a person trying the demo can see an open and a
// click counted.
import { Fragment, type ReactNode } from 'react';
import type { SentTracking } from './demo-thread.ts';

const BLOCKS = new Set(['p', 'div', 'blockquote', 'ul', 'ol', 'li']);
const INLINE: Record<string, 'strong' | 'em' | 'u' | 'span'> = { strong: 'strong', b: 'strong', em: 'em', i: 'em', u: 'u', span: 'span' };

const hidden = (el: Element) => el.getAttribute('aria-hidden') === 'true' || /display\s*:\s*none/i.test(el.getAttribute('style') ?? '');

/**
 * The sender's copy of a sent body as React elements: a small allow-list of tags, links only to
 * http(s)/mailto, no images at all. Dropping the images is the point: the sender's view must not
 * fetch the tracking pixel (in Gmail it does, through Google's image proxy, which hides who is
 * looking; that is why the mailbox reports the sender's views to the API before showing the
 * message, see DemoHost.viewingOwnSent). Tracked links are shown as the pages they lead to, so the
 * rep following their own link is not counted as a click either. The HTML is parsed with DOMParser,
 * which neither runs scripts nor loads images.
 */
export function renderSenderCopy(html: string, tracking?: SentTracking): ReactNode {
  const original = new Map((tracking?.links ?? []).map((l) => [l.trackedUrl, l.url]));
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  let key = 0;
  const walk = (node: Node): ReactNode => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const el = node as Element;
    const tag = el.tagName.toLowerCase();
    const children = () => [...el.childNodes].map((child) => <Fragment key={key++}>{walk(child)}</Fragment>);
    if (tag === 'img' || tag === 'script' || tag === 'style' || tag === 'head' || hidden(el)) return null;
    if (tag === 'br') return <br />;
    if (tag === 'a') {
      const href = el.getAttribute('href') ?? '';
      const target = original.get(href) ?? href;
      if (!/^(https?:|mailto:)/i.test(target)) return <>{children()}</>;
      return (
        <a href={target} target="_blank" rel="noopener noreferrer">
          {children()}
        </a>
      );
    }
    if (BLOCKS.has(tag)) {
      const Tag = tag as 'p';
      return <Tag>{children()}</Tag>;
    }
    const inline = INLINE[tag];
    if (inline) {
      const Tag = inline;
      return <Tag>{children()}</Tag>;
    }
    return <>{children()}</>;
  };
  return <>{[...doc.body.childNodes].map((child) => <Fragment key={key++}>{walk(child)}</Fragment>)}</>;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The page a recipient's mail app would show: the decorated body as sent, under a demo banner. */
export function recipientPage(input: { subject: string; from: string; to: string; decoratedHtml: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>As the recipient: ${escapeHtml(input.subject || '(no subject)')}</title>
<style>
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #eef1f5; }
.note { background: #fff8c5; border-bottom: 1px solid #d4a72c; padding: 10px 20px; font-size: 14px; }
.mail { max-width: 720px; margin: 20px auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 10px; padding: 16px 24px; }
.meta { color: #59636e; font-size: 13px; border-bottom: 1px solid #eaeef2; padding-bottom: 8px; margin-bottom: 12px; }
h1 { font-size: 20px; font-weight: 500; margin: 0 0 4px; }
a { color: #0b57d0; }
</style></head>
<body>
<div class="note" role="note"><strong>Demo: the recipient’s copy.</strong> Opening it made this browser load the tracking pixel, as a recipient’s mail app would, so the CRM saw an open with this browser’s user agent. Its links go through the click tracker first.</div>
<div class="mail"><h1>${escapeHtml(input.subject || '(no subject)')}</h1><div class="meta">From ${escapeHtml(input.from)} · to ${escapeHtml(input.to)}</div>
${input.decoratedHtml}
</div>
</body></html>`;
}

/** Opens the recipient's copy in a new tab (a blob: page of this origin; nothing is stored). */
export function openRecipientCopy(page: string, open: (url: string) => void = (url) => void window.open(url, '_blank')): void {
  const url = URL.createObjectURL(new Blob([page], { type: 'text/html' }));
  open(url);
  // The new tab has loaded it by then; the URL only has to live that long.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
