// Finding the CRM's open pixel in the HTML of the rep's own Sent copy (Outlook keeps the body as sent;
// it is how a message tracked from Outlook is tied to its Message-ID, see
// api/modules/tracking/sent-copies.service.ts). Pure: candidates only; the API checks each pixel's
// signature, so a look-alike URL from someone else's tracker ties nothing.

/** `https://host[/base]/o/<token>.gif` anywhere in the body, HTML-escaped or not; at most five. */
export function pixelUrlsIn(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/https?:\/\/[^\s"'<>()]+?\/o\/[A-Za-z0-9_-]{16,}\.gif/g)) {
    found.add(match[0].replace(/&amp;/g, '&'));
    if (found.size === 5) break;
  }
  return [...found];
}
