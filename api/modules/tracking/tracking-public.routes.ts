// The public tracking paths, on the tracking base URL and outside /api/v1 (no sign-in: whoever
// displays the mail fetches them):
//   GET|HEAD /o/<token>.gif  the open pixel: always the same 1x1 GIF, whatever the token;
//   GET|HEAD /c/<token>      a click: 302 to the URL inside the signed token, nowhere else;
//   GET /u/<token>           the opt-out page; POST /u/<token> records the opt-out.
//
// The pixel and click paths are the hot path: they verify the token (an HMAC), work out the network
// and the address prefix, push the hit into the in-memory buffer and answer. They never wait for
// the database. A forged or altered token records nothing (and a click goes nowhere).
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { networkOfIp, truncateIp } from '../../../core/tracking/networks.ts';
import { tokenFromPixelSegment, verifyToken, type VerifiedToken } from '../../../core/tracking/tokens.ts';
import type { Db } from '../../../db/client.ts';
import type { AppEnv, TrackingDeps } from '../../env.ts';
import { recordOptOut } from './tracking.service.ts';

// A transparent 1x1 GIF89a (43 bytes).
const GIF = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
const NO_STORE = { 'Cache-Control': 'no-store, no-cache, must-revalidate, private', Pragma: 'no-cache', Expires: '0' };
const PIXEL_HEADERS = { ...NO_STORE, 'Content-Type': 'image/gif', 'Content-Length': String(GIF.length) };
// Pages: no referrer (the token is in the URL), not indexed, nothing loaded from anywhere.
const PAGE_HEADERS = {
  ...NO_STORE,
  'Content-Type': 'text/html; charset=utf-8',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
};

// Tokens we sign name messages and recipients by UUID; anything else cannot be ours.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const namesOurIds = (t: VerifiedToken) => UUID.test(t.messageId) && (t.recipient === null || UUID.test(t.recipient));

export function trackingPublicRoutes(db: Db, tracking: TrackingDeps) {
  const verified = (token: string | null) => {
    const payload = token ? verifyToken(token, tracking.keyring) : null;
    return payload && namesOurIds(payload) ? payload : null;
  };

  const record = (c: Context<AppEnv>, token: VerifiedToken, linkIndex: number | null) => {
    const address = clientAddress(c, tracking.trustProxy);
    tracking.hits.push({
      trackedMessageId: token.messageId,
      recipientId: token.recipient,
      kind: token.kind === 'open' ? 'open' : 'click',
      linkIndex,
      honeypot: token.kind === 'honeypot',
      at: tracking.hits.now(),
      method: c.req.method,
      userAgent: c.req.header('user-agent') ?? null,
      network: address ? networkOfIp(address) : null,
      ipPrefix: address ? truncateIp(address) : null,
    });
  };

  // GET also answers HEAD (Hono runs the GET handler and drops the body); c.req.method says which.
  return new Hono<AppEnv>()
    .get('/o/:file', (c) => {
      const token = verified(tokenFromPixelSegment(c.req.param('file')));
      if (token?.kind === 'open') record(c, token, null);
      return c.body(GIF, 200, PIXEL_HEADERS);
    })
    .get('/c/:token', (c) => {
      const token = verified(c.req.param('token'));
      if (token?.kind === 'click') {
        record(c, token, token.linkIndex);
        return c.body(null, 302, { ...NO_STORE, 'Referrer-Policy': 'no-referrer', Location: token.url });
      }
      if (token?.kind === 'honeypot') {
        record(c, token, null);
        return c.body(null, 204, NO_STORE);
      }
      return page(c, 404, 'Link not found', '<h1>Link not found</h1><p>This link is not valid.</p>');
    })
    // Scanners follow every GET link: the GET only asks; the button POSTs.
    .get('/u/:token', (c) => {
      const token = verified(c.req.param('token'));
      if (token?.kind !== 'optout') return page(c, 404, 'Link not found', '<h1>Link not found</h1><p>This link is not valid.</p>');
      const scope = token.recipient === null ? '<p>This message went to several people: this stops tracking for every address it was sent to.</p>' : '';
      return page(
        c,
        200,
        'Stop tracking',
        `<h1>Stop open and click tracking?</h1><p>The sender will no longer see when you open their emails or click their links.</p>${scope}` +
          `<form method="post" action="${c.req.path}"><button type="submit">Stop tracking me</button></form>`,
      );
    })
    .post('/u/:token', async (c) => {
      const token = verified(c.req.param('token'));
      const recorded = token?.kind === 'optout' ? await recordOptOut(db, token.messageId, token.recipient, new Date(tracking.hits.now())) : 0;
      if (recorded === 0) return page(c, 404, 'Link not found', '<h1>Link not found</h1><p>This link is not valid.</p>');
      return page(c, 200, 'Tracking stopped', '<h1>Tracking stopped</h1><p>The sender will no longer see when you open their emails or click their links.</p>');
    });
}

/** The client's address: the socket's, or behind a trusted proxy the one it appended last. */
function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? null;
}

function page(c: Context<AppEnv>, status: 200 | 404, title: string, body: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`;
  return c.body(html, status, PAGE_HEADERS);
}
